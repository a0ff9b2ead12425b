#include "openapi/SchemaSet.hpp"

// valijson aborts the process on a schema it cannot use unless exceptions are on: a bad schema
// in a document must be a start-up error, never a crash.
#define VALIJSON_USE_EXCEPTIONS 1

#include <boost/json.hpp>
#include <valijson/adapters/boost_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

namespace cproxy::openapi {

struct SchemaSet::Compiled {
    valijson::Schema schema;
};

SchemaSet::SchemaSet(SchemaDialect dialect) : dialect_(dialect) {}
SchemaSet::~SchemaSet() = default;
SchemaSet::SchemaSet(SchemaSet&&) noexcept = default;
SchemaSet& SchemaSet::operator=(SchemaSet&&) noexcept = default;

int SchemaSet::add(boost::json::value& document, const std::string& pointer) {
    // The whole document is the root, with a $ref to the schema: nested "#/components/..."
    // references then resolve against the document, as OpenAPI means them.
    auto& root = document.as_object();
    root["$ref"] = "#" + pointer;
    auto compiled = std::make_unique<Compiled>();
    valijson::SchemaParser parser(dialect_ == SchemaDialect::draft4 ? valijson::SchemaParser::kDraft4
                                                                    : valijson::SchemaParser::kDraft7);
    try {
        parser.populateSchema(valijson::adapters::BoostJsonAdapter(document), compiled->schema);
    } catch (...) {
        root.erase("$ref");
        throw;
    }
    root.erase("$ref");
    schemas_.push_back(std::move(compiled));
    return static_cast<int>(schemas_.size() - 1);
}

int SchemaSet::add_root(const boost::json::value& schema) {
    auto compiled = std::make_unique<Compiled>();
    valijson::SchemaParser parser(dialect_ == SchemaDialect::draft4 ? valijson::SchemaParser::kDraft4
                                                                    : valijson::SchemaParser::kDraft7);
    parser.populateSchema(valijson::adapters::BoostJsonAdapter(schema), compiled->schema);
    schemas_.push_back(std::move(compiled));
    return static_cast<int>(schemas_.size() - 1);
}

namespace {
// valijson's context ["<root>", "[pets]", "[0]", "[name]"] as a JSON pointer "/pets/0/name".
std::string pointer_of(const std::vector<std::string>& context) {
    std::string pointer;
    for (const auto& step : context) {
        if (step == "<root>" || step.size() < 2) continue;
        pointer += '/';
        for (const char c : std::string_view(step).substr(1, step.size() - 2)) {
            if (c == '~') pointer += "~0";
            else if (c == '/') pointer += "~1";
            else pointer += c;
        }
    }
    return pointer.empty() ? "/" : pointer;
}
}  // namespace

std::optional<std::string> SchemaSet::validate(int handle, const boost::json::value& instance) const {
    valijson::Validator validator;
    valijson::ValidationResults results;
    if (validator.validate(schemas_.at(std::size_t(handle))->schema, valijson::adapters::BoostJsonAdapter(instance),
                           &results))
        return std::nullopt;
    // The deepest error names the actual fault; outer ones only say "property X failed".
    valijson::ValidationResults::Error error, deepest;
    bool any = false;
    while (results.popError(error))
        if (!any || error.context.size() > deepest.context.size()) {
            deepest = error;
            any = true;
        }
    if (!any) return std::string("at /: does not validate");
    return "at " + pointer_of(deepest.context) + ": " + deepest.description;
}

std::optional<std::string> SchemaSet::validate_text(int handle, std::string_view json) const {
    boost::json::error_code error;
    const boost::json::value instance = boost::json::parse(json, error);
    if (error) return std::nullopt;
    return validate(handle, instance);
}

}  // namespace cproxy::openapi
