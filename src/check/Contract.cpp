// Response and media-type lookup in the API description, as OpenAPI 3.1 §4.8.16 and §4.8.14
// define them; shared by the contract rules and the coverage report.
#include "check/HttpBase.hpp"
#include "conformance_proxy/check/contract.hpp"

namespace cproxy::check {

const ContractResponse* find_response(const ContractOperation& operation, int status) noexcept {
    if (status < 100 || status > 599) return nullptr;
    const std::string exact = std::to_string(status);
    const std::string range = std::to_string(status / 100) + "XX";
    const ContractResponse* by_range = nullptr;
    const ContractResponse* fallback = nullptr;
    for (const auto& response : operation.responses) {
        if (response.code == exact) return &response;
        if (grammar::iequals(response.code, range)) by_range = &response;
        if (response.code == "default") fallback = &response;
    }
    return by_range ? by_range : fallback;
}

const ContractMediaType* find_media_type(const ContractResponse& response, std::string_view type,
                                         std::string_view subtype) noexcept {
    const ContractMediaType* by_type = nullptr;
    const ContractMediaType* any = nullptr;
    for (const auto& media : response.content) {
        std::string_view range = media.range;
        range = range.substr(0, range.find(';'));
        while (!range.empty() && (range.back() == ' ' || range.back() == '\t')) range.remove_suffix(1);
        const std::size_t slash = range.find('/');
        if (slash == std::string_view::npos) continue;
        const std::string_view range_type = range.substr(0, slash);
        const std::string_view range_subtype = range.substr(slash + 1);
        if (range_type == "*" && range_subtype == "*") {
            if (!any) any = &media;
        } else if (grammar::iequals(range_type, type)) {
            if (grammar::iequals(range_subtype, subtype)) return &media;
            if (range_subtype == "*" && !by_type) by_type = &media;
        }
    }
    return by_type ? by_type : any;
}

}  // namespace cproxy::check
