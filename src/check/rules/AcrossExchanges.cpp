// Across exchanges (RULES-v2 Part B): rules that compare an exchange with earlier ones on the
// same resource or from the same client. Declared here like every subject, so the registry,
// `conformance-proxy rules` and config validation list them; but they run only where a
// History is kept (the proxy, `probe`): the subject has no single-exchange stage. Each check is
// a pure function over a summary (check/state/Summaries.hpp) and the current exchange.
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>
#include <string>

#include "check/MessageText.hpp"
#include "check/Subject.hpp"
#include "check/parse/ContentRange.hpp"
#include "check/parse/EntityTag.hpp"
#include "check/parse/MediaType.hpp"
#include "check/state/StatefulRules.hpp"

namespace cproxy::check {
namespace {

constinit Rule head_content_length_differs{
    .id = "head-content-length-differs",
    .level = Level::error,
    .reference = "RFC 9110 §8.6, §9.3.2",
    .summary = "HEAD's Content-Length differs from the content length of the matching GET",
    .example = "HTTP/1.1 200 OK\nETag: \"v1\"\nContent-Length: 99\n",
    .example_request = "HEAD /page HTTP/1.1\n",
};
constinit Rule head_field_differs{
    .id = "head-field-differs",
    .level = Level::warning,
    .reference = "RFC 9110 §9.3.2",
    .summary = "HEAD's Content-Type, Content-Encoding or Content-Language differs from the matching GET's",
    .example = "HTTP/1.1 200 OK\nETag: \"v1\"\nContent-Type: text/plain\n",
    .example_request = "HEAD /page HTTP/1.1\n",
};
constinit Rule content_length_differs_304{
    .id = "304-content-length-differs",
    .level = Level::error,
    .reference = "RFC 9110 §8.6",
    .summary = "304's Content-Length differs from the length of the 200 it stands for",
    .example = "HTTP/1.1 304 Not Modified\nETag: \"v1\"\nContent-Length: 99\n",
    .example_request = "GET /page HTTP/1.1\nIf-None-Match: \"v1\"\n",
};
constinit Rule missing_200_field_304{
    .id = "304-missing-200-field",
    .level = Level::error,
    .reference = "RFC 9110 §15.4.5",
    .summary = "304 lacks Cache-Control, Expires, Vary or Content-Location that its 200 carried",
    .example = "HTTP/1.1 304 Not Modified\nETag: \"v1\"\n",
    .example_request = "GET /page HTTP/1.1\nIf-None-Match: \"v1\"\n",
};
constinit Rule strong_etag_reused{
    .id = "strong-etag-reused",
    .level = Level::warning,
    .reference = "RFC 9110 §8.8.1, §8.8.3, §8.8.3.3",
    .summary = "one strong ETag on two different representations (lengths or Content-Encoding differ)",
    .example = "HTTP/1.1 200 OK\nETag: \"v1\"\nContent-Length: 5\n\nhello",
    .example_request = "GET /page HTTP/1.1\n",
};
constinit Rule allow_omits_succeeded_method{
    .id = "allow-omits-succeeded-method",
    .level = Level::info,
    .reference = "RFC 9110 §10.2.1",
    .summary = "Allow omits a method that succeeded on the same route earlier",
    .example = "HTTP/1.1 405 Method Not Allowed\nAllow: GET, HEAD\n",
    .example_request = "PATCH /items/7 HTTP/1.1\n",
};
constinit Rule method_not_allowed_after_success{
    .id = "405-after-success",
    .level = Level::info,
    .reference = "RFC 9110 §15.5.6",
    .summary = "405 to a method that succeeded on the same route earlier",
    .example = "HTTP/1.1 405 Method Not Allowed\nAllow: GET\n",
    .example_request = "PUT /items/7 HTTP/1.1\n",
};
constinit Rule head_rejected_get_succeeded{
    .id = "head-rejected-get-succeeded",
    .level = Level::error,
    .reference = "RFC 9110 §9.1, §9.3.2",
    .summary = "405 or 501 to HEAD where GET succeeds",
    .example = "HTTP/1.1 405 Method Not Allowed\nAllow: GET\n",
    .example_request = "HEAD /page HTTP/1.1\n",
};
constinit Rule auth_repeated_rejected_credentials{
    .id = "auth-repeated-rejected-credentials",
    .level = Level::info,
    .reference = "RFC 9110 §11.6.1, §15.5.2",
    .summary = "the same refused credentials sent a third time in a row (an authentication loop)",
    .example = "HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Basic realm=\"api\"\n",
    .example_request = "GET /private HTTP/1.1\nAuthorization: Basic d3Jvbmc6d3Jvbmc=\n",
};
constinit Rule partial_after_accept_ranges_none{
    .id = "206-after-accept-ranges-none",
    .level = Level::warning,
    .reference = "RFC 9110 §14.3",
    .summary = "206 for a representation that earlier said Accept-Ranges: none",
    .example = "HTTP/1.1 206 Partial Content\nETag: \"v1\"\nContent-Range: bytes 0-0/5\nContent-Length: 1\n\nh",
    .example_request = "GET /file HTTP/1.1\nRange: bytes=0-0\n",
};
constinit Rule redirect_loop{
    .id = "redirect-loop",
    .level = Level::warning,
    .reference = "RFC 9110 §15.4",
    .summary = "a client followed a redirect back onto an edge it took in the last 30 s",
    .example = "HTTP/1.1 302 Found\nLocation: /b\n",
    .example_request = "GET /a HTTP/1.1\n",
};
constinit Rule created_resource_not_found{
    .id = "created-resource-not-found",
    .level = Level::info,
    .reference = "RFC 9110 §15.3.2, §15.3.3",
    .summary = "404 or 410 for a resource a 201 created in the last 60 s",
    .example = "HTTP/1.1 404 Not Found\n",
    .example_request = "GET /items/8 HTTP/1.1\n",
};
constinit Rule retry_after_not_honoured{
    .id = "retry-after-not-honoured",
    .level = Level::info,
    .reference = "RFC 9110 §10.2.3; RFC 6585 §4",
    .summary = "a client came back before the Retry-After of its latest 429/503 on the route",
    .example = "HTTP/1.1 429 Too Many Requests\nRetry-After: 60\n",
    .example_request = "GET /api HTTP/1.1\n",
};
constinit Rule expect_continue_after_417{
    .id = "expect-100-continue-after-417",
    .level = Level::warning,
    .reference = "RFC 9110 §10.1.1",
    .summary = "Expect: 100-continue sent again right after a 417 to it",
    .example = "HTTP/1.1 417 Expectation Failed\n",
    .example_request = "PUT /upload HTTP/1.1\nExpect: 100-continue\nContent-Length: 0\n",
};
constinit Rule redirect_method_changed{
    .id = "redirect-method-changed",
    .level = Level::warning,
    .reference = "RFC 9110 §15.4.8, §15.4.9",
    .summary = "after a 307/308 the client requested the Location with another method",
    .example = "HTTP/1.1 200 OK\n",
    .example_request = "GET /new HTTP/1.1\n",
};

Rule* const across_exchanges_rules[] = {
    &head_content_length_differs, &head_field_differs,       &content_length_differs_304,
    &missing_200_field_304,       &strong_etag_reused,       &allow_omits_succeeded_method,
    &method_not_allowed_after_success, &head_rejected_get_succeeded, &auth_repeated_rejected_credentials,
    &partial_after_accept_ranges_none, &redirect_loop,         &created_resource_not_found,
    &retry_after_not_honoured,    &expect_continue_after_417, &redirect_method_changed,
};

}  // namespace

// No single-exchange stage: History runs these (see check/state/).
extern const Subject across_exchanges_subject{"across-exchanges", across_exchanges_rules, nullptr, nullptr, nullptr};

bool is_stateful(const Rule& rule) noexcept { return rule.subject == across_exchanges_subject.name; }

namespace state {
namespace {

using message::quote;

constexpr std::string_view absent_value = "\x01";  // a Vary'd request field that was not sent
constexpr auto redirect_window = std::chrono::seconds(30);
constexpr auto created_window = std::chrono::seconds(60);
constexpr auto method_change_window = std::chrono::seconds(10);

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = grammar::to_lower(c);
    return out;
}

// Every line of a field, joined with ", " (RFC 9110 §5.3).
std::string joined(const RawHead& head, KnownField field) {
    std::string out;
    head.for_each(field, [&](const FieldLine& line) {
        if (!out.empty()) out += ", ";
        out += line.value;
    });
    return out;
}

std::string joined_by_name(const RawHead& head, std::string_view lowercase_name) {
    std::string out;
    bool found = false;
    for (const FieldLine& line : head.fields()) {
        if (!line.has_colon || !grammar::iequals(line.name, lowercase_name)) continue;
        if (found) out += ", ";
        out += line.value;
        found = true;
    }
    return found ? out : std::string(absent_value);
}

// List elements without spaces, lower-cased: codings and language tags compare this way.
std::string list_key(std::string_view list) {
    std::string out;
    grammar::for_each_list_element(list, [&](std::string_view element) {
        if (element.empty()) return true;
        if (!out.empty()) out += ',';
        out += lower(element);
        return true;
    });
    return out;
}

// type/subtype and parameter names case-insensitive, quotes dropped, charset value case-insensitive.
std::string media_type_key(std::string_view text) {
    const auto parsed = parse_media_type(text);
    if (!parsed.media_type) return std::string(grammar::trim_ows(text));
    std::string out = lower(parsed.media_type->type) + "/" + lower(parsed.media_type->subtype);
    std::string_view rest = parsed.media_type->parameters;
    while (!rest.empty()) {
        const auto semi = rest.find(';');
        std::string_view parameter = grammar::trim_ows(rest.substr(0, semi));
        rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
        const auto eq = parameter.find('=');
        if (parameter.empty() || eq == std::string_view::npos) continue;
        const std::string name = lower(grammar::trim_ows(parameter.substr(0, eq)));
        std::string_view value = grammar::trim_ows(parameter.substr(eq + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
        out += ';' + name + '=' + (name == "charset" ? lower(value) : std::string(value));
    }
    return out;
}

bool vary_is_star(std::string_view vary) {
    bool star = false;
    grammar::for_each_list_element(vary, [&](std::string_view element) {
        star = star || element == "*";
        return !star;
    });
    return star;
}

template <class OnName>
void for_each_vary_name(std::string_view vary, OnName&& on_name) {
    grammar::for_each_list_element(vary, [&](std::string_view element) {
        if (!element.empty() && element != "*") on_name(lower(element));
        return true;
    });
}

std::string clock_text(SystemTime time) {
    const std::time_t t = std::chrono::system_clock::to_time_t(time);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:%02d:%02dZ", tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buf;
}

// "exchange #12 at 10:00:01Z": how a message names the earlier exchange.
std::string named(const Seen& seen) {
    return "exchange #" + std::to_string(seen.exchange) + " at " + clock_text(seen.time);
}

Representation summarize(const StatefulView& view, bool is_get) {
    const RawHead& head = view.response;
    Representation r;
    r.seen = view.seen();
    r.etag = joined(head, KnownField::etag);
    if (const auto tag = single_entity_tag(head)) r.strong_etag = !tag->weak;
    r.last_modified = joined(head, KnownField::last_modified);
    r.content_type = joined(head, KnownField::content_type);
    r.content_encoding = joined(head, KnownField::content_encoding);
    r.content_language = joined(head, KnownField::content_language);
    r.vary = joined(head, KnownField::vary);
    for_each_vary_name(r.vary, [&](std::string name) {
        std::string value = joined_by_name(view.request(), name);
        r.varied.emplace_back(std::move(name), std::move(value));
    });
    if (is_get) {
        if (view.complete) r.length = view.content_octets;
    } else if (head.count(KnownField::content_length) == 1 &&
               grammar::is_digits(head.first(KnownField::content_length)->value)) {
        r.length = std::strtoull(std::string(head.first(KnownField::content_length)->value).c_str(), nullptr, 10);
    }
    r.has_cache_control = head.has(KnownField::cache_control);
    r.has_expires = head.has(KnownField::expires);
    r.has_content_location = head.has(KnownField::content_location);
    return r;
}

// The request values named by the GET's Vary are equal in both requests (RULES-v2 pairing).
// `stored` holds its own request's values; the current request is read directly.
bool same_varied_request(const Representation& stored, const RawHead& current_request, std::string_view get_vary) {
    if (vary_is_star(get_vary)) return false;
    bool same = true;
    for_each_vary_name(get_vary, [&](const std::string& name) {
        if (!same) return;
        const auto it = std::find_if(stored.varied.begin(), stored.varied.end(),
                                     [&](const auto& entry) { return entry.first == name; });
        same = it != stored.varied.end() && it->second == joined_by_name(current_request, name);
    });
    return same;
}

// Both describe the same selected representation: the same strong ETag, or neither has an
// ETag and both have the same Last-Modified.
bool same_validators(const Representation& a, const Representation& b) {
    if (!a.etag.empty() || !b.etag.empty()) return a.strong_etag && b.strong_etag && a.etag == b.etag;
    return !a.last_modified.empty() && a.last_modified == b.last_modified;
}

void check_head_get_pair(const Representation& get, const Representation& head, const Representation& stored,
                         const StatefulView& view) {
    if (!same_validators(get, head)) return;
    if (!same_varied_request(stored, view.request(), get.vary)) return;
    const bool head_is_current = view.method == "HEAD";
    const std::string other = head_is_current ? "the 200 to GET (" + named(get.seen) + ")"
                                              : "the 200 to HEAD (" + named(head.seen) + ")";
    if (get.length && head.length && *get.length != *head.length &&
        list_key(get.content_encoding) == list_key(head.content_encoding)) {
        view.sink.report(head_content_length_differs, stored.seen.earlier(), [&] {
            return "HEAD said Content-Length: " + std::to_string(*head.length) + " but GET delivered " +
                   std::to_string(*get.length) + " octets of the same representation (" +
                   (head_is_current ? other : "this GET; compare " + other) +
                   "); send the length GET would deliver, or omit Content-Length on HEAD";
        });
    }
    const auto differs = [&](std::string_view name, const std::string& g, const std::string& h, auto key) {
        if (g.empty() || h.empty() || key(g) == key(h)) return;
        view.sink.report(head_field_differs, stored.seen.earlier(), [&] {
            return std::string(name) + " differs between HEAD (" + quote(h) + ") and GET (" + quote(g) +
                   ") for the same representation (" + other + "); send HEAD the fields GET gets";
        });
    };
    differs("Content-Type", get.content_type, head.content_type, media_type_key);
    differs("Content-Encoding", get.content_encoding, head.content_encoding, list_key);
    differs("Content-Language", get.content_language, head.content_language, list_key);
}

void check_pairing(const ResourceHistory& history, const StatefulView& view) {
    const int status = view.response.status();
    if (status != 200) return;
    if (view.method == "GET" && view.complete && history.head200) {
        const Representation get = summarize(view, true);
        check_head_get_pair(get, *history.head200, *history.head200, view);
    } else if (view.method == "HEAD" && history.get200) {
        const Representation head = summarize(view, false);
        check_head_get_pair(*history.get200, head, *history.get200, view);
    }
}

void check_304(const ResourceHistory& history, const StatefulView& view) {
    if (view.response.status() != 304 || !history.get200) return;
    const Representation& get = *history.get200;
    const auto get_tag = parse_entity_tag(get.etag);
    if (!get_tag) return;
    if (view.method == "GET" && get.strong_etag && get.length && same_varied_request(get, view.request(), get.vary)) {
        const auto own = single_entity_tag(view.response);
        const FieldLine* length = view.response.first(KnownField::content_length);
        if (own && strong_match(*own, *get_tag) && length && view.response.count(KnownField::content_length) == 1 &&
            grammar::is_digits(length->value)) {
            const auto n = std::strtoull(std::string(length->value).c_str(), nullptr, 10);
            if (n != *get.length)
                view.sink.report(content_length_differs_304, get.seen.earlier(), [&] {
                    return "304 says Content-Length: " + std::to_string(n) + " but the 200 it stands for (" +
                           named(get.seen) + ", ETag " + quote(get.etag) + ") had " + std::to_string(*get.length) +
                           " octets; omit Content-Length on 304 or send the 200's length";
                });
        }
    }
    if ((view.method == "GET" || view.method == "HEAD") &&
        list_weakly_matches(view.request(), KnownField::if_none_match, *get_tag)) {
        std::string missing;
        const auto need = [&](bool had, KnownField field, std::string_view name) {
            if (!had || view.response.has(field)) return;
            if (!missing.empty()) missing += ", ";
            missing += name;
        };
        need(get.has_cache_control, KnownField::cache_control, "Cache-Control");
        need(get.has_expires, KnownField::expires, "Expires");
        need(!get.vary.empty(), KnownField::vary, "Vary");
        need(get.has_content_location, KnownField::content_location, "Content-Location");
        if (!missing.empty())
            view.sink.report(missing_200_field_304, get.seen.earlier(), [&] {
                return "304 lacks " + missing + ", which the 200 it stands for carried (" + named(get.seen) +
                       ", ETag " + quote(get.etag) + "); a 304 must send the fields a 200 would";
            });
    }
}

std::optional<PartialResponse> summarize_partial(const StatefulView& view) {
    if (view.response.status() != 206 || view.response.count(KnownField::content_range) != 1) return std::nullopt;
    const auto tag = single_entity_tag(view.response);
    if (!tag || tag->weak) return std::nullopt;
    const auto range = parse_content_range(view.response.first(KnownField::content_range)->value);
    if (!range || range->overflow || !range->complete_length) return std::nullopt;
    return PartialResponse{view.seen(), joined(view.response, KnownField::etag), *range->complete_length,
                           joined(view.response, KnownField::content_encoding)};
}

void check_strong_etag(const ResourceHistory& history, const StatefulView& view) {
    const auto report = [&](const Seen& earlier, std::string what) {
        view.sink.report(strong_etag_reused, earlier.earlier(), [&] {
            return "strong ETag " + quote(joined(view.response, KnownField::etag)) + " was also sent by " +
                   named(earlier) + " for different representation data (" + what +
                   "); change the ETag whenever the data or its Content-Encoding changes";
        });
    };
    const auto coding = [](const std::string& ce) { return list_key(ce.empty() ? "identity" : ce); };
    if (view.method == "GET" && view.response.status() == 200 && view.complete) {
        // Only a strong ETag can be reused: look at it before summarizing the representation.
        if (const auto tag = single_entity_tag(view.response); !tag || tag->weak) return;
        const Representation now = summarize(view, true);
        if (history.get200 && history.get200->strong_etag && history.get200->etag == now.etag && history.get200->length) {
            if (*history.get200->length != *now.length)
                return report(history.get200->seen, "content length " + std::to_string(*history.get200->length) +
                                                        " then " + std::to_string(*now.length));
            if (coding(history.get200->content_encoding) != coding(now.content_encoding))
                return report(history.get200->seen, "Content-Encoding " + quote(history.get200->content_encoding) +
                                                        " then " + quote(now.content_encoding));
        }
        if (history.partial && history.partial->etag == now.etag && history.partial->complete_length != *now.length)
            return report(history.partial->seen, "a 206 said the complete length is " +
                                                     std::to_string(history.partial->complete_length) +
                                                     ", this 200 has " + std::to_string(*now.length) + " octets");
        return;
    }
    const auto partial = summarize_partial(view);
    if (!partial) return;
    if (history.get200 && history.get200->strong_etag && history.get200->etag == partial->etag && history.get200->length) {
        if (*history.get200->length != partial->complete_length)
            return report(history.get200->seen, "the 200 had " + std::to_string(*history.get200->length) +
                                                    " octets, this 206 says the complete length is " +
                                                    std::to_string(partial->complete_length));
        if (coding(history.get200->content_encoding) != coding(partial->content_encoding))
            return report(history.get200->seen, "Content-Encoding " + quote(history.get200->content_encoding) +
                                                    " then " + quote(partial->content_encoding));
    }
    if (history.partial && history.partial->etag == partial->etag) {
        if (history.partial->complete_length != partial->complete_length)
            return report(history.partial->seen, "complete length " + std::to_string(history.partial->complete_length) +
                                                     " then " + std::to_string(partial->complete_length));
        if (coding(history.partial->content_encoding) != coding(partial->content_encoding))
            return report(history.partial->seen, "Content-Encoding " + quote(history.partial->content_encoding) +
                                                     " then " + quote(partial->content_encoding));
    }
}

void check_methods(const ResourceHistory& history, const StatefulView& view) {
    const int status = view.response.status();
    if (view.response.has(KnownField::allow)) {
        const std::string allow = joined(view.response, KnownField::allow);
        // Not a structured binding: clang 14 (the fuzz build) cannot capture one in a lambda.
        for (const auto& entry : history.succeeded) {
            const auto& method = entry.first;
            const auto& seen = entry.second;
            if (method == view.method || method == "HEAD" || method == "OPTIONS") continue;
            bool listed = false;
            grammar::for_each_list_element(allow, [&](std::string_view element) {
                listed = listed || element == method;
                return !listed;
            });
            if (listed) continue;
            const std::string m = method;
            const Seen s = seen;
            view.sink.report(allow_omits_succeeded_method, s.earlier(), [&] {
                return "Allow: " + quote(allow) + " omits " + m + ", which succeeded on this route (" + named(s) +
                       "); list every method the resource supports";
            });
        }
    }
    if (status == 405) {
        if (const Seen* seen = history.succeeded_with(view.method))
            view.sink.report(method_not_allowed_after_success, seen->earlier(), [&] {
                return "405 to " + std::string(view.method) + ", which succeeded on this route (" + named(*seen) +
                       "); check for inconsistent backends or routing";
            });
    }
    if (view.method == "HEAD" && (status == 405 || status == 501)) {
        if (const Seen* get = history.succeeded_with("GET")) {
            view.sink.report(head_rejected_get_succeeded, get->earlier(), [&] {
                return std::to_string(status) + " to HEAD, but GET succeeded on this route (" + named(*get) +
                       "); support HEAD wherever GET is supported";
            });
        } else if (status == 405) {
            bool lists_get = false;
            grammar::for_each_list_element(joined(view.response, KnownField::allow), [&](std::string_view element) {
                lists_get = lists_get || element == "GET";
                return !lists_get;
            });
            if (lists_get)
                view.sink.report(head_rejected_get_succeeded, [&] {
                    return std::string("405 to HEAD whose own Allow lists GET; support HEAD wherever GET is supported");
                });
        }
    }
}

void check_no_ranges(const ResourceHistory& history, const StatefulView& view) {
    if (view.response.status() != 206 || !history.no_ranges) return;
    const auto tag = single_entity_tag(view.response);
    if (!tag || tag->weak || joined(view.response, KnownField::etag) != history.no_ranges->etag) return;
    if (list_key(joined(view.response, KnownField::accept_ranges)) == "none") return;  // the single-exchange rule
    view.sink.report(partial_after_accept_ranges_none, history.no_ranges->seen.earlier(), [&] {
        return "206 for ETag " + quote(history.no_ranges->etag) + ", but " + named(history.no_ranges->seen) +
               " said Accept-Ranges: none for it; announce Accept-Ranges: bytes if ranges are supported";
    });
}

void check_created(const ResourceHistory& history, const StatefulView& view) {
    const int status = view.response.status();
    if ((status != 404 && status != 410) || (view.method != "GET" && view.method != "HEAD")) return;
    if (!history.created || view.now - history.created->at > created_window) return;
    view.sink.report(created_resource_not_found, history.created->earlier(), [&] {
        return std::to_string(status) + " for " + quote(view.uri) + ", which a 201 created " +
               std::to_string(std::chrono::duration_cast<std::chrono::seconds>(view.now - history.created->at).count()) +
               " s ago (" + named(*history.created) + "); answer 202 if creation is asynchronous";
    });
}

std::size_t hash_text(std::string_view text) { return std::hash<std::string_view>{}(text); }

// IMF-fixdate to seconds since the epoch (the other HTTP-date forms are left alone).
std::optional<std::int64_t> imf_seconds(std::string_view text) {
    if (http::parse_http_date(text) != http::HttpDateForm::imf_fixdate) return std::nullopt;
    std::tm tm{};
    const std::string copy(text);
    if (!strptime(copy.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm)) return std::nullopt;
    return static_cast<std::int64_t>(timegm(&tm));
}

}  // namespace

void check_resource(const ResourceHistory& history, const StatefulView& view) {
    check_pairing(history, view);
    check_304(history, view);
    check_strong_etag(history, view);
    check_methods(history, view);
    check_no_ranges(history, view);
    check_created(history, view);
}

void remember_resource(ResourceHistory& history, const StatefulView& view) {
    const int status = view.response.status();
    if (status >= 200 && status <= 299) {
        const auto it = std::find_if(history.succeeded.begin(), history.succeeded.end(),
                                     [&](const auto& entry) { return entry.first == view.method; });
        if (it != history.succeeded.end())
            it->second = view.seen();
        else if (history.succeeded.size() < 16)  // methods are few; an odd client cannot grow this
            history.succeeded.emplace_back(std::string(view.method), view.seen());
    } else if (status == 405 || status == 501) {
        // Reported once: the next 405 to it is not news.
        std::erase_if(history.succeeded, [&](const auto& entry) { return entry.first == view.method; });
    }
    // Every rule that reads a stored 200 pairs it by its ETag or Last-Modified: one without
    // either replaces the last one but is not kept (summarizing it was work for no rule).
    const bool has_validator = view.response.has(KnownField::etag) || view.response.has(KnownField::last_modified);
    const auto keep = [&](std::optional<Representation>& stored, bool is_get) {
        if (has_validator)
            stored = summarize(view, is_get);
        else
            stored.reset();
    };
    if (status == 200 && view.method == "GET" && view.complete) keep(history.get200, true);
    if (status == 200 && view.method == "HEAD") keep(history.head200, false);
    if (auto partial = summarize_partial(view)) history.partial = std::move(*partial);
    if (const auto tag = single_entity_tag(view.response); tag && !tag->weak && view.response.has(KnownField::accept_ranges)) {
        const std::string etag = joined(view.response, KnownField::etag);
        if (list_key(joined(view.response, KnownField::accept_ranges)) == "none")
            history.no_ranges = TaggedNoRanges{view.seen(), etag};
        else if (history.no_ranges && history.no_ranges->etag == etag)
            history.no_ranges.reset();
    }
    if (view.method == "DELETE" && status >= 200 && status <= 299) history.created.reset();
}

void remember_created(ResourceHistory& history, const StatefulView& view) { history.created = view.seen(); }

void check_client_route(const ClientRouteHistory& history, const StatefulView& view) {
    const int status = view.response.status();
    const bool proxy = status == 407;
    if (status == 401 || status == 407) {
        const FieldLine* credential =
            view.request().first(proxy ? KnownField::proxy_authorization : KnownField::authorization);
        const std::string challenge = joined(view.response, proxy ? KnownField::proxy_authenticate : KnownField::www_authenticate);
        if (credential && history.rejected_in_row == 2 && history.credential_hash == hash_text(credential->value) &&
            history.challenge_hash == hash_text(challenge))
            view.sink.report(auth_repeated_rejected_credentials, history.first_rejection.earlier(), [&] {
                return std::string("third ") + (proxy ? "407" : "401") + " in a row to the same " +
                       (proxy ? "Proxy-Authorization" : "Authorization") +
                       " credentials (first refused in " + named(history.first_rejection) +
                       "); the client resends refused credentials: ask for new ones instead of looping";
            });
    }
    if (history.retry_after && view.now < history.wait_until)
        view.sink.report(retry_after_not_honoured, history.retry_after->earlier(), [&] {
            const auto early = std::chrono::duration_cast<std::chrono::seconds>(history.wait_until - view.now).count();
            return "request: sent " + std::to_string(early + 1) + " s before the Retry-After of " +
                   named(*history.retry_after) + " allowed; wait as long as Retry-After asks";
        });
    if (history.expectation_failed && grammar::iequals(grammar::trim_ows(joined(view.request(), KnownField::expect)), "100-continue"))
        view.sink.report(expect_continue_after_417, history.expectation_failed->earlier(), [&] {
            return "request: Expect: 100-continue again right after a 417 to it (" + named(*history.expectation_failed) +
                   "); repeat the request without the expectation";
        });
}

void remember_client_route(ClientRouteHistory& history, const StatefulView& view) {
    const int status = view.response.status();
    if (status == 401 || status == 407) {
        const bool proxy = status == 407;
        const FieldLine* credential =
            view.request().first(proxy ? KnownField::proxy_authorization : KnownField::authorization);
        const std::size_t challenge = hash_text(joined(view.response, proxy ? KnownField::proxy_authenticate : KnownField::www_authenticate));
        if (!credential) {
            history.rejected_in_row = 0;
        } else if (history.rejected_in_row > 0 && history.credential_hash == hash_text(credential->value) &&
                   history.challenge_hash == challenge) {
            ++history.rejected_in_row;
        } else {
            history.rejected_in_row = 1;
            history.credential_hash = hash_text(credential->value);
            history.challenge_hash = challenge;
            history.first_rejection = view.seen();
        }
    } else {
        history.rejected_in_row = 0;
    }
    if ((status == 429 || status == 503) && view.response.count(KnownField::retry_after) == 1) {
        const std::string_view value = view.response.first(KnownField::retry_after)->value;
        std::optional<std::int64_t> delay;
        if (grammar::is_digits(value) && value.size() < 10) {
            delay = std::strtoll(std::string(value).c_str(), nullptr, 10);
        } else if (const auto until = imf_seconds(value)) {
            const FieldLine* date = view.response.first(KnownField::date);
            if (const auto sent = date ? imf_seconds(date->value) : std::nullopt) delay = *until - *sent;
        }
        if (delay && *delay > 0) {
            history.retry_after = view.seen();
            history.wait_until = view.now + std::chrono::seconds(*delay);
        }
    }
    const bool expected = grammar::iequals(grammar::trim_ows(joined(view.request(), KnownField::expect)), "100-continue");
    if (status == 417 && expected)
        history.expectation_failed = view.seen();
    else
        history.expectation_failed.reset();
}

void check_client(const ClientHistory& history, const StatefulView& view) {
    for (const auto& pending : history.pending) {
        if (pending.to != view.uri || view.now - pending.seen.at > method_change_window) continue;
        if (pending.method != view.method)
            view.sink.report(redirect_method_changed, pending.seen.earlier(), [&] {
                return "request: " + std::string(view.method) + " to " + quote(view.uri) + " after a " +
                       "307/308 to a " + pending.method + " request redirected there (" + named(pending.seen) +
                       "); follow 307 and 308 with the same method and content";
            });
        break;
    }
    const int status = view.response.status();
    const bool redirect = status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    if (!redirect || view.location.empty()) return;
    const ClientHistory::Edge* same_edge = nullptr;
    bool reached_by_redirect = false;
    for (const auto& edge : history.edges) {
        if (view.now - edge.seen.at > redirect_window) continue;
        if (edge.from == view.uri && edge.to == view.location) same_edge = &edge;
        if (edge.to == view.uri) reached_by_redirect = true;
    }
    if (same_edge && reached_by_redirect)
        view.sink.report(redirect_loop, same_edge->seen.earlier(), [&] {
            return std::to_string(status) + " from " + quote(view.uri) + " to " + quote(view.location) +
                   " repeats the redirect of " + named(same_edge->seen) +
                   ", reached again by following redirects: a redirect loop; break the cycle";
        });
}

void remember_client(ClientHistory& history, const StatefulView& view) {
    std::erase_if(history.pending, [&](const auto& pending) {
        return pending.to == view.uri || view.now - pending.seen.at > method_change_window;
    });
    while (!history.edges.empty() && view.now - history.edges.front().seen.at > redirect_window) history.edges.pop_front();
    const int status = view.response.status();
    const bool redirect = status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    if (!redirect || view.location.empty()) return;
    history.edges.push_back({view.seen(), std::string(view.uri), std::string(view.location)});
    if (history.edges.size() > ClientHistory::max_edges) history.edges.pop_front();
    if (status == 307 || status == 308) {
        history.pending.push_back({view.seen(), std::string(view.location), std::string(view.method)});
        if (history.pending.size() > ClientHistory::max_pending) history.pending.pop_front();
    }
}

}  // namespace state
}  // namespace cproxy::check
