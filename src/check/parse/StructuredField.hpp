#pragma once
// Structured Field Values (RFC 8941, kept by RFC 9651): a strict parser for the three
// top-level types, sf-list, sf-dictionary and sf-item, following the parsing algorithms of
// RFC 8941 §4.2 exactly (lowercase keys, Integer at most 15 digits, Decimal at most 12 + 3
// digits, String escapes only `\"` and `\\`, no trailing comma, SP only inside inner lists
// and after ";"). RFC 9651's Date (`@1659578233`) and Display String (`%"caf%c3%a9"`) bare
// items are accepted too, so a field valid under the current standard is never reported.
// Allocation-free: views into the input, members handed to a callback.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>

#include "check/HttpBase.hpp"

namespace cproxy::check {

enum class SfType : std::uint8_t { integer, decimal, string, token, byte_sequence, boolean, date, display_string };

std::string_view to_string(SfType type) noexcept;

struct SfBareItem {
    SfType type = SfType::boolean;
    std::string_view text;     // as written: a String or Display String with its quotes
    std::int64_t integer = 0;  // the value of an Integer or Date
    bool boolean = true;       // the value of a Boolean
};

// One member of a list or a dictionary.
struct SfMember {
    std::string_view key;      // the dictionary key; empty in a list
    bool inner_list = false;   // an Inner List, `(a b);p`; then `item` is unset
    SfBareItem item;           // the bare item (a bare dictionary key is Boolean true)
    std::string_view parameters;  // ";a=1;b" as written (validated; read with for_each_sf_parameter)
    std::string_view text;        // the whole member as written
};

// Why a parse failed, and where (an offset into the parsed text).
struct SfResult {
    bool ok = true;
    std::size_t error_offset = 0;
    std::string_view error;  // e.g. "a key must start with a lowercase letter or '*'"
    explicit operator bool() const noexcept { return ok; }
};

// A non-owning reference to a callable, so the parser is not a template.
template <class Signature>
class SfCallback;
template <class R, class... Args>
class SfCallback<R(Args...)> {
public:
    SfCallback() noexcept = default;
    template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, SfCallback>>>
    SfCallback(F&& f) noexcept  // NOLINT(google-explicit-constructor): used like a function parameter
        : object_(const_cast<void*>(static_cast<const void*>(&f))),
          call_([](void* object, Args... args) -> R {
              return (*static_cast<std::remove_reference_t<F>*>(object))(std::forward<Args>(args)...);
          }) {}
    explicit operator bool() const noexcept { return call_ != nullptr; }
    R operator()(Args... args) const { return call_(object_, std::forward<Args>(args)...); }

private:
    void* object_ = nullptr;
    R (*call_)(void*, Args...) = nullptr;
};

using SfMemberCallback = SfCallback<void(const SfMember&)>;

// sf-list (RFC 8941 §4.2.1). An empty text is an empty list. on_member sees each member as it
// is parsed, so members before a failure are seen too.
SfResult parse_sf_list(std::string_view text, SfMemberCallback on_member = {});
// sf-dictionary (RFC 8941 §4.2.2). An empty text is an empty dictionary. A repeated key is
// valid (the last one wins); on_member sees every occurrence.
SfResult parse_sf_dictionary(std::string_view text, SfMemberCallback on_member = {});
// sf-item (RFC 8941 §4.2.3): a bare item and its parameters, nothing else.
SfResult parse_sf_item(std::string_view text, SfBareItem* item = nullptr,
                       std::string_view* parameters = nullptr);

// Every parameter of an already validated parameter text (SfMember::parameters), in order; a
// parameter without a value is Boolean true.
void for_each_sf_parameter(std::string_view parameters,
                           SfCallback<void(std::string_view key, const SfBareItem&)> on_parameter);

// The field lines of one field joined with ", " (RFC 9110 §5.3; empty lines included, as
// RFC 8941 §4.2 combines them) into `buffer`. A single line is returned as it is; when the
// joined value does not fit, `fits` is set to false and the result is empty.
std::string_view join_field_lines(const RawHead& head, KnownField field, std::span<char> buffer,
                                  bool& fits) noexcept;

}  // namespace cproxy::check
