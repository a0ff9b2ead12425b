// The probe loop: per route a GET, then the probes its response calls for; every response
// goes through the lint reader (the same framing facts as offline `lint`), the checker and the
// history of stateful rules, exactly like an exchange through the proxy.
#include <algorithm>
#include <thread>

#include "conformance_proxy/lint/lint_input.hpp"
#include "conformance_proxy/probe/Probe.hpp"

namespace cproxy::probe {
namespace {

// Credentials and every other header value given on the command line are secrets: no
// message may quote them.
void scrub(check::Findings& findings, const std::vector<HeaderField>& headers) {
    for (auto& finding : findings)
        for (const auto& field : headers) {
            if (field.value.size() < 4) continue;  // too short to be a secret, too common to replace
            for (auto at = finding.message.find(field.value); at != std::string::npos;
                 at = finding.message.find(field.value, at))
                finding.message.replace(at, field.value.size(), "[redacted]");
        }
}

class Pacer {  // at most `rate` requests per second
public:
    explicit Pacer(double rate)
        : interval_(std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(1.0 / rate))) {}
    void wait() {
        const auto now = std::chrono::steady_clock::now();
        if (next_ > now) std::this_thread::sleep_for(next_ - now);
        next_ = std::max(now, next_) + interval_;
    }

private:
    std::chrono::steady_clock::duration interval_;
    std::chrono::steady_clock::time_point next_{};
};

}  // namespace

void run_probes(const Upstream& upstream, const std::vector<std::string>& routes,
                const std::vector<HeaderField>& headers, const ProbeLimits& limits, const check::Checker& checker,
                check::History& history, const std::function<void(ProbedExchange&)>& on_exchange,
                const std::function<void(const ProbeProgress&)>& on_progress) {
    Pacer pacer(limits.rate);
    ProbeProgress progress;
    progress.routes_total = routes.size();
    const std::string origin = upstream.origin();

    // Sends one probe, checks it, hands it on; returns the final response head ("" on failure).
    const auto probe = [&](const ProbeRequest& request) -> std::string {
        pacer.wait();
        const RawExchange raw = send_request(upstream, request, limits.timeout);
        ++progress.requests;
        ProbedExchange out;
        out.number = progress.requests;
        out.time = std::chrono::system_clock::now();
        out.request = &request;
        out.error = raw.error;
        std::string final_head;
        if (!raw.response.empty() && check::find_head_end(raw.response) > 0) {
            std::vector<lint::LintExchange> responses;
            try {
                responses = lint::load_lint_input(raw.request_head + raw.response, "probe");
            } catch (const lint::LintInputError&) {
                // Not a response at all (e.g. an HTTP/0.9 answer): reported as an error below.
            }
            for (const auto& response : responses) {
                lint::check_exchange(checker, response, out.findings, true);
                final_head = response.raw_head;
            }
            if (!responses.empty()) {
                const auto& last = responses.back();
                check::ObservedExchange observed;
                observed.number = out.number;
                observed.time = out.time;
                observed.now = std::chrono::steady_clock::now();
                observed.origin = origin;
                observed.client = "probe";
                observed.raw_request_head = raw.request_head;
                observed.raw_response_head = last.raw_head;
                observed.complete = last.outcome.complete && raw.error.empty();
                observed.content_octets = last.content.size();
                history.observe(observed, checker.policy(), out.findings);
            }
        }
        // The requests are the prober's own, odd on purpose (an unknown method, an unsatisfiable
        // range): only what the upstream answered is judged.
        std::erase_if(out.findings, [](const check::Finding& f) { return f.rule && f.rule->side == check::Side::request; });
        scrub(out.findings, headers);
        out.raw_response_head = final_head;
        out.status = final_head.size() > 12 ? std::atoi(final_head.c_str() + 9) : 0;
        progress.findings += out.findings.size();
        on_exchange(out);
        return final_head;
    };

    for (const auto& target : routes) {
        if (progress.requests >= limits.max_requests) break;
        const ProbeRequest first{"GET", target, headers, "GET"};
        const std::string head = probe(first);
        for (const auto& next : follow_up_probes(target, head, headers, limits.unsafe_methods)) {
            if (progress.requests >= limits.max_requests) break;
            probe(next);
        }
        ++progress.routes_done;
        on_progress(progress);
    }
}

}  // namespace cproxy::probe
