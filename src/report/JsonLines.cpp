#include "conformance_proxy/report/JsonLines.hpp"

#include <array>
#include <charconv>
#include <concepts>
#include <cstdint>
#include <cstring>
#include <ctime>


#include "conformance_proxy/http/ByteScan.hpp"
#include "conformance_proxy/report/ReportSnapshot.hpp"
#include "report/Text.hpp"

namespace cproxy::report {

namespace {

// "2026-12-07T05:34:02.123Z" written into `buf`. The findings writer stamps every line, and
// under load thousands share one second: strftime runs once per second, not once per line.
std::string_view utc_millis(char (&buf)[32], std::chrono::system_clock::time_point time) {
    using namespace std::chrono;
    const auto secs = floor<seconds>(time);
    const auto millis = static_cast<int>(duration_cast<milliseconds>(time - secs).count());
    thread_local seconds::rep cached_second = -1;
    thread_local char cached_prefix[32];
    thread_local std::size_t cached_size = 0;
    if (secs.time_since_epoch().count() != cached_second) {
        const std::time_t t = system_clock::to_time_t(secs);
        std::tm tm{};
        gmtime_r(&t, &tm);
        cached_size = std::strftime(cached_prefix, sizeof cached_prefix, "%Y-%m-%dT%H:%M:%S", &tm);
        cached_second = secs.time_since_epoch().count();
    }
    std::memcpy(buf, cached_prefix, cached_size);  // 19 characters up to year 9999
    char* tail = buf + cached_size;
    tail[0] = '.';
    tail[1] = static_cast<char>('0' + millis / 100);
    tail[2] = static_cast<char>('0' + millis / 10 % 10);
    tail[3] = static_cast<char>('0' + millis % 10);
    tail[4] = 'Z';
    return {buf, cached_size + 5};
}

}  // namespace

std::string format_utc_millis(std::chrono::system_clock::time_point time) {
    char buf[32];
    return std::string(utc_millis(buf, time));
}

namespace {

// Writes one line into space the caller sized for the worst case, so no byte needs a
// capacity check: the writer formats one line per finding, and under load that is most of
// its work. JSON is written here rather than through Boost.JSON's serializer, which builds
// a string per value. The unit tests parse lines back with Boost.JSON, every ASCII
// character included.
class LineWriter {
public:
    // The most bytes a string of `size` bytes takes as JSON: every byte as \u00XX, two quotes.
    static constexpr std::size_t json_string_bound(std::size_t size) noexcept { return 6 * size + 2; }
    // And a member around it: key, value, comma.
    static constexpr std::size_t member_bound(std::string_view key, std::size_t value_size) noexcept {
        return key.size() + json_string_bound(value_size) + 1;
    }
    static constexpr std::size_t number_member_bound(std::string_view key) noexcept { return key.size() + 21; }

    explicit LineWriter(char* at) noexcept : at_(at) {}
    char* end() const noexcept { return at_; }

    void raw(std::string_view text) noexcept {
        std::memcpy(at_, text.data(), text.size());
        at_ += text.size();
    }
    void raw(char c) noexcept { *at_++ = c; }
    void back(char c) noexcept { at_[-1] = c; }  // replaces the last byte (a member's comma)

    // A JSON string (RFC 8259 §7): quote, backslash and control characters escaped,
    // everything else (UTF-8 included; the callers made it valid) as it is, copied run by run
    // between the bytes to escape (found many bytes at a time).
    void json_string(std::string_view text) noexcept {
        raw('"');
        const char* in = text.data();
        const char* const last = in + text.size();
        for (;;) {
            const char* const next = http::first_control_or<'"', '\\'>(in, last);
            raw(std::string_view(in, static_cast<std::size_t>(next - in)));
            if (next == last) break;
            escape(static_cast<unsigned char>(*next));
            in = next + 1;
        }
        raw('"');
    }

    // One member: its key (`"name":`, written as one literal) and the value, then a comma.
    void member(std::string_view key, std::string_view string_value) noexcept {
        raw(key);
        json_string(string_value);
        raw(',');
    }
    void member(std::string_view key, std::integral auto number) noexcept {
        raw(key);
        at_ = std::to_chars(at_, at_ + 20, number).ptr;  // 20 digits hold any 64-bit value
        raw(',');
    }

private:
    // A quote, a backslash or a control character, escaped.
    void escape(unsigned char c) noexcept {
        static constexpr char hex[] = "0123456789abcdef";
        *at_++ = '\\';
        switch (c) {
            case '"': *at_++ = '"'; break;
            case '\\': *at_++ = '\\'; break;
            case '\n': *at_++ = 'n'; break;
            case '\r': *at_++ = 'r'; break;
            case '\t': *at_++ = 't'; break;
            default:
                raw("u00");
                *at_++ = hex[c >> 4];
                *at_++ = hex[c & 0xF];
        }
    }

    char* at_;
};

// Text from the wire as it is when it is ASCII (nearly always: a method, a target, a message
// quoting a field value), else repaired to valid UTF-8 first. No copy in the common case.
template <class Append>
void with_valid_utf8(std::string_view text, Append&& append) {
    if (text::is_ascii(text)) return append(text);
    const std::string repaired = text::valid_utf8(text);
    append(std::string_view(repaired));
}

// The members of a line that depend on its finding alone, rendered once and kept per thread:
// `"rule":..,"level":..,"subject":..,` and `"message":..,"reference":..,`. A server that breaks
// a rule usually breaks it on every response, with the same message, so most lines reuse
// both and only the exchange's own members (time, number, method, target, status) are
// rendered; escaping and checking the message was a third of a line's cost.
struct FindingMembers {
    const check::Rule* rule = nullptr;
    check::Level level = check::Level::info;
    bool valid = false;
    std::string message;  // the finding's message as given, the key of `tail`
    std::string head;     // "rule", "level", "subject"
    std::string tail;     // "message", "reference"
};

// Renders members into `out` (replacing it) through a LineWriter sized by `bound`.
template <class Render>
void render_into(std::string& out, std::size_t bound, Render&& render) {
    out.resize(bound);
    LineWriter writer(out.data());
    render(writer);
    out.resize(static_cast<std::size_t>(writer.end() - out.data()));
}

const FindingMembers& finding_members(const check::Finding& finding) {
    using W = LineWriter;
    // Direct-mapped by rule: a handful of rules make most findings of a run.
    thread_local std::array<FindingMembers, 64> cache;
    const auto* rule = finding.rule;
    auto& entry = cache[(reinterpret_cast<std::uintptr_t>(rule) / alignof(check::Rule)) % cache.size()];
    const std::string_view reference = rule ? std::string_view(rule->reference) : std::string_view();
    if (!entry.valid || entry.rule != rule || entry.level != finding.level) {
        const std::string_view id = rule ? std::string_view(rule->id) : std::string_view("unknown");
        const std::string_view level = level_name(finding.level);
        // Who has to change: the upstream's response or the client's request.
        const std::string_view subject = check::to_string(rule ? rule->side : check::Side::response);
        render_into(entry.head,
                    W::member_bound(R"("rule":)", id.size()) + W::member_bound(R"("level":)", level.size()) +
                        W::member_bound(R"("subject":)", subject.size()),
                    [&](W& line) {
                        line.member(R"("rule":)", id);
                        line.member(R"("level":)", level);
                        line.member(R"("subject":)", subject);
                    });
        entry.rule = rule;
        entry.level = finding.level;
        entry.valid = true;
        entry.message.clear();
        entry.tail.clear();
    }
    if (entry.tail.empty() || entry.message != finding.message) {
        // Rule ids and references are ASCII constants of the catalogue; only text that came
        // from the wire needs valid UTF-8.
        with_valid_utf8(finding.message, [&](std::string_view message) {
            render_into(entry.tail,
                        W::member_bound(R"("message":)", message.size()) +
                            W::member_bound(R"("reference":)", reference.size()),
                        [&](W& line) {
                            line.member(R"("message":)", message);
                            line.member(R"("reference":)", reference);
                        });
        });
        entry.message = finding.message;
    }
    return entry;
}

void append_line(std::string& out, const ExchangeRecord& record, const check::Finding& finding,
                 std::string_view time, std::string_view method, std::string_view target,
                 BaselineMark mark = BaselineMark::none) {
    const FindingMembers& members = finding_members(finding);
    char earlier_buffer[32];
    const std::string_view earlier_time =
        finding.earlier ? utc_millis(earlier_buffer, finding.earlier->time) : std::string_view();
    const std::string_view marked = mark != BaselineMark::none ? baseline_mark_name(mark) : std::string_view();
    // This member order is the INTERFACE.md contract.
    using W = LineWriter;
    const std::size_t bound =
        2 + W::member_bound(R"("time":)", time.size()) + W::number_member_bound(R"("exchange":)") +
        members.head.size() + W::member_bound(R"("method":)", method.size()) +
        W::member_bound(R"("target":)", target.size()) + W::number_member_bound(R"("status":)") +
        members.tail.size() +
        (finding.earlier ? 12 + W::number_member_bound(R"("exchange":)") +
                               W::member_bound(R"("time":)", earlier_time.size())
                         : 0) +
        W::member_bound(R"("baseline":)", marked.size());
    const std::size_t start = out.size();
    out.resize(start + bound);
    W line(out.data() + start);
    line.raw('{');
    line.member(R"("time":)", time);
    line.member(R"("exchange":)", record.exchange);
    line.raw(members.head);
    line.member(R"("method":)", method);
    line.member(R"("target":)", target);
    line.member(R"("status":)", record.status);
    line.raw(members.tail);
    // A stateful finding names the earlier exchange it contradicts.
    if (finding.earlier) {
        line.raw(R"("earlier":{)");
        line.member(R"("exchange":)", finding.earlier->exchange);
        line.member(R"("time":)", earlier_time);
        line.back('}');
        line.raw(',');
    }
    if (!marked.empty()) line.member(R"("baseline":)", marked);  // --baseline: known or new
    line.back('}');
    line.raw('\n');
    out.resize(static_cast<std::size_t>(line.end() - out.data()));
}

// The members every finding of one exchange shares, made once: its time, its method and its
// target (valid UTF-8, credentials redacted).
template <class Write>
void with_exchange_members(const ExchangeRecord& record, Write&& write) {
    char time[32];
    const std::string_view stamp = utc_millis(time, record.time);
    // Only an absolute-form target can carry userinfo to redact.
    const bool may_redact = record.target.find("://") != std::string::npos;
    const std::string redacted = may_redact ? redact_target(record.target) : std::string();
    const std::string_view target = may_redact ? std::string_view(redacted) : std::string_view(record.target);
    with_valid_utf8(record.method, [&](std::string_view method) {
        with_valid_utf8(target, [&](std::string_view valid_target) { write(stamp, method, valid_target); });
    });
}

}  // namespace

std::string format_finding_line(const ExchangeRecord& record, const check::Finding& finding) {
    std::string out;
    BaselineMark mark = BaselineMark::none;
    for (std::size_t i = 0; i < record.findings.size() && i < record.baseline.size(); ++i)
        if (&record.findings[i] == &finding) mark = record.baseline[i];
    with_exchange_members(record, [&](std::string_view time, std::string_view method, std::string_view target) {
        append_line(out, record, finding, time, method, target, mark);
    });
    return out;
}

void append_finding_lines(std::string& out, const ExchangeRecord& record) {
    if (record.findings.empty()) return;
    with_exchange_members(record, [&](std::string_view time, std::string_view method, std::string_view target) {
        for (std::size_t i = 0; i < record.findings.size(); ++i)
            append_line(out, record, record.findings[i], time, method, target,
                        i < record.baseline.size() ? record.baseline[i] : BaselineMark::none);
    });
}

}  // namespace cproxy::report
