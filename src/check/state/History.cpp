// The stores behind the stateful rules and the order they are consulted in: the resource
// (method-independent: scheme, authority, path, query), the client on that resource, the
// client alone. Each store is a ShardedLru, so exchanges on different resources rarely share
// a lock and memory stays bounded by the capacity whatever the traffic.
#include "conformance_proxy/check/history.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include "check/state/ShardedLru.hpp"
#include "check/state/StatefulRules.hpp"

namespace cproxy::check {
namespace {

constexpr std::size_t shard_count = 64;

// The origin with its scheme and authority normalized as resource_key does. Every exchange of
// a reverse proxy has the same origin (the upstream), so each thread keeps the last one.
std::string_view normalized_origin(std::string_view origin) {
    thread_local std::string last_origin, last_normalized;
    if (origin != last_origin || last_origin.empty()) {
        last_origin = origin;
        last_normalized = origin;
        if (auto parsed = boost::urls::parse_uri(origin)) {
            boost::urls::url url(*parsed);
            url.normalize_scheme();
            url.normalize_authority();
            last_normalized = url.buffer();
        }
    }
    return last_normalized;
}

// The absolute URI of a request: origin + origin-form target, or an absolute-form target as
// it is; scheme and host lower-cased (they are case-insensitive), path and query as received.
// "" for authority-form and "*".
std::string resource_key(std::string_view origin, std::string_view target) {
    std::string text;
    if (target.starts_with('/')) {
        // An origin-form target keeps its path and query as received, and has no fragment
        // (a proxy refuses one): only the origin needs normalizing, not the whole URI.
        if (target.find('#') == std::string_view::npos) {
            text = normalized_origin(origin);
            text += target;
            return text;
        }
        text = std::string(origin) + std::string(target);
    } else if (target.find("://") != std::string_view::npos)
        text = target;
    else
        return {};
    auto parsed = boost::urls::parse_uri(text);
    if (!parsed) return text;
    boost::urls::url url(*parsed);
    url.normalize_scheme();
    url.normalize_authority();
    url.remove_fragment();
    return std::string(url.buffer());
}

// Location resolved against the request's URI, fragment dropped (RFC 9110 §10.2.2); "" when
// there is none or it is not a URI reference.
std::string resolved_location(const RawHead& response, std::string_view base) {
    if (response.count(KnownField::location) != 1 || base.empty()) return {};
    const auto base_url = boost::urls::parse_uri(base);
    const auto reference = boost::urls::parse_uri_reference(response.first(KnownField::location)->value);
    if (!base_url || !reference) return {};
    boost::urls::url out;
    if (!boost::urls::resolve(*base_url, *reference, out)) return {};
    out.normalize_scheme();
    out.normalize_authority();
    out.remove_fragment();
    return std::string(out.buffer());
}

}  // namespace

struct History::Stores {
    explicit Stores(std::size_t capacity)
        : resources(capacity, shard_count), client_routes(capacity, shard_count), clients(capacity, shard_count) {}
    state::ShardedLru<state::ResourceHistory> resources;
    state::ShardedLru<state::ClientRouteHistory> client_routes;
    state::ShardedLru<state::ClientHistory> clients;
};

History::History(std::size_t capacity) : stores_(std::make_unique<Stores>(capacity)) {}
History::~History() = default;

std::size_t History::resources() const { return stores_->resources.size(); }
std::size_t History::capacity() const noexcept { return stores_->resources.capacity(); }

void History::observe(const ObservedExchange& exchange, const RulePolicy& policy, Findings& out) {
    if (exchange.raw_request_head.empty() || exchange.raw_response_head.empty()) return;
    // A response head the caller did not parse is parsed here, on the stack. (Not into a
    // std::optional: GCC zero-fills an empty optional<RawHead>, 11 KiB, on every call.)
    if (!exchange.response_head) {
        const RawHead response(exchange.raw_response_head);
        ObservedExchange parsed = exchange;
        parsed.response_head = &response;
        return observe(parsed, policy, out);
    }
    const http::RequestLineParts request_line = http::request_line_of(exchange.raw_request_head);
    const RawHead& response = *exchange.response_head;
    if (!response.status_valid() || response.status() < 200 || request_line.method.empty()) return;
    const std::string uri = resource_key(exchange.origin, request_line.target);
    if (uri.empty()) return;
    const std::string location = resolved_location(response, uri);

    const RequestContext context{request_line.method, request_line.target, true, exchange.raw_request_head,
                                 exchange.request_head};
    FindingSink sink(policy, context, out);
    const state::LazyRequestHead request(exchange.raw_request_head, exchange.request_head);
    const state::StatefulView view{request,        response,        request_line.method, uri,
                                   location,       exchange.number, exchange.time,       exchange.now,
                                   exchange.complete, exchange.content_octets, sink};
    // A 201 names the created resource: its Location, or its own URI without one.
    const std::string& created = response.status() == 201 ? (location.empty() ? uri : location) : std::string();
    stores_->resources.with(uri, [&](state::ResourceHistory& history) {
        state::check_resource(history, view);
        state::remember_resource(history, view);
        if (!created.empty() && created == uri) state::remember_created(history, view);
    });
    if (!created.empty() && created != uri)
        stores_->resources.with(created, [&](state::ResourceHistory& history) { state::remember_created(history, view); });

    if (exchange.client.empty()) return;
    // A client's entry holds the redirects it was sent: only a redirect creates one, the rest
    // check and age an existing one, so clients that are never redirected cost nothing here.
    const int status = response.status();
    const bool redirect = !location.empty() && (status == 301 || status == 302 || status == 303 ||
                                                status == 307 || status == 308);
    // Only a response that starts something to remember creates a client-and-route entry; the
    // rest reset or check an existing one. So clean traffic does not fill this store.
    const bool starts = status == 401 || status == 407 || status == 417 ||
                        ((status == 429 || status == 503) && response.has(KnownField::retry_after));
    // While both client stores are empty and nothing would enter them, there is nothing to
    // look up: the client's key (which needs the request's User-Agent) is not even built.
    if (!redirect && !starts && stores_->clients.empty() && stores_->client_routes.empty()) return;
    // Client identity: address + User-Agent (NAT would otherwise merge clients).
    std::string client(exchange.client);
    client += '\n';
    if (const FieldLine* agent = view.request().first(KnownField::user_agent)) client += agent->value;
    const auto judge_client = [&](state::ClientHistory& history) {
        state::check_client(history, view);
        state::remember_client(history, view);
    };
    if (redirect)
        stores_->clients.with(client, judge_client);
    else
        stores_->clients.find(client, [&](state::ClientHistory* history) {
            if (history) judge_client(*history);
        });
    client += '\n';
    client += uri;
    const auto judge = [&](state::ClientRouteHistory& history) {
        state::check_client_route(history, view);
        state::remember_client_route(history, view);
    };
    if (starts)
        stores_->client_routes.with(client, judge);
    else
        stores_->client_routes.find(client, [&](state::ClientRouteHistory* history) {
            if (history) judge(*history);
        });
}

}  // namespace cproxy::check
