#include "conformance_proxy/openapi/ExampleRequests.hpp"

#include <cctype>
#include <optional>

#include <boost/json.hpp>

#include "openapi/DocumentImpl.hpp"

namespace cproxy::openapi {

namespace json = boost::json;

namespace {

// The value the document gives for a parameter or media type, if any.
std::optional<json::value> example_of(const OpenApiDocument::Impl& document, const json::object& object) {
    if (const auto* example = object.if_contains("example")) return *example;
    if (const auto* examples = object.if_contains("examples"); examples && examples->is_object())
        for (const auto& entry : examples->as_object()) {
            std::string pointer;
            const auto& resolved = resolve_ref(document, entry.value(), pointer);
            if (const auto* value = resolved.is_object() ? resolved.as_object().if_contains("value") : nullptr) return *value;
        }
    if (const auto* schema_value = object.if_contains("schema")) {
        std::string pointer;
        const auto& schema = resolve_ref(document, *schema_value, pointer);
        if (const auto* s = schema.if_object()) {
            if (const auto* example = s->if_contains("example")) return *example;
            if (const auto* examples = s->if_contains("examples"); examples && examples->is_array() && !examples->as_array().empty())
                return examples->as_array().front();
            if (const auto* fallback = s->if_contains("default")) return *fallback;
        }
    }
    return std::nullopt;
}

std::string text_of(const json::value& value) {
    if (value.is_string()) return std::string(value.as_string());
    return json::serialize(value);
}

// RFC 3986 unreserved characters stay; everything else is percent-encoded.
std::string percent_encode(std::string_view text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (const unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') out += char(c);
        else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

struct Parameter {
    std::string name;
    std::string in;
    bool required = false;
    std::optional<json::value> example;
};

void collect_parameters(const OpenApiDocument::Impl& document, const json::object& owner, std::vector<Parameter>& out) {
    const auto* parameters = owner.if_contains("parameters");
    if (!parameters || !parameters->is_array()) return;
    for (const auto& entry : parameters->as_array()) {
        std::string pointer;
        const auto& resolved = resolve_ref(document, entry, pointer);
        const auto* object = resolved.if_object();
        if (!object || !object->contains("name") || !object->contains("in")) continue;
        Parameter parameter{text_of(object->at("name")), text_of(object->at("in")), false, example_of(document, *object)};
        if (const auto* required = object->if_contains("required"); required && required->is_bool())
            parameter.required = required->as_bool();
        // An operation's parameter overrides the path item's of the same name and location.
        bool replaced = false;
        for (auto& existing : out)
            if (existing.name == parameter.name && existing.in == parameter.in) {
                existing = parameter;
                replaced = true;
            }
        if (!replaced) out.push_back(std::move(parameter));
    }
}

}  // namespace

ExampleListing example_requests(const OpenApiDocument& document) {
    const auto& impl = document.impl();
    ExampleListing listing;
    const std::string base = impl.base_paths.empty() ? std::string() : impl.base_paths.front();
    for (std::size_t i = 0; i < impl.paths.size(); ++i) {
        const auto& path = impl.paths[i];
        json::error_code error;
        const json::value* item = impl.root.find_pointer(impl.path_pointers[i], error);
        if (!item) continue;
        std::string item_pointer = impl.path_pointers[i];
        const json::value& resolved_item = resolve_ref(impl, *item, item_pointer);
        if (!resolved_item.is_object()) continue;
        for (const auto& operation : path.operations) {
            std::string method = operation.method;
            for (char& c : method) c = char(std::tolower(static_cast<unsigned char>(c)));
            const auto& operation_object = resolved_item.as_object().at(method).as_object();
            std::vector<Parameter> parameters;
            collect_parameters(impl, resolved_item.as_object(), parameters);
            collect_parameters(impl, operation_object, parameters);

            ExampleRequest request{operation.method, path.path_template, operation.operation_id, {}, {}, {}, {}};
            std::string target = path.path_template;
            std::string missing;
            for (const auto& name : PathTemplate(path.path_template).parameters()) {
                const Parameter* found = nullptr;
                for (const auto& parameter : parameters)
                    if (parameter.in == "path" && parameter.name == name) found = &parameter;
                if (!found || !found->example) {
                    missing = name;
                    break;
                }
                const std::string placeholder = "{" + name + "}";
                target.replace(target.find(placeholder), placeholder.size(), percent_encode(text_of(*found->example)));
            }
            if (!missing.empty()) {
                listing.skipped.push_back({operation.method, path.path_template,
                                           "path parameter {" + missing + "} has no example, examples or default"});
                continue;
            }
            std::string query;
            for (const auto& parameter : parameters) {
                if (!parameter.example) continue;
                if (parameter.in == "query" && parameter.required)
                    query += (query.empty() ? "?" : "&") + percent_encode(parameter.name) + "=" +
                             percent_encode(text_of(*parameter.example));
                if (parameter.in == "header" && parameter.required)
                    request.headers.emplace_back(parameter.name, text_of(*parameter.example));
            }
            request.target = base + target + query;
            if (const auto* body = operation_object.if_contains("requestBody")) {
                std::string pointer;
                const auto& resolved = resolve_ref(impl, *body, pointer);
                const auto* content = resolved.is_object() ? resolved.as_object().if_contains("content") : nullptr;
                if (content && content->is_object())
                    for (const auto& media : content->as_object()) {
                        std::string media_pointer;
                        const auto& media_object = resolve_ref(impl, media.value(), media_pointer);
                        if (!media_object.is_object()) continue;
                        if (const auto example = example_of(impl, media_object.as_object())) {
                            request.content_type = media.key();
                            request.body = example->is_string() && media.key().find("json") == std::string::npos
                                               ? std::string(example->as_string())
                                               : json::serialize(*example);
                            break;
                        }
                    }
            }
            listing.requests.push_back(std::move(request));
        }
    }
    return listing;
}

}  // namespace cproxy::openapi
