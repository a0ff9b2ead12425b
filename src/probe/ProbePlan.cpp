// Which probes a route gets after its first GET, from what that GET's response showed (pure).
// Safe by default: GET, HEAD, OPTIONS and an unknown method, never content; PUT, PATCH and
// DELETE only when asked for.
#include "check/HttpBase.hpp"
#include "conformance_proxy/probe/Probe.hpp"

namespace cproxy::probe {
namespace {

bool is_credential(const HeaderField& field) {
    return check::grammar::iequals(field.name, "authorization") || check::grammar::iequals(field.name, "cookie");
}

}  // namespace

std::vector<ProbeRequest> follow_up_probes(const std::string& target, std::string_view raw_response_head,
                                           const std::vector<HeaderField>& headers, bool unsafe) {
    std::vector<ProbeRequest> out;
    out.push_back({"HEAD", target, headers, "HEAD beside GET: the same fields"});
    out.push_back({"OPTIONS", target, headers, "OPTIONS: the Allow rules"});
    // Unknown to every server: 501, or 405 with Allow (RFC 9110 §9.1, §15.5.6).
    out.push_back({"CONFORMANCE-PROBE", target, headers, "an unknown method: 501, or 405 with Allow"});
    // Last: a DELETE may change what the other probes would see.
    const auto add_unsafe = [&] {
        if (unsafe)
            for (const char* method : {"PUT", "PATCH", "DELETE"})
                out.push_back({method, target, headers, "an unsafe method (--unsafe-methods), without content"});
        return out;
    };
    if (raw_response_head.empty()) return add_unsafe();
    const check::RawHead head(raw_response_head);
    const int status = head.status();

    const bool sent_credentials = std::any_of(headers.begin(), headers.end(), is_credential);
    if (status >= 200 && status <= 299 && sent_credentials) {
        std::vector<HeaderField> without;
        for (const auto& field : headers)
            if (!is_credential(field)) without.push_back(field);
        out.push_back({"GET", target, without, "the same request without credentials: 401 with a challenge"});
    }
    if (status == 200) {
        const check::FieldLine* etag = head.first(check::KnownField::etag);
        const check::FieldLine* modified = head.first(check::KnownField::last_modified);
        if (etag) {
            auto fields = headers;
            fields.push_back({"If-None-Match", std::string(etag->value)});
            out.push_back({"GET", target, fields, "conditional GET (If-None-Match): the 304 rules"});
        }
        if (modified) {
            auto fields = headers;
            fields.push_back({"If-Modified-Since", std::string(modified->value)});
            out.push_back({"GET", target, fields, "conditional GET (If-Modified-Since): the 304 rules"});
        }
        if (etag || modified) {
            auto first = headers;
            first.push_back({"Range", "bytes=0-0"});
            out.push_back({"GET", target, first, "Range: bytes=0-0: the 206/200 rules"});
            auto beyond = headers;
            beyond.push_back({"Range", "bytes=999999999999-"});
            out.push_back({"GET", target, beyond, "an unsatisfiable range: the 416 rules"});
        }
    }
    return add_unsafe();
}

}  // namespace cproxy::probe
