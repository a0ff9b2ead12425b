#include "proxy/ResponseRelay.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>
#include <tuple>
#include <vector>

#include "conformance_proxy/check/head_summary.hpp"
#include "conformance_proxy/http/RawHead.hpp"
#include "proxy/BodyRelay.hpp"
#include "proxy/MessageRewriter.hpp"
#include "proxy/ProblemWriter.hpp"
#include "proxy/SpliceRelay.hpp"
#include "proxy/Tunnel.hpp"
#include "proxy/WriteNow.hpp"

namespace cproxy::proxy {

namespace {

namespace http = beast::http;

// Between plain sockets a body of at least this size after the head goes through splice
// (zero-copy). Measured on 64 KiB responses: the copying relay costs ~35% more CPU.
constexpr std::size_t splice_min_body = 16 * 1024;
// A body up to this size is copied behind the head so both leave in one send(2): the copy
// (~0.1 us) is cheaper than the kernel importing a two-entry iovec for sendmsg(2).
constexpr std::size_t small_body_copied = 2048;

bool has_error_findings(const check::Findings& findings) {
    return std::any_of(findings.begin(), findings.end(), [](const auto& f) { return f.level == check::Level::error; });
}

std::vector<std::string> error_rule_ids(const check::Findings& findings) {
    std::vector<std::string> ids;
    for (const auto& f : findings)
        if (f.level == check::Level::error) ids.emplace_back(f.rule->id);
    return ids;
}

std::string join_rule_ids(const check::Findings& findings) {
    std::string out;
    for (const auto& f : findings) {
        if (out.find(f.rule->id) != std::string::npos) continue;
        if (!out.empty()) out += ", ";
        out += f.rule->id;
    }
    return out;
}

}  // namespace

Problem ResponseRelay::head_read_problem(const error_code& error, const std::string& key) const {
    const auto& options = services_.options;
    if (watchdog_.expired())
        return {504, "Upstream timeout",
                "The upstream " + key + " sent no response head within " +
                    std::to_string(options.upstream_response_timeout.count()) + " ms."};
    if (error == http::error::header_limit)
        return {502, "Upstream response head too large",
                "The upstream's response head exceeds " + std::to_string(options.max_response_head_bytes) + " bytes."};
    return {502, "Upstream closed the connection",
            "The upstream " + key + " closed or reset the connection before a complete response head (" +
                error.message() + ")."};
}

void ResponseRelay::take_head(std::size_t length) {
    raw_head_.assign(static_cast<const char*>(upstream_buffer_.data().data()), length);
    upstream_buffer_.consume(length);
}

void ResponseRelay::check_head_once(Exchange& ex) {
    if (ex.head_checked || !services_.checker) return;
    services_.checker->check_head(raw_head_, ex.context, ex.findings);
    ex.head_checked = true;
    ex.set_aside_silenced();
}

void ResponseRelay::check_body(Exchange& ex, bool complete, std::uint64_t bytes_after_head, bool content_read,
                               std::string_view trailer_section) {
    if (!services_.checker) return;
    check::BodyOutcome outcome;
    outcome.complete = complete;
    outcome.bytes_after_head = bytes_after_head;
    outcome.trailer_section = trailer_section;
    if (content_.active) {
        outcome.content = content_.bytes;
        outcome.content_whole = content_read && content_.whole();
    }
    services_.checker->check_body(raw_head_, ex.context, outcome, ex.findings);
    ex.set_aside_silenced();
}

awaitable<bool> ResponseRelay::send_problem(Exchange& ex, const Problem& problem) {
    return write_problem(client_, ex, problem, false, watchdog_, services_.options.io_timeout);
}

std::optional<ResponseRelay::FastPlan> ResponseRelay::plan_fast(Exchange& ex) {
    const auto& options = services_.options;
    content_.start(false, 0);
    // "HTTP/1.1 1xx": interim heads and 101 take the general path, which checks what it relays.
    if (raw_head_.size() > 9 && raw_head_[9] == '1') return std::nullopt;
    // One parse of the head gives the findings, the framing, the rewritten head and, at the
    // exchange's end, the stateful rules. (Kept in the thread's slot: ~11 KiB, too big for a
    // coroutine frame.)
    const cproxy::http::RawHead& parsed = thread_.last_response_head.emplace(raw_head_);
    thread_.last_response_exchange = ex.info.number;
    check::HeadSummary summary;
    if (services_.checker) {
        bool wants_content = false;
        summary = services_.checker->check_head(parsed, ex.context, ex.findings,
                                                options.inspect_body_limit > 0 ? &wants_content : nullptr);
        ex.head_checked = true;
        ex.set_aside_silenced();
        if (wants_content) content_.start(true, options.inspect_body_limit);
    } else {
        summary = check::summarize_head(parsed);
    }
    if (summary.status < 200 || summary.status > 599) return std::nullopt;  // interim or invalid
    const auto framing = check::body_framing(summary, ex.info.method);
    if (framing != check::BodyFraming::none && framing != check::BodyFraming::content_length) return std::nullopt;

    if (options.mode == Mode::enforce && has_error_findings(ex.findings)) return std::nullopt;  // general path answers

    FastPlan plan;
    plan.keep = ex.client_keep_alive && !services_.stopping;
    const std::string ids = options.mode == Mode::annotate ? join_rule_ids(ex.findings) : std::string();
    if (!rewrite_response_head(parsed, ForwardedHeadOptions{plan.keep, ex.client_version < 11, ids}, head_out_,
                               plan.head))
        return std::nullopt;
    plan.bodiless = framing == check::BodyFraming::none;
    plan.body_length = framing == check::BodyFraming::content_length ? summary.content_length : 0;
    return plan;
}

// The fast path, falling back to the general one. A hot coroutine: its frame must stay
// within Asio's frame recycling (1 KiB), so no Beast serializer or Problem lives in it.
awaitable<Next> ResponseRelay::relay(Exchange& ex, AnyStream& upstream, const std::string& key) {
    const auto& options = services_.options;
    const auto plan = plan_fast(ex);
    if (!plan) co_return co_await relay_general(ex, upstream, key);
    const ForwardedHead& head = plan->head;
    const bool keep = plan->keep;
    ex.info.upstream_status = head.status;

    std::uint64_t remaining = plan->body_length;
    // (HEAD included: bytes after a response to HEAD are what head-response-has-content reports.)
    const std::uint64_t bytes_after_head = plan->bodiless ? upstream_buffer_.size() : 0;
    // Content the content rules want is copied as it passes, so it takes the copying path.
    if (!content_.active && can_splice(upstream) && remaining >= upstream_buffer_.size() + splice_min_body) {
        if (auto pipe = thread_.pipes.take()) {
            const auto first = upstream_buffer_.size();  // < remaining: the rest is still coming
            ex.info.status = head.status;
            const auto relayed = co_await splice_body(
                upstream.lowest(), client_.lowest(), *pipe, head_out_,
                {static_cast<const char*>(upstream_buffer_.data().data()), first}, remaining - first, watchdog_,
                options.io_timeout);
            upstream_buffer_.consume(first);
            thread_.pipes.give_back(std::move(*pipe));  // kept only if empty
            ex.info.response_bytes = relayed.body_bytes;
            if (relayed.read_error) {
                ex.error = "upstream broke off the response body: " + relayed.read_error.message();
                check_body(ex, false);
                co_return Next::close_connection;
            }
            if (relayed.write_error) {
                ex.error = "client went away mid-response: " + relayed.write_error.message();
                co_return Next::close_connection;
            }
            if (head.upstream_keep_alive) connector_.give_back(key, upstream);
            ex.response_complete = true;
            co_return answered(keep);
        }
    }
    // A body that is still on its way is waited for once, up to 64 KiB, before the first
    // write: a typical large response then reaches the client in one write instead of three,
    // which costs the client, the upstream and this proxy fewer wake-ups. A read error is
    // kept for the body loop below: read again after EOF, Asio would wait for an epoll edge
    // that never comes.
    error_code early_read_error;
    if (const auto want = std::min<std::uint64_t>(remaining, RelayBuffers::body_buffer_size);
        upstream_buffer_.size() < want) {
        watchdog_.arm(options.io_timeout);
        auto [rec, got] = co_await upstream.async_read_some(
            upstream_buffer_.prepare(static_cast<std::size_t>(want - upstream_buffer_.size())), nothrow_awaitable);
        early_read_error = rec;
        if (!rec) upstream_buffer_.commit(got);
    }
    // Head and whatever body already arrived go out in one write.
    const auto first = static_cast<std::size_t>(std::min<std::uint64_t>(remaining, upstream_buffer_.size()));
    const char* const body_start = static_cast<const char*>(upstream_buffer_.data().data());
    if (content_.active) content_.add(body_start, first);
    std::array<asio::const_buffer, 2> buffers{asio::buffer(head_out_), asio::buffer(body_start, first)};
    if (client_.is_tls() || first <= small_body_copied) {
        // One contiguous buffer. Under TLS: Beast's ssl_stream wrote body bytes in place of the
        // head when given head + a body over 16 KiB as two buffers (seen with curl: a garbled
        // response); the copy is small next to the encryption. A small body: copying it costs
        // less than the kernel's gathering of two buffers (sendmsg against send).
        head_out_.append(body_start, first);
        buffers = {asio::buffer(head_out_), asio::const_buffer{}};
    }
    ex.info.status = head.status;
    // The whole response is here: the connection goes back before the client hears of it, so
    // the client's next connection, on whichever thread, finds it idle (a one-connection
    // upstream would never accept another).
    const bool whole = first == remaining && upstream_buffer_.size() == first;
    if (whole && head.upstream_keep_alive) connector_.give_back(key, upstream, plan->bodiless);
    watchdog_.arm(options.io_timeout);
    error_code ec;
    consume(buffers, write_now(client_, buffers, ec));
    if (!ec && asio::buffer_size(buffers) > 0)
        std::tie(ec, std::ignore) =
            co_await asio::async_write(client_, buffers, in_as_few_writes_as_possible{}, nothrow_awaitable);
    if (ec) {
        ex.error = "client went away: " + ec.message();
        co_return Next::close_connection;
    }
    upstream_buffer_.consume(first);
    remaining -= first;
    ex.info.response_bytes = first;
    bool upstream_broke = false;
    while (remaining > 0) {
        const auto buffer = buffers_.body_buffer();
        const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(remaining, buffer.size()));
        watchdog_.arm(options.io_timeout);
        // (No co_await inside ?: here: g++ 12 miscompiles that.)
        error_code rec = early_read_error;
        std::size_t got = 0;
        if (!rec) std::tie(rec, got) = co_await upstream.async_read_some(asio::buffer(buffer.data(), want), nothrow_awaitable);
        if (rec) {
            ex.error = "upstream broke off the response body: " + rec.message();
            upstream_broke = true;
            break;
        }
        if (content_.active) content_.add(buffer.data(), got);
        watchdog_.arm(options.io_timeout);
        auto [wec, written] = co_await asio::async_write(client_, asio::buffer(buffer.data(), got), nothrow_awaitable);
        if (wec) {
            ex.error = "client went away mid-response: " + wec.message();
            break;
        }
        remaining -= got;
        ex.info.response_bytes += got;
    }
    // The body rules only fire on a broken-off body, bytes after a bodiless head, or content
    // they asked for. (A client that left says nothing about the upstream.)
    if (upstream_broke || bytes_after_head > 0 || (content_.active && remaining == 0 && content_.seen > 0))
        check_body(ex, !upstream_broke, bytes_after_head, remaining == 0);
    if (remaining != 0) co_return Next::close_connection;
    ex.response_complete = !upstream_broke;
    if (!whole && head.upstream_keep_alive && upstream_buffer_.size() == 0)
        connector_.give_back(key, upstream, plan->bodiless);
    co_return answered(keep);
}

awaitable<Next> ResponseRelay::relay_general(Exchange& ex, AnyStream& upstream, const std::string& key) {
    const auto& options = services_.options;
    auto& parser = ex.response.emplace();
    parser.header_limit(static_cast<std::uint32_t>(options.max_response_head_bytes));
    parser.body_limit(boost::none);
    if (ex.head_request) parser.skip(true);
    error_code parse_error;
    parser.put(asio::buffer(raw_head_), parse_error);
    if (!parse_error && !parser.is_header_done()) parse_error = http::error::partial_message;
    // Beast takes any three digits; a status outside 100-599 cannot be relayed.
    if (!parse_error && (parser.get().result_int() < 100 || parser.get().result_int() > 599))
        parse_error = http::error::bad_status;
    if (!parse_error && parser.get().result_int() < 200 && parser.get().result_int() != 101) {
        // Every interim head is checked (the v1 head rules apply to 1xx too); the final one still comes.
        if (services_.checker) services_.checker->check_head(raw_head_, ex.context, ex.findings);
        ex.set_aside_silenced();
        // Interim responses reach HTTP/1.1 clients only (RFC 9110 §15.2).
        if (ex.client_version >= 11 && !co_await pass_on_interim_response(ex)) co_return Next::close_connection;
        co_return Next::continue_exchange;
    }
    check_head_once(ex);

    if (parse_error) {
        Problem problem{502, "Upstream response is not valid HTTP",
                        "The upstream's response head could not be parsed (" + parse_error.message() + ")."};
        // Beast says "bad value" for a bare LF, which names nothing the upstream's author can find.
        if (!cproxy::http::RawHead(raw_head_).all_lines_crlf())
            problem.detail += " A line of it ends in a bare LF; this proxy accepts only CRLF line ends from an "
                              "upstream (RFC 9112 §2.2): end every line of the head with CRLF.";
        problem.rules = error_rule_ids(ex.findings);
        if (!problem.rules.empty()) problem.detail += " Broken requirements: " + join_rule_ids(ex.findings) + ".";
        co_return answered(co_await send_problem(ex, problem));
    }
    auto& res = parser.get();
    ex.info.upstream_status = res.result_int();

    if (options.mode == Mode::enforce && has_error_findings(ex.findings)) {
        Problem problem{502, "Upstream response is not conformant",
                        "The upstream's " + std::to_string(ex.info.upstream_status) +
                            " response broke HTTP requirements: " + join_rule_ids(ex.findings) + "."};
        problem.rules = error_rule_ids(ex.findings);
        co_return answered(co_await send_problem(ex, problem));
    }

    const bool upgrade = ex.info.upstream_status == 101;
    if (upgrade && !ex.upgrade) {
        co_return answered(co_await send_problem(ex, {502, "Unexpected protocol switch",
            "The upstream answered 101 to a request that did not ask for an upgrade."}));
    }
    const bool no_body = parser.is_done();
    const std::uint64_t bytes_after_head = no_body ? upstream_buffer_.size() : 0;  // HEAD too
    const bool close_delimited = !no_body && !res.chunked() && !res.has_content_length();
    const bool upstream_keep_alive = res.keep_alive();
    const bool client_http11 = ex.client_version >= 11;
    bool keep = ex.client_keep_alive && !services_.stopping;

    remove_hop_by_hop_fields(res, upgrade);
    add_via(res, res.version());
    if (options.mode == Mode::annotate && !ex.findings.empty())
        res.set("Conformance-Findings", join_rule_ids(ex.findings));
    res.version(11);
    if (!no_body && close_delimited) {
        if (client_http11)
            res.chunked(true);  // re-frame so the client connection can stay open
        else
            keep = false;
    } else if (!no_body && res.chunked() && !client_http11) {
        res.chunked(false);  // HTTP/1.0 knows no chunked: delimit by close
        keep = false;
    }
    if (!upgrade) {
        res.keep_alive(keep);
        if (keep && !client_http11) res.set(http::field::connection, "keep-alive");
    }

    http::response_serializer<http::buffer_body> serializer{res};
    watchdog_.arm(options.io_timeout);
    bool upstream_broke = false;
    std::string trailer_section;  // of a chunked body, for the checker
    if (no_body || upgrade) {
        auto [ec, n] = co_await http::async_write_header(client_, serializer, nothrow_awaitable);
        if (ec) {
            ex.error = "client went away: " + ec.message();
            co_return Next::close_connection;
        }
        ex.info.status = ex.info.upstream_status;
        if (upgrade) {
            co_await tunnel(client_, client_buffer_, upstream, upstream_buffer_, watchdog_, options.client_idle_timeout);
            co_return Next::close_connection;
        }
    } else {
        auto relay = co_await relay_body(upstream, upstream_buffer_, parser, client_, serializer,
                                         buffers_.body_buffer(), watchdog_, options.io_timeout, {}, false,
                                         connector_.spoiled(), content_.active ? &content_ : nullptr);
        if (relay.read_error && !serializer.is_header_done()) {
            // Nothing reached the client yet: it can still get a proper answer.
            check_body(ex, false);
            co_return answered(co_await send_problem(ex, {502, "Upstream broke off the response",
                "The upstream closed the connection before its response body was complete (" +
                relay.read_error.message() + ")."}));
        }
        ex.info.status = ex.info.upstream_status;
        ex.info.response_bytes = relay.bytes;
        trailer_section = std::move(relay.trailer_section);
        if (relay.write_error) {
            ex.error = "client went away mid-response: " + relay.write_error.message();
            keep = false;
        } else if (relay.read_error) {
            upstream_broke = true;
            ex.error = "upstream broke off the response body: " + relay.read_error.message();
            keep = false;  // the client got a truncated message: only a close tells it so
        }
    }

    ex.response_complete = !upstream_broke && (no_body || parser.is_done());
    check_body(ex, !upstream_broke, bytes_after_head, parser.is_done(), trailer_section);
    if (upstream_keep_alive && parser.is_done() && !close_delimited && upstream_buffer_.size() == 0)
        connector_.give_back(key, upstream, no_body);
    co_return answered(keep);
}

awaitable<bool> ResponseRelay::pass_on_interim_response(Exchange& ex) {
    auto& interim = ex.response->get();
    remove_hop_by_hop_fields(interim, false);
    interim.version(11);
    http::response_serializer<http::buffer_body> interim_writer{interim};
    watchdog_.arm(services_.options.io_timeout);
    auto [ec, n] = co_await http::async_write_header(client_, interim_writer, nothrow_awaitable);
    co_return !ec;
}

}  // namespace cproxy::proxy
