#pragma once
// Takes every exchange from the I/O threads, aggregates it and appends its findings to the
// --findings JSON Lines file through one background writer thread, so no I/O thread ever waits
// for the disk. The I/O thread renders its lines itself and hands the writer bytes, not
// records: records crossing threads cost a heap node each and left every string and vector
// they owned to be freed by another thread than the one that made it (glibc then serves the
// I/O thread's next allocations from its bins, not its cache); together ~14% of small-response
// throughput with one finding per exchange.
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

#include "conformance_proxy/report/Aggregator.hpp"
#include "conformance_proxy/report/ExchangeRecord.hpp"
#include "conformance_proxy/report/ReportSnapshot.hpp"

namespace cproxy::report {

struct RecorderOptions {
    std::string findings_path{};  // --findings; empty: no JSON Lines file
    std::vector<const check::Rule*> checked_rules{};  // normally every rule of check::all_rules()
    std::size_t max_routes = 1000;
    // --openapi: path templates as routes, and the coverage section (must outlive the recorder).
    const check::Contract* contract = nullptr;
    std::string contract_name{};
    std::shared_ptr<const Baseline> baseline{};  // --baseline, loaded; findings are marked against it
    std::string baseline_path{};
    std::chrono::milliseconds flush_interval{500};  // the file is flushed at least this often
    // How long the writer lets records gather after the first one arrives before it writes them
    // in one go: the latency of a line reaching the file, traded for one write per batch.
    std::chrono::milliseconds coalesce_window{10};
    // Exchanges whose lines wait for the writer. Past this, record() waits for the writer
    // (backpressure) instead of dropping findings: only a stalled disk can get here.
    std::size_t max_pending = 1 << 16;
};

// Wired in src/app: ProxyCommand.cpp makes one Recorder for the proxy's lifetime and hands it
// to the sessions (record() from any I/O thread) and the admin server (snapshot()); Shutdown.cpp
// closes it, evaluates --fail-on on the final snapshot and writes the reports.
class Recorder {
public:
    // Opens the findings file in append mode; throws std::runtime_error naming the path if it
    // cannot be opened, so a bad flag fails before any socket opens.
    explicit Recorder(RecorderOptions options);
    ~Recorder();  // close()
    Recorder(const Recorder&) = delete;
    Recorder& operator=(const Recorder&) = delete;

    // Thread-safe. Redacts the example, aggregates under a short lock, and if it has findings
    // and a findings file is configured, renders their lines and queues them for the writer.
    void record(ExchangeRecord&& record);

    // Thread-safe: whether a record with these findings should carry an example exchange
    // (Aggregator::wants_example). Callers skip building it otherwise.
    bool wants_example(const check::Findings& findings) const;

    // Thread-safe, cheap enough for the admin server to call per request.
    ReportSnapshot snapshot() const;

    // Writes every queued record, flushes and closes the file, stops the writer. Idempotent.
    // Records arriving afterwards are still aggregated but no longer written to the file.
    void close();

    // Lines written to the findings file so far, and write errors (disk full, ...).
    std::uint64_t lines_written() const;
    std::uint64_t write_errors() const;

private:
    void writer_loop(std::stop_token stop);
    // Writes one batch of lines (`lines` of them) and flushes; counts what reached the file.
    void write_batch(const std::string& batch, std::uint64_t lines);

    RecorderOptions options_;
    bool writes_findings_ = false;  // set once in the constructor

    mutable std::mutex aggregate_mutex_;
    Aggregator aggregator_;

    mutable std::mutex queue_mutex_;
    std::condition_variable queue_ready_;    // writer waits for lines or stop
    std::condition_variable queue_drained_;  // producers wait when max_pending is reached
    // Rendered lines waiting for the writer, and how many exchanges and lines they hold. The
    // writer swaps this buffer with its own, so both keep their capacity: no allocation per batch.
    std::string queue_;
    std::size_t queued_exchanges_ = 0;
    std::uint64_t queued_lines_ = 0;
    bool accepting_ = true;
    std::size_t waiting_producers_ = 0;  // record() calls blocked on backpressure
    std::uint64_t lines_written_ = 0;
    std::uint64_t write_errors_ = 0;

    std::mutex close_mutex_;
    std::FILE* file_ = nullptr;  // owned by the writer thread while it runs
    std::jthread writer_;        // last member: started after everything above exists
};

}  // namespace cproxy::report
