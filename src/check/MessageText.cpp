#include "check/MessageText.hpp"

#include <cstdio>

#include "check/HttpBase.hpp"

namespace cproxy::check::message {

std::string quote(std::string_view value) {
    bool truncated = false;
    if (value.size() > max_quoted_chars) {
        std::size_t cut = max_quoted_chars;
        // Do not split a UTF-8 sequence: back up over continuation bytes.
        while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
        value = value.substr(0, cut);
        truncated = true;
    }
    std::string text;
    text.reserve(value.size() + 8);
    text += '"';
    // Runs of plain characters are appended whole: a finding's message quotes a value on
    // every exchange that has the finding, and most values need no escape at all.
    std::size_t plain_from = 0;
    for (std::size_t i = 0; i < value.size(); ++i) {
        const auto u = static_cast<unsigned char>(value[i]);
        if (u >= 0x20 && u != 0x7f && u != '"' && u != '\\') continue;
        text.append(value.substr(plain_from, i - plain_from));
        plain_from = i + 1;
        switch (u) {
            case '\r': text += "\\r"; break;
            case '\n': text += "\\n"; break;
            case '\0': text += "\\0"; break;
            case '\t': text += "\\t"; break;
            case '"': text += "\\\""; break;
            case '\\': text += "\\\\"; break;
            default: {
                char escaped[5];
                std::snprintf(escaped, sizeof escaped, "\\x%02X", u);
                text += escaped;
            }
        }
    }
    text.append(value.substr(plain_from));
    if (truncated) text += "...";
    text += '"';
    return text;
}

std::string quote_field_value(const FieldLine& field) {
    // Classify again from the trimmed name: "Set-Cookie :" is not a token but still a cookie.
    if (is_credential_field(field.known) ||
        is_credential_field(classify_field_name(grammar::trim_ows(field.name))))
        return "(value redacted)";
    return quote(field.value);
}

std::string concat(std::initializer_list<std::string_view> parts) {
    std::size_t size = 0;
    for (std::string_view part : parts) size += part.size();
    std::string text;
    text.reserve(size);
    for (std::string_view part : parts) text += part;
    return text;
}

}  // namespace cproxy::check::message
