#include "check/Framing.hpp"

#include <charconv>

#include "check/HttpBase.hpp"

namespace cproxy::check {

Framing read_framing(const RawHead& head) noexcept {
    Framing framing;
    const FieldLine* first_length_line = nullptr;
    head.for_each(KnownField::content_length, [&](const FieldLine& line) {
        framing.has_content_length = true;
        std::uint64_t value = 0;
        const char* end = line.value.data() + line.value.size();
        const bool digits_only = grammar::is_digits(line.value);
        const bool fits = digits_only &&
                          std::from_chars(line.value.data(), end, value).ec == std::errc{};
        if (!fits) {
            if (!framing.first_malformed_length) framing.first_malformed_length = &line;
            return;
        }
        if (!first_length_line) {
            first_length_line = &line;
            framing.content_length = value;
        } else if (value != framing.content_length && !framing.differing_length) {
            framing.differing_length = &line;
        }
    });
    framing.content_length_valid = framing.has_content_length && !framing.first_malformed_length &&
                                   !framing.differing_length;

    head.for_each(KnownField::transfer_encoding, [&](const FieldLine& line) {
        framing.has_transfer_encoding = true;
        grammar::for_each_list_element(line.value, [&](std::string_view element) {
            if (!element.empty()) framing.last_coding = element;
            return true;
        });
    });
    if (framing.has_transfer_encoding) {
        const std::string_view coding = framing.last_coding.substr(
            0, grammar::token_length(framing.last_coding, 0));
        framing.chunked_is_last =
            grammar::iequals(coding, "chunked") &&
            grammar::trim_ows(framing.last_coding.substr(coding.size())).empty();
    }
    return framing;
}

}  // namespace cproxy::check
