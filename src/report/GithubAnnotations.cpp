#include "conformance_proxy/report/GithubAnnotations.hpp"

#include "report/Text.hpp"

namespace cproxy::report {

namespace {

std::string escape(std::string_view in, bool property) {
    std::string out;
    out.reserve(in.size());
    for (const char c : in) {
        switch (c) {
        case '%': out += "%25"; break;
        case '\r': out += "%0D"; break;
        case '\n': out += "%0A"; break;
        case ':': out += property ? "%3A" : ":"; break;
        case ',': out += property ? "%2C" : ","; break;
        default: out += c;
        }
    }
    return out;
}

std::string_view command_name(check::Level level) {
    switch (level) {
    case check::Level::error: return "error";
    case check::Level::warning: return "warning";
    case check::Level::info: break;
    }
    return "notice";
}

// "DELETE /items/{id} -> 405"; lint of a bare response knows no method.
std::string where(const std::string& method, const std::string& route, int status) {
    return (method.empty() ? "" : method + " ") + route + " -> " + std::to_string(status);
}

}  // namespace

std::string github_command(check::Level level, std::string_view title, std::string_view message) {
    std::string out = "::";
    out += command_name(level);
    out += " title=" + escape(text::valid_utf8(title), true) + "::" + escape(text::valid_utf8(message), false);
    out += '\n';
    return out;
}

std::string render_github_annotations(const ReportSnapshot& s) {
    std::string out;
    if (s.baseline) {
        for (const auto& f : s.fingerprints) {
            if (f.baseline != BaselineMark::new_finding) continue;
            const auto* rule = s.find(f.fingerprint.rule);
            const std::string reference = rule ? " (" + rule->rule.reference + ")" : std::string();
            out += github_command(f.level, f.fingerprint.rule + " (new)",
                                  where(f.fingerprint.method, f.fingerprint.route, f.fingerprint.status) + ", " +
                                      std::to_string(f.count) + "x: " + f.message + reference);
        }
        return out;
    }
    for (const auto& r : s.rules)
        for (const auto& h : r.routes)
            out += github_command(h.level, r.rule.id,
                                  where(h.method, h.route, h.status) + ", " + std::to_string(h.count) + "x: " +
                                      h.message + " (" + r.rule.reference + ")");
    return out;
}

}  // namespace cproxy::report
