#include "conformance_proxy/report/ExchangeRecord.hpp"

#include <array>

#include "conformance_proxy/http/FieldLists.hpp"
#include "report/Text.hpp"

namespace cproxy::report {

namespace {
constexpr std::string_view redacted = "[redacted]";
}

bool is_credential_field(std::string_view name) noexcept { return http::is_credential_field_name(name); }

std::string redact_field_value(std::string_view name, std::string_view value) {
    return is_credential_field(name) ? std::string(redacted) : std::string(value);
}

std::string redact_target(std::string_view target) {
    // Only absolute-form targets ("scheme://userinfo@host/...") can carry credentials here.
    const auto scheme_end = target.find("://");
    if (scheme_end == std::string_view::npos) return std::string(target);
    const auto authority_begin = scheme_end + 3;
    const auto authority_end = target.find_first_of("/?# ", authority_begin);
    const auto authority = target.substr(authority_begin, authority_end == std::string_view::npos
                                                              ? std::string_view::npos
                                                              : authority_end - authority_begin);
    const auto at = authority.rfind('@');
    if (at == std::string_view::npos || authority.substr(0, at) == redacted) return std::string(target);
    std::string out(target.substr(0, authority_begin));
    out += redacted;
    out += target.substr(authority_begin + at);
    return out;
}

bool is_relevant_field(std::string_view name) noexcept {
    static constexpr std::array<std::string_view, 17> relevant{
        "www-authenticate", "proxy-authenticate", "allow",         "retry-after",
        "location",         "content-type",       "content-length", "transfer-encoding",
        "content-range",    "date",               "upgrade",        "connection",
        "set-cookie",       "etag",               "last-modified",  "expires",
        "age"};
    for (auto f : relevant)
        if (text::iequals(name, f)) return true;
    return false;
}

void ExampleExchange::set_request_line(std::string_view line) {
    // "METHOD target HTTP/1.1": redact the target part only.
    const auto sp1 = line.find(' ');
    const auto sp2 = line.rfind(' ');
    if (sp1 == std::string_view::npos || sp2 <= sp1) {
        request_line = redact_target(line);
        return;
    }
    request_line = std::string(line.substr(0, sp1 + 1));
    request_line += redact_target(line.substr(sp1 + 1, sp2 - sp1 - 1));
    request_line += line.substr(sp2);
}

void ExampleExchange::add_field(std::string_view name, std::string_view value) {
    if (fields.size() >= max_fields) return;
    fields.push_back({std::string(name),
                      text::truncate(redact_field_value(name, value), max_value_length)});
}

void ExampleExchange::redact() {
    set_request_line(std::string(request_line));
    for (auto& f : fields)
        if (is_credential_field(f.name)) f.value = std::string(redacted);
}

}  // namespace cproxy::report
