// Loading: read, convert to JSON, check the version and every $ref, then build the plain model
// the checker reads (check::ContractPath ...) and compile the response schemas.
#include "conformance_proxy/openapi/OpenApiDocument.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <boost/json.hpp>

#include "openapi/DocumentImpl.hpp"
#include "openapi/YamlToJson.hpp"

namespace cproxy::openapi {

namespace json = boost::json;

std::string pointer_token(std::string_view key) {
    std::string token;
    for (const char c : key) {
        if (c == '~') token += "~0";
        else if (c == '/') token += "~1";
        else token += c;
    }
    return token;
}

namespace {

[[noreturn]] void fail(const OpenApiDocument::Impl& document, const std::string& pointer, const std::string& problem) {
    throw OpenApiError(document.name + ": #" + pointer + ": " + problem);
}

std::string percent_decode(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            unsigned value = 0;
            if (std::isxdigit(static_cast<unsigned char>(text[i + 1])) && std::isxdigit(static_cast<unsigned char>(text[i + 2])) &&
                std::sscanf(std::string(text.substr(i + 1, 2)).c_str(), "%2x", &value) == 1) {
                out += static_cast<char>(value);
                i += 2;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

const json::value* find_local(const OpenApiDocument::Impl& document, std::string_view ref) {
    const std::string pointer = percent_decode(ref.substr(1));
    if (pointer.empty()) return &document.root;
    json::error_code error;
    return document.root.find_pointer(pointer, error);
}

// Keys whose values are data (examples, defaults, enumerations), where "$ref" and "nullable"
// are ordinary member names.
bool literal_key(std::string_view key) {
    return key == "example" || key == "default" || key == "enum" || key == "const";
}

// Keys whose value is a map from user-chosen names (paths, response codes, property names ...)
// to objects: there "default" is a response code and "example" may be a property or a schema.
bool names_map_key(std::string_view key) {
    static constexpr std::string_view keys[] = {
        "paths", "webhooks", "schemas", "responses", "parameters", "headers", "requestBodies", "securitySchemes",
        "links", "callbacks", "pathItems", "content", "variables", "properties", "patternProperties", "$defs",
        "definitions", "encoding", "examples"};
    for (const auto candidate : keys)
        if (key == candidate) return true;
    return false;
}

void check_refs(const OpenApiDocument::Impl& document, const json::value& value, const std::string& pointer,
                bool names_map) {
    if (const auto* object = value.if_object()) {
        if (const auto* ref = object->if_contains("$ref"); ref && !names_map) {
            if (!ref->is_string()) fail(document, pointer + "/$ref", "$ref is not a string");
            const std::string_view text = ref->as_string();
            if (!text.starts_with("#"))
                fail(document, pointer + "/$ref",
                     "external $ref \"" + std::string(text) +
                         "\" is not supported; only local references (#/components/...) are resolved: bundle the "
                         "document first (e.g. redocly bundle)");
            if (!find_local(document, text))
                fail(document, pointer + "/$ref", "dangling $ref \"" + std::string(text) + "\": no such location in the document");
        }
        for (const auto& member : *object) {
            if (!names_map && literal_key(member.key())) continue;
            // Under these keys the member names are user names (properties, responses ...),
            // so "example" there is a property, not a literal.
            const bool next_names = !names_map && names_map_key(member.key());
            if (!names_map && member.key() == "value" && pointer.find("/examples/") != std::string::npos) continue;
            check_refs(document, member.value(), pointer + "/" + pointer_token(member.key()), next_names);
        }
    } else if (const auto* array = value.if_array()) {
        for (std::size_t i = 0; i < array->size(); ++i)
            check_refs(document, (*array)[i], pointer + "/" + std::to_string(i), false);
    }
}

// OpenAPI 3.0 `nullable: true` is JSON Schema's type list with "null" (and null among an enum).
void rewrite_nullable(json::value& value, bool names_map) {
    if (auto* object = value.if_object()) {
        if (!names_map) {
            const auto* nullable = object->if_contains("nullable");
            if (nullable && nullable->is_bool() && nullable->as_bool()) {
                if (auto* type = object->if_contains("type"); type && type->is_string())
                    *type = json::array{json::string(type->as_string()), "null"};
                if (auto* values = object->if_contains("enum"); values && values->is_array() &&
                                                                 std::find(values->as_array().begin(), values->as_array().end(),
                                                                           json::value(nullptr)) == values->as_array().end())
                    values->as_array().push_back(nullptr);
            }
        }
        for (auto& member : *object) {
            if (!names_map && literal_key(member.key())) continue;
            rewrite_nullable(member.value(), !names_map && names_map_key(member.key()));
        }
    } else if (auto* array = value.if_array()) {
        for (auto& item : *array) rewrite_nullable(item, false);
    }
}

std::string scalar_text(const json::value& value) {
    if (value.is_string()) return std::string(value.as_string());
    if (value.is_double()) {
        char text[32];
        std::snprintf(text, sizeof text, "%g", value.as_double());
        return text;
    }
    return json::serialize(value);
}

const json::object* object_at(const OpenApiDocument::Impl& document, const json::value& value,
                              const std::string& pointer, std::string_view what) {
    if (!value.is_object()) fail(document, pointer, std::string(what) + " must be a mapping");
    return &value.as_object();
}

constexpr std::array<std::string_view, 8> kMethods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"};

std::string upper(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::vector<std::string> http_schemes(OpenApiDocument::Impl& document, const json::value* security) {
    std::vector<std::string> schemes;
    if (!security || !security->is_array() || security->as_array().empty()) return {};
    const json::value* components = document.root.as_object().if_contains("components");
    const json::value* declared = components && components->is_object()
                                      ? components->as_object().if_contains("securitySchemes") : nullptr;
    for (const auto& requirement : security->as_array()) {
        if (!requirement.is_object() || requirement.as_object().empty()) return {};  // anonymous allowed
        for (const auto& member : requirement.as_object()) {
            const json::value* scheme = declared && declared->is_object() ? declared->as_object().if_contains(member.key()) : nullptr;
            if (!scheme) return {};
            std::string pointer = "/components/securitySchemes/" + pointer_token(member.key());
            const json::value& resolved = resolve_ref(document, *scheme, pointer);
            const auto* object = resolved.if_object();
            const auto* type = object ? object->if_contains("type") : nullptr;
            const auto* name = object ? object->if_contains("scheme") : nullptr;
            if (!type || !type->is_string() || type->as_string() != "http" || !name || !name->is_string()) return {};
            schemes.emplace_back(name->as_string());
        }
    }
    std::sort(schemes.begin(), schemes.end());
    schemes.erase(std::unique(schemes.begin(), schemes.end()), schemes.end());
    return schemes;
}

check::ContractResponse load_response(OpenApiDocument::Impl& document, std::string code, const json::value& value,
                                      std::string pointer) {
    check::ContractResponse response;
    response.code = std::move(code);
    const json::object* object = object_at(document, resolve_ref(document, value, pointer), pointer, "a Response Object");
    if (const auto* headers = object->if_contains("headers")) {
        const std::string headers_pointer = pointer + "/headers";
        for (const auto& header : *object_at(document, *headers, headers_pointer, "`headers`")) {
            std::string header_pointer = headers_pointer + "/" + pointer_token(header.key());
            const json::value& resolved = resolve_ref(document, header.value(), header_pointer);
            const auto* required = resolved.is_object() ? resolved.as_object().if_contains("required") : nullptr;
            // OpenAPI: a header named Content-Type is ignored (the media type says it).
            if (required && required->is_bool() && required->as_bool() && upper(header.key()) != "CONTENT-TYPE")
                response.required_headers.push_back(header.key());
        }
    }
    if (const auto* content = object->if_contains("content")) {
        const std::string content_pointer = pointer + "/content";
        response.declares_content = true;
        for (const auto& media : *object_at(document, *content, content_pointer, "`content`")) {
            std::string media_pointer = content_pointer + "/" + pointer_token(media.key());
            const json::value& resolved = resolve_ref(document, media.value(), media_pointer);
            check::ContractMediaType type{std::string(media.key()), -1};
            if (resolved.is_object() && resolved.as_object().contains("schema")) {
                try {
                    type.schema = document.schemas.add(document.root, media_pointer + "/schema");
                } catch (const std::exception& e) {
                    fail(document, media_pointer + "/schema", std::string("schema not usable: ") + e.what());
                }
            }
            response.content.push_back(std::move(type));
        }
    }
    return response;
}

void load_paths(OpenApiDocument::Impl& document) {
    const json::object& root = document.root.as_object();
    const json::value* paths = root.if_contains("paths");
    if (!paths) return;  // 3.1: a document of webhooks or components only
    for (const auto& entry : *object_at(document, *paths, "/paths", "`paths`")) {
        const std::string key(entry.key());
        std::string pointer = "/paths/" + pointer_token(key);
        if (key.starts_with("x-")) continue;
        if (!key.starts_with("/")) fail(document, pointer, "a path must start with \"/\"");
        check::ContractPath path;
        path.path_template = key;
        const json::object* item = object_at(document, resolve_ref(document, entry.value(), pointer), pointer, "a Path Item");
        document.path_pointers.push_back(pointer);
        for (const auto method : kMethods) {
            const json::value* operation_value = item->if_contains(method);
            if (!operation_value) continue;
            const std::string operation_pointer = pointer + "/" + std::string(method);
            const json::object* operation = object_at(document, *operation_value, operation_pointer, "an Operation");
            check::ContractOperation contract_operation;
            contract_operation.method = upper(method);
            contract_operation.pointer = upper(method) + " " + key;
            if (const auto* id = operation->if_contains("operationId"); id && id->is_string())
                contract_operation.operation_id = id->as_string();
            if (const auto* responses = operation->if_contains("responses")) {
                const std::string responses_pointer = operation_pointer + "/responses";
                for (const auto& response : *object_at(document, *responses, responses_pointer, "`responses`")) {
                    if (response.key().starts_with("x-")) continue;
                    contract_operation.responses.push_back(load_response(
                        document, std::string(response.key()), response.value(),
                        responses_pointer + "/" + pointer_token(response.key())));
                }
            }
            const json::value* security = operation->if_contains("security");
            if (!security) security = root.if_contains("security");
            contract_operation.http_challenge_schemes = http_schemes(document, security);
            path.operations.push_back(std::move(contract_operation));
        }
        document.templates.emplace_back(key);
        document.paths.push_back(std::move(path));
    }
    document.match_order.resize(document.paths.size());
    for (std::size_t i = 0; i < document.paths.size(); ++i) document.match_order[i] = i;
    std::stable_sort(document.match_order.begin(), document.match_order.end(), [&](std::size_t a, std::size_t b) {
        return document.templates[a].more_specific_than(document.templates[b]);
    });
}

void load_servers(OpenApiDocument::Impl& document) {
    const json::value* servers = document.root.as_object().if_contains("servers");
    if (servers && !servers->is_array()) fail(document, "/servers", "`servers` must be a list");
    if (servers) {
        for (std::size_t i = 0; i < servers->as_array().size(); ++i) {
            const std::string pointer = "/servers/" + std::to_string(i);
            const json::object* server = object_at(document, servers->as_array()[i], pointer, "a Server Object");
            const auto* url = server->if_contains("url");
            if (!url || !url->is_string()) fail(document, pointer + "/url", "a server needs a `url` string");
            std::string text(url->as_string());
            const auto* variables = server->if_contains("variables");
            for (std::size_t open = text.find('{'); open != std::string::npos; open = text.find('{', open)) {
                const std::size_t close = text.find('}', open);
                if (close == std::string::npos) break;
                const std::string variable = text.substr(open + 1, close - open - 1);
                const json::value* declared = variables && variables->is_object() ? variables->as_object().if_contains(variable) : nullptr;
                const json::value* fallback = declared && declared->is_object() ? declared->as_object().if_contains("default") : nullptr;
                if (!fallback || !fallback->is_string())
                    fail(document, pointer + "/variables/" + pointer_token(variable),
                         "server variable {" + variable + "} needs a `default` string");
                const std::string value(fallback->as_string());
                text.replace(open, close - open + 1, value);
                open += value.size();
            }
            document.base_paths.push_back(server_base_path(text));
        }
    }
    if (document.base_paths.empty()) document.base_paths.push_back("");
}

}  // namespace

const json::value& resolve_ref(const OpenApiDocument::Impl& document, const json::value& value, std::string& pointer) {
    const json::value* current = &value;
    for (int depth = 0; depth < 32; ++depth) {
        const auto* object = current->if_object();
        const auto* ref = object ? object->if_contains("$ref") : nullptr;
        if (!ref || !ref->is_string()) return *current;
        const std::string_view text = ref->as_string();
        const json::value* target = text.starts_with("#") ? find_local(document, text) : nullptr;
        if (!target) fail(document, pointer + "/$ref", "cannot resolve $ref \"" + std::string(text) + "\"");
        pointer = percent_decode(text.substr(1));
        current = target;
    }
    fail(document, pointer, "$ref chain longer than 32 (a cycle?)");
}

OpenApiDocument::OpenApiDocument(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
OpenApiDocument::~OpenApiDocument() = default;

std::unique_ptr<OpenApiDocument> OpenApiDocument::load_file(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) throw OpenApiError(path + ": cannot read the OpenAPI document (no such file or not readable)");
    std::ostringstream text;
    text << file.rdbuf();
    return load_text(text.str(), path);
}

std::unique_ptr<OpenApiDocument> OpenApiDocument::load_text(const std::string& text, const std::string& name) {
    auto impl = std::make_unique<Impl>();
    impl->name = name;
    impl->root = yaml_to_json(text, name);
    if (!impl->root.is_object()) fail(*impl, "", "not an OpenAPI document: expected a mapping with an `openapi` member");
    const json::object& root = impl->root.as_object();
    const json::value* version = root.if_contains("openapi");
    if (!version) {
        if (root.contains("swagger"))
            fail(*impl, "/swagger", "Swagger (OpenAPI 2.0) is not supported; convert the document to OpenAPI 3 "
                                    "(e.g. with swagger2openapi)");
        fail(*impl, "/openapi", "missing: an OpenAPI document starts with `openapi: 3.1.0` (or 3.0.x)");
    }
    impl->version = scalar_text(*version);
    const bool v30 = impl->version == "3.0" || impl->version.starts_with("3.0.");
    const bool v31 = impl->version == "3.1" || impl->version.starts_with("3.1.");
    if (!v30 && !v31)
        fail(*impl, "/openapi", "unsupported version \"" + impl->version + "\"; OpenAPI 3.0.x and 3.1.x are supported");
    check_refs(*impl, impl->root, "", false);
    if (v30) rewrite_nullable(impl->root, false);
    impl->schemas = SchemaSet(v30 ? SchemaDialect::draft4 : SchemaDialect::draft7);
    load_servers(*impl);
    load_paths(*impl);
    return std::unique_ptr<OpenApiDocument>(new OpenApiDocument(std::move(impl)));
}

std::span<const check::ContractPath> OpenApiDocument::paths() const noexcept { return impl_->paths; }

const check::ContractPath* OpenApiDocument::match(std::string_view request_path) const {
    std::string_view rest = request_path;
    for (const auto& base : impl_->base_paths) {
        if (base.empty()) break;
        if (request_path.starts_with(base) &&
            (request_path.size() == base.size() || request_path[base.size()] == '/')) {
            rest = request_path.substr(base.size());
            break;
        }
    }
    if (rest.empty()) rest = "/";
    for (const std::size_t index : impl_->match_order)
        if (impl_->templates[index].matches(rest)) return &impl_->paths[index];
    return nullptr;
}

std::optional<std::string> OpenApiDocument::validate(int schema, std::string_view json) const {
    return impl_->schemas.validate_text(schema, json);
}

bool OpenApiDocument::first_sight_of_undeclared(std::string_view request_path) const {
    constexpr std::size_t kRemembered = 10000;  // bounded: beyond it, repeats may be reported again
    std::lock_guard lock(impl_->undeclared_mutex);
    if (impl_->undeclared_seen.count(std::string(request_path))) return false;
    if (impl_->undeclared_seen.size() >= kRemembered) impl_->undeclared_seen.clear();
    impl_->undeclared_seen.emplace(request_path);
    return true;
}

std::string_view OpenApiDocument::version() const noexcept { return impl_->version; }
const std::vector<std::string>& OpenApiDocument::base_paths() const noexcept { return impl_->base_paths; }
const std::string& OpenApiDocument::name() const noexcept { return impl_->name; }

}  // namespace cproxy::openapi
