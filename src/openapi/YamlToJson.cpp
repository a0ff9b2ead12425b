#include "openapi/YamlToJson.hpp"

#include <charconv>
#include <cstdlib>
#include <regex>

#include <yaml-cpp/yaml.h>

#include "conformance_proxy/openapi/OpenApiDocument.hpp"

namespace cproxy::openapi {
namespace {

// YAML 1.2 core schema, as tag resolution for plain scalars.
boost::json::value plain_scalar(const std::string& text) {
    static const std::regex null_form("~|null|Null|NULL|");
    static const std::regex true_form("true|True|TRUE");
    static const std::regex false_form("false|False|FALSE");
    static const std::regex int_form("[-+]?[0-9]+");
    static const std::regex float_form(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
    if (std::regex_match(text, null_form)) return nullptr;
    if (std::regex_match(text, true_form)) return true;
    if (std::regex_match(text, false_form)) return false;
    if (std::regex_match(text, int_form)) {
        std::int64_t value = 0;
        const char* begin = text.data() + (text.front() == '+' ? 1 : 0);
        const auto [end, error] = std::from_chars(begin, text.data() + text.size(), value);
        if (error == std::errc() && end == text.data() + text.size()) return value;
        return std::strtod(text.c_str(), nullptr);  // beyond int64: a float, as JSON readers do
    }
    if (std::regex_match(text, float_form)) return std::strtod(text.c_str(), nullptr);
    return boost::json::string(text);
}

boost::json::value convert(const YAML::Node& node, const std::string& name) {
    switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
        return nullptr;
    case YAML::NodeType::Scalar:
        // yaml-cpp tags quoted (and explicitly !!str) scalars "!" or "tag:yaml.org,2002:str".
        if (node.Tag() == "?") return plain_scalar(node.Scalar());
        return boost::json::string(node.Scalar());
    case YAML::NodeType::Sequence: {
        boost::json::array array;
        for (const auto& item : node) array.push_back(convert(item, name));
        return array;
    }
    case YAML::NodeType::Map: {
        boost::json::object object;
        for (const auto& member : node) {
            if (!member.first.IsScalar())
                throw OpenApiError(name + ":" + std::to_string(member.first.Mark().line + 1) +
                                   ": a mapping key that is not a scalar; OpenAPI keys are strings");
            object[member.first.Scalar()] = convert(member.second, name);
        }
        return object;
    }
    }
    return nullptr;
}

}  // namespace

boost::json::value yaml_to_json(const std::string& text, const std::string& name) {
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
        throw OpenApiError(name + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                           ": not valid YAML or JSON: " + e.msg);
    }
    return convert(root, name);
}

}  // namespace cproxy::openapi
