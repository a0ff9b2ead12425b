#pragma once
// One request/response exchange: what the session, the connector and the response relay
// learn about it as it goes, and what the access log, the findings and the sinks get at
// its end. Lives for one exchange; the request's fields come from the session's arena.
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <tuple>
#include <utility>

#include "conformance_proxy/check/checker.hpp"
#include "conformance_proxy/proxy/ExchangeSink.hpp"
#include "proxy/ParsedRequestHeads.hpp"
#include "proxy/RequestFields.hpp"
#include "proxy/Silence.hpp"

namespace cproxy::proxy {

// What a step of an exchange leaves to do. A step that answered the client itself says
// whether the client connection stays open; otherwise the exchange goes on to its next step.
enum class Next {
    continue_exchange,  // this step did not answer the client: go on
    keep_connection,    // answered; read the client's next request
    close_connection,   // answered (or the client is gone); close the connection
};

inline Next answered(bool keep_connection) { return keep_connection ? Next::keep_connection : Next::close_connection; }

struct Exchange {
    using Clock = std::chrono::steady_clock;

    explicit Exchange(RequestAllocator allocator)
        : request(std::piecewise_construct, std::make_tuple(), std::make_tuple(allocator)) {}

    // What the checker, the access log and the sinks learn from the parsed request head.
    // silence_field: the Conformance-Silence field's name ("" = off); it is read and removed
    // here, before anything is forwarded.
    void note_request(bool reverse_mode, bool stopping, std::string_view silence_field = {}) {
        take_silence(silence_field);
        const auto& req = request.get();
        info.method = req.method_string();
        target = req.target();  // a copy: forward mode rewrites the target in place
        info.target = target;
        context.method = info.method;
        context.target = info.target;
        context.from_origin_in_reverse_mode = reverse_mode;
        head_request = req.method() == boost::beast::http::verb::head;
        client_keep_alive = req.keep_alive() && !stopping;
        client_version = req.version();
    }

    // Reads and removes the silence field (it never goes upstream); empty name: off.
    void take_silence(std::string_view field_name) {
        if (field_name.empty()) return;
        auto& req = request.get();
        for (const auto& field : req)
            if (boost::beast::iequals(field.name_string(), field_name)) silence.add(field.value());
        req.erase(field_name);
    }
    // At the end, for the access log and the sinks.
    void conclude(std::string_view raw_response_head) {
        info.raw_response_head = info.upstream_status == 0 ? std::string_view{} : raw_response_head;
        info.error = error;
        set_aside_silenced();
    }
    // Before findings are acted on (annotate, enforce) and at the end: silenced ones step aside.
    void set_aside_silenced() {
        silence.set_aside(findings, silenced);
        info.silenced = &silenced;
        info.unknown_silence_ids = silence.unknown_ids;
    }

    RequestParser request;
    std::optional<boost::beast::http::response_parser<boost::beast::http::buffer_body>> response;
    ExchangeInfo info;
    // The request head parsed once for every check of this exchange (context.parsed_head);
    // declared before `context`, which points into it.
    ParsedRequestHeads::Lease parsed_request_head;
    check::RequestContext context;
    check::Findings findings;
    Silence silence;
    check::Findings silenced;
    Clock::time_point started = Clock::now();
    Clock::time_point request_sent;
    bool head_request = false;
    bool client_keep_alive = false;
    bool upgrade = false;       // the client asked for a protocol switch (Connection: upgrade)
    bool head_checked = false;  // the checker has seen the response head
    bool response_complete = false;  // the response's framing completed (stateful rules)
    unsigned client_version = 11;  // as the client sent it (the forwarded request becomes 1.1)
    std::string target;
    std::string error;
};

struct ProxyServices;
struct Destination;
// The stateful rules (RULES-v2 Part B) at the end of an exchange: judged against the history
// of its resource and client, then remembered (AcrossExchanges.cpp). Needs the upstream's
// head in ex.info.raw_response_head; does nothing without a history or a response.
// parsed_response: that head as the relay parsed it (null: parsed again).
void check_across_exchanges(const ProxyServices& services, Exchange& ex, const Destination* destination,
                            std::string_view client_address, const cproxy::http::RawHead* parsed_response = nullptr);

}  // namespace cproxy::proxy
