#pragma once
// Helpers for the checker tests: write heads with "\n" line ends (turned into CRLF), run the
// checker, and assert on rule ids, levels and message text.
#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "conformance_proxy/check/checker.hpp"

namespace cproxy::check::test {

// "HTTP/1.1 200 OK\nDate: ...\n" -> CRLF line ends plus the empty line that ends the head.
inline std::string head_of(std::string_view lines) {
    std::string head;
    for (char c : lines) {
        if (c == '\n') head += '\r';
        head += c;
    }
    if (head.size() < 2 || head.substr(head.size() - 2) != "\r\n") head += "\r\n";
    head += "\r\n";
    return head;
}

inline constexpr std::string_view kDate = "Date: Sun, 06 Nov 1994 08:49:37 GMT\n";

// A status line, Date, the extra lines, and an empty body (Content-Length: 0).
inline std::string empty_response(std::string_view status_line, std::string_view more = "") {
    return std::string(status_line) + "\n" + std::string(kDate) + std::string(more) +
           "Content-Length: 0\n";
}

inline RequestContext request(std::string_view method = "GET", std::string_view target = "/",
                              bool from_origin = true) {
    return RequestContext{method, target, from_origin};
}

inline Findings check_head(std::string_view lines, const RequestContext& context = request(),
                           const Checker& checker = Checker{}) {
    Findings findings;
    checker.check_head(head_of(lines), context, findings);
    return findings;
}

inline std::string ids_of(const Findings& findings) {
    std::string ids;
    for (const Finding& finding : findings) {
        if (!ids.empty()) ids += ", ";
        ids += finding.rule->id;
        ids += " [";
        ids += finding.message;
        ids += "]";
    }
    return ids.empty() ? "(none)" : ids;
}

inline const Finding* find_finding(const Findings& findings, std::string_view id) {
    for (const Finding& finding : findings)
        if (finding.rule->id == id) return &finding;
    return nullptr;
}

inline bool has_rule(const Findings& findings, std::string_view id) {
    return find_finding(findings, id) != nullptr;
}

}  // namespace cproxy::check::test

// The finding with this id is present at this level, and its message contains `quoted`.
#define CHECK_FINDING(findings, id, level_, quoted)                                            \
    do {                                                                                       \
        const ::cproxy::check::Findings& findings_ = (findings); /* evaluated once */           \
        const auto* found_ = ::cproxy::check::test::find_finding(findings_, (id));             \
        INFO("findings: ", ::cproxy::check::test::ids_of(findings_));                          \
        REQUIRE(found_ != nullptr);                                                            \
        CHECK(found_->level == (level_));                                                      \
        INFO("message: ", found_->message);                                                    \
        CHECK(found_->message.find(quoted) != std::string::npos);                              \
        CHECK(found_->message.find('\n') == std::string::npos);                                \
    } while (false)

#define CHECK_CLEAN(findings)                                                                  \
    do {                                                                                       \
        const ::cproxy::check::Findings& findings_ = (findings);                               \
        INFO("findings: ", ::cproxy::check::test::ids_of(findings_));                          \
        CHECK(findings_.empty());                                                              \
    } while (false)

#define CHECK_NO_FINDING(findings, id)                                                         \
    do {                                                                                       \
        const ::cproxy::check::Findings& findings_ = (findings);                               \
        INFO("findings: ", ::cproxy::check::test::ids_of(findings_));                          \
        CHECK_FALSE(::cproxy::check::test::has_rule(findings_, (id)));                         \
    } while (false)
