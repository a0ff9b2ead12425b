#pragma once
// The pure checker: no I/O, no global mutable state. Same code behind the live proxy and
// the offline `lint` command.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "conformance_proxy/check/finding.hpp"
#include "conformance_proxy/check/head_summary.hpp"
#include "conformance_proxy/check/rule.hpp"
#include "conformance_proxy/http/RawHead.hpp"

namespace cproxy::check {

using http::RawHead;  // the lenient parse every rule reads
class Contract;       // the API's description (--openapi), contract.hpp

// What the checker knows of the request that this response answers.
struct RequestContext {
    std::string_view method;  // "GET", ... ("" when unknown, e.g. lint of a bare response)
    std::string_view target;  // request-target as sent by the client
    bool from_origin_in_reverse_mode = true;  // enables 407-from-origin
    // The request head exactly as the client sent it (request line, field lines, empty line);
    // "" when unknown. Rules that read request fields stay silent without it.
    std::string_view raw_head = {};
    // raw_head already parsed (StartLine::request) by the caller, who keeps it alive as long as
    // this context; null: each stage that reads request fields parses raw_head itself.
    const RawHead* parsed_head = nullptr;
};

// Framing facts the proxy learns only while or after streaming the body.
struct BodyOutcome {
    bool complete = true;                // body ended as its framing said it would
    std::uint64_t bytes_after_head = 0;  // for bodiless statuses: bytes seen after the head
    // The first --inspect-body-limit bytes of the content, transfer codings removed (chunked
    // framing and trailers gone, content codings such as gzip kept); empty when nothing was
    // inspected. content_whole: `content` is all of the content, not a prefix cut at the limit.
    std::string_view content = {};
    bool content_whole = false;
    // The field lines of a chunked body's trailer section as they arrived (each ending in its
    // line break, the final empty line excluded); empty when there were none.
    std::string_view trailer_section = {};
};

// Glob over a whole string: '*' matches any run of characters ('/' included), '?' exactly one;
// everything else matches itself, case-sensitively. Never allocates.
bool glob_match(std::string_view pattern, std::string_view text) noexcept;

// The path of a request-target: origin-form without its query ("/a?b" -> "/a"); for an
// absolute-form target ("http://h/a?b", forward-proxy mode) the path after the authority
// ("/a", or "/" when there is none). Authority-form (CONNECT) and "*" are returned as they are.
std::string_view request_path(std::string_view target) noexcept;

// Per-rule effective levels (config overrides), disabled rules, and ignores scoped by request
// method and path. Default: catalogue levels, every rule on, nothing ignored.
class RulePolicy {
public:
    // One scoped ignore: findings of `rule` are dropped for requests whose method matches one
    // of `methods` (globs; empty = any method) and whose path matches the glob `path`.
    struct Ignore {
        const Rule* rule = nullptr;
        std::vector<std::string> methods;
        std::string path;
    };

    RulePolicy();
    void set_level(const Rule& rule, Level level);
    void disable(const Rule& rule);
    void add_ignore(const Rule& rule, std::vector<std::string> method_globs, std::string path_glob);
    bool enabled(const Rule& rule) const noexcept { return enabled_[rule.index]; }
    Level level(const Rule& rule) const noexcept { return levels_[rule.index]; }
    // True when an ignore entry drops this rule's findings for this request. Costs one
    // vector lookup for a rule without ignores; never allocates.
    bool ignored(const Rule& rule, const RequestContext& request) const noexcept;
    std::span<const Ignore> ignores() const noexcept { return ignores_; }

private:
    std::vector<Level> levels_;
    std::vector<bool> enabled_;
    std::vector<bool> has_ignores_;  // per rule: any entry in ignores_ names it
    std::vector<Ignore> ignores_;
};

class Checker {
public:
    // contract: the API description the OpenAPI rules compare with (null: they stay silent);
    // it must outlive the checker.
    explicit Checker(RulePolicy policy = RulePolicy{}, const Contract* contract = nullptr)
        : policy_(std::move(policy)), contract_(contract) {}

    // raw_head: the response head exactly as the upstream wrote it: status line, field
    // lines, and the empty line (CRLF or bare LF line endings). Appends findings to out.
    // Returns what summarize_head(raw_head) would, from the same parse of the head (the
    // proxy needs both for every response).
    HeadSummary check_head(std::string_view raw_head, const RequestContext& request,
                    Findings& out) const;
    // The same over a head already parsed (the proxy's fast path reuses the parse for its
    // rewrite of the head).
    HeadSummary check_head(const RawHead& head, const RequestContext& request, Findings& out) const;
    // The same, and, when wants_content is not null, what wants_content() would say, from the
    // same pass over the subjects (the proxy asks both of every response it relays).
    HeadSummary check_head(const RawHead& head, const RequestContext& request, Findings& out,
                           bool* wants_content) const;

    // The rules about the request alone (the client has to change), once per exchange.
    // Does nothing when request.raw_head is empty.
    void check_request(const RequestContext& request, Findings& out) const;

    // Called once the body has been streamed (or the stream broke off).
    // raw_head is the same head passed to check_head.
    void check_body(std::string_view raw_head, const RequestContext& request,
                    const BodyOutcome& outcome, Findings& out) const;

    // Whether a body rule would read BodyOutcome::content for this response head (and request):
    // the proxy captures the content prefix only then. Never allocates.
    bool wants_content(const RawHead& head, const RequestContext& request) const;

    const RulePolicy& policy() const noexcept { return policy_; }
    const Contract* contract() const noexcept { return contract_; }

private:
    void check_request(const RawHead& head, const RequestContext& request, Findings& out) const;

    RulePolicy policy_;
    const Contract* contract_ = nullptr;
};

}  // namespace cproxy::check
