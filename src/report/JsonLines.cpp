#include "conformance_proxy/report/JsonLines.hpp"

#include <charconv>
#include <concepts>
#include <cstdint>
#include <cstring>
#include <ctime>


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

// Whether any of 8 bytes may be a control character, '"' or '\\' (the bytes JSON escapes).
// Exact about "none": a word it clears needs no escaping at all.
constexpr bool may_need_json_escape(std::uint64_t bytes) noexcept {
    constexpr std::uint64_t ones = 0x0101010101010101ULL;
    constexpr std::uint64_t highs = 0x8080808080808080ULL;
    const std::uint64_t below_space = (bytes - ones * 0x20) & ~bytes & highs;
    const std::uint64_t quote = bytes ^ (ones * '"');
    const std::uint64_t backslash = bytes ^ (ones * '\\');
    return (below_space | ((quote - ones) & ~quote & highs) | ((backslash - ones) & ~backslash & highs)) != 0;
}

// A JSON string (RFC 8259 §7): quote, backslash and control characters escaped, everything
// else (UTF-8 included; the callers made it valid) as it is. Written here rather than through
// Boost.JSON's serializer, which builds a string per value: the writer formats one line per
// finding, and under load that is most of its work, so text is scanned 8 bytes at a time.
// The unit tests parse lines back with Boost.JSON, every ASCII character included.
void append_json_string(std::string& out, std::string_view text) {
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    std::size_t plain_from = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t end = text.size();
        if (i + 8 <= text.size()) {
            std::uint64_t word;
            std::memcpy(&word, text.data() + i, sizeof word);
            if (!may_need_json_escape(word)) {
                i += 8;
                continue;
            }
            end = i + 8;
        }
        for (; i < end; ++i) {
            const auto c = static_cast<unsigned char>(text[i]);
            if (c >= 0x20 && c != '"' && c != '\\') continue;
            out.append(text.substr(plain_from, i - plain_from));
            plain_from = i + 1;
            switch (c) {
                case '"': out += "\\\""; break;
                case '\\': out += "\\\\"; break;
                case '\n': out += "\\n"; break;
                case '\r': out += "\\r"; break;
                case '\t': out += "\\t"; break;
                default:
                    out += "\\u00";
                    out += hex[c >> 4];
                    out += hex[c & 0xF];
            }
        }
    }
    out.append(text.substr(plain_from));
    out += '"';
}

// One member: its key (`"name":`, written as one literal) and the value as JSON, then a comma.
// The line is assembled directly, without a json::object per finding.
void append_member(std::string& out, std::string_view key, std::string_view string_value) {
    out += key;
    append_json_string(out, string_value);
    out += ',';
}

void append_member(std::string& out, std::string_view key, std::integral auto number) {
    out += key;
    char digits[24];
    out.append(digits, std::to_chars(digits, digits + sizeof digits, number).ptr);
    out += ',';
}

// Text from the wire as it is when it is ASCII (nearly always: a method, a target, a message
// quoting a field value), else repaired to valid UTF-8 first. No copy in the common case.
template <class Append>
void with_valid_utf8(std::string_view text, Append&& append) {
    if (text::is_ascii(text)) return append(text);
    const std::string repaired = text::valid_utf8(text);
    append(std::string_view(repaired));
}

void append_line(std::string& out, const ExchangeRecord& record, const check::Finding& finding,
                 std::string_view time, std::string_view method, std::string_view target,
                 BaselineMark mark = BaselineMark::none) {
    const auto* rule = finding.rule;
    // This member order is the INTERFACE.md contract. Rule ids and references are ASCII
    // constants of the catalogue; only text that came from the wire needs valid UTF-8.
    out += '{';
    append_member(out, R"("time":)", time);
    append_member(out, R"("exchange":)", record.exchange);
    append_member(out, R"("rule":)", rule ? std::string_view(rule->id) : std::string_view("unknown"));
    append_member(out, R"("level":)", level_name(finding.level));
    // Who has to change: the upstream's response or the client's request.
    append_member(out, R"("subject":)", check::to_string(rule ? rule->side : check::Side::response));
    append_member(out, R"("method":)", method);
    append_member(out, R"("target":)", target);
    append_member(out, R"("status":)", record.status);
    with_valid_utf8(finding.message, [&](std::string_view message) { append_member(out, R"("message":)", message); });
    append_member(out, R"("reference":)", rule ? std::string_view(rule->reference) : std::string_view());
    // A stateful finding names the earlier exchange it contradicts.
    if (finding.earlier) {
        out += "\"earlier\":{";
        append_member(out, R"("exchange":)", finding.earlier->exchange);
        char earlier_time[32];
        append_member(out, R"("time":)", utc_millis(earlier_time, finding.earlier->time));
        out.back() = '}';
        out += ',';
    }
    if (mark != BaselineMark::none) append_member(out, R"("baseline":)", baseline_mark_name(mark));  // --baseline: known or new
    out.back() = '}';
    out += '\n';
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
