// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/): log.entries[] with request and
// response; each entry with a response becomes one exchange.
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <string>

#include "conformance_proxy/check/head_summary.hpp"
#include "lint/LintInputParts.hpp"

namespace cproxy::lint {
namespace {

namespace json = boost::json;

// Reads members of one entry, failing with the entry's number and the member's path.
class EntryReader {
public:
    EntryReader(std::string_view source_name, std::size_t index)
        : source_name_(source_name), index_(index) {}

    const json::object& object(const json::object& parent, std::string_view key,
                               std::string_view path) const {
        const json::value* value = parent.if_contains(key);
        if (!value || !value->is_object()) missing(path, "an object");
        return value->get_object();
    }
    std::string_view string(const json::object& parent, std::string_view key,
                            std::string_view path) const {
        const json::value* value = parent.if_contains(key);
        if (!value || !value->is_string()) missing(path, "a string");
        return value->get_string();
    }
    std::string_view optional_string(const json::object& parent, std::string_view key) const {
        const json::value* value = parent.if_contains(key);
        return value && value->is_string() ? std::string_view(value->get_string()) : "";
    }
    std::int64_t integer(const json::object& parent, std::string_view key,
                         std::string_view path) const {
        const json::value* value = parent.if_contains(key);
        if (value && value->is_int64()) return value->get_int64();
        if (value && value->is_uint64()) return static_cast<std::int64_t>(value->get_uint64());
        if (value && value->is_double()) {
            // Converting a double beyond int64 (1e300 is valid JSON) is undefined behaviour.
            const double number = value->get_double();
            if (number > -9.2e18 && number < 9.2e18) return static_cast<std::int64_t>(number);
            fail(source_name_, "entry " + std::to_string(index_ + 1) + ": " + std::string(path) +
                                   " is out of range");
        }
        missing(path, "a number");
    }
    std::int64_t optional_integer(const json::object& parent, std::string_view key,
                                  std::int64_t fallback) const {
        const json::value* value = parent.if_contains(key);
        if (!value || !value->is_number()) return fallback;
        return integer(parent, key, key);
    }
    [[noreturn]] void missing(std::string_view path, std::string_view kind) const {
        fail(source_name_, "entry " + std::to_string(index_ + 1) + ": " + std::string(path) +
                               " is missing or not " + std::string(kind));
    }

private:
    std::string_view source_name_;
    std::size_t index_;
};

// The origin-form target of an absolute URL: path and query ("/" when the path is empty).
std::string target_of(std::string_view url) {
    const auto parsed = boost::urls::parse_uri_reference(url);
    if (!parsed) return std::string(url);
    std::string target(parsed->encoded_target());
    if (target.empty() || target.front() == '?') target.insert(0, "/");
    return target;
}

// Appends one field line per header of a HAR headers array (request or response).
void append_header_lines(const EntryReader& reader, const json::object& message, std::string_view path,
                         std::string& head) {
    const json::value* headers = message.if_contains("headers");
    if (headers && !headers->is_array()) reader.missing(std::string(path) + ".headers", "an array");
    if (!headers) return;
    const std::string name_path = std::string(path) + ".headers[].name";
    const std::string value_path = std::string(path) + ".headers[].value";
    for (const json::value& header : headers->get_array()) {
        if (!header.is_object()) reader.missing(std::string(path) + ".headers[]", "an object");
        const std::string_view name = reader.string(header.get_object(), "name", name_path);
        const std::string_view value = reader.string(header.get_object(), "value", value_path);
        if (name.substr(0, 1) == ":") continue;  // HTTP/2 pseudo-header such as :status
        // Browsers join repeated fields (Set-Cookie) with newlines: one line each.
        std::size_t start = 0;
        while (true) {
            const std::size_t lf = value.find('\n', start);
            head += std::string(name) + ": " +
                    std::string(value.substr(start, lf == std::string_view::npos ? lf : lf - start)) + "\r\n";
            if (lf == std::string_view::npos) break;
            start = lf + 1;
        }
    }
}

std::string rebuild_head(const EntryReader& reader, const json::object& response,
                         std::int64_t status) {
    std::string_view version = reader.optional_string(response, "httpVersion");
    if (version.empty()) version = "HTTP/1.1";
    std::string head = std::string(version) + " " + std::to_string(status) + " " +
                       std::string(reader.optional_string(response, "statusText")) + "\r\n";
    append_header_lines(reader, response, "response", head);
    head += "\r\n";
    return head;
}

// The request head as the client sent it, so rules that read request fields run offline too.
std::string rebuild_request_head(const EntryReader& reader, const json::object& request, std::string_view method,
                                 std::string_view target) {
    std::string head = std::string(method) + " " + std::string(target) + " HTTP/1.1\r\n";
    append_header_lines(reader, request, "request", head);
    head += "\r\n";
    return head;
}

}  // namespace

std::vector<LintExchange> load_har(std::string_view text, std::string_view source_name) {
    boost::system::error_code error;
    const json::value document = json::parse(text, error);
    if (error) fail(source_name, "not a valid HAR file: the JSON does not parse (" + error.message() + ")");
    const json::object* root = document.if_object();
    const json::value* log = root ? root->if_contains("log") : nullptr;
    if (!log || !log->is_object()) fail(source_name, "not a HAR file: no \"log\" object at the top");
    const json::value* entries = log->get_object().if_contains("entries");
    if (!entries || !entries->is_array())
        fail(source_name, "not a HAR file: log.entries is missing or not an array");

    std::vector<LintExchange> exchanges;
    const json::array& entry_list = entries->get_array();
    for (std::size_t index = 0; index < entry_list.size(); ++index) {
        const EntryReader reader(source_name, index);
        if (!entry_list[index].is_object()) reader.missing("the entry", "an object");
        const json::object& entry = entry_list[index].get_object();
        const json::object& request = reader.object(entry, "request", "request");
        const json::object& response = reader.object(entry, "response", "response");
        const std::int64_t status = reader.integer(response, "status", "response.status");
        if (status == 0) continue;  // no response: blocked, aborted or failed

        const std::string_view url = reader.string(request, "url", "request.url");
        LintExchange exchange;
        exchange.method = std::string(reader.string(request, "method", "request.method"));
        exchange.target = target_of(url);
        exchange.label = std::string(source_name) + " entry " + std::to_string(index + 1) + " (" +
                         exchange.method + " " + std::string(url.substr(0, 80)) +
                         (url.size() > 80 ? "...)" : ")");
        exchange.raw_head = rebuild_head(reader, response, status);
        exchange.raw_request_head = rebuild_request_head(reader, request, exchange.method, exchange.target);
        // response.content.text is the decoded content (transfer and content codings removed by
        // the browser); base64 text is binary we do not judge.
        if (const json::value* content = response.if_contains("content"); content && content->is_object()) {
            const std::string_view encoding = reader.optional_string(content->get_object(), "encoding");
            if (encoding.empty()) {
                exchange.content = std::string(reader.optional_string(content->get_object(), "text"));
                exchange.content_whole = true;
            }
        }

        // bodySize: bytes of the body as received, -1 when unknown; 0 is also what browsers
        // record for cached entries, so only a positive size is evidence.
        const std::int64_t body_size = reader.optional_integer(response, "bodySize", -1);
        const auto summary = check::summarize_head(exchange.raw_head);
        switch (check::body_framing(summary, exchange.method)) {
            case check::BodyFraming::none:
                if (exchange.method != "HEAD" && body_size > 0)
                    exchange.outcome.bytes_after_head = static_cast<std::uint64_t>(body_size);
                break;
            case check::BodyFraming::content_length:
                exchange.outcome.complete =
                    !(body_size > 0 && static_cast<std::uint64_t>(body_size) < summary.content_length);
                break;
            default:
                break;
        }
        exchanges.push_back(std::move(exchange));
    }
    return exchanges;
}

}  // namespace cproxy::lint
