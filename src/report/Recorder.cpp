#include "conformance_proxy/report/Recorder.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

#include <spdlog/spdlog.h>

#include "conformance_proxy/report/JsonLines.hpp"

namespace cproxy::report {

Recorder::Recorder(RecorderOptions options)
    : options_(std::move(options)),
      aggregator_(AggregatorOptions{.checked_rules = options_.checked_rules,
                                    .max_routes = options_.max_routes,
                                    .contract = options_.contract,
                                    .contract_name = options_.contract_name,
                                    .baseline = options_.baseline,
                                    .baseline_path = options_.baseline_path}) {
    if (!options_.findings_path.empty()) {
        file_ = std::fopen(options_.findings_path.c_str(), "ab");
        if (file_ == nullptr)
            throw std::runtime_error("cannot open --findings file " + options_.findings_path + ": " +
                                     std::strerror(errno));
        writes_findings_ = true;
        writer_ = std::jthread([this](std::stop_token stop) { writer_loop(stop); });
    }
}

Recorder::~Recorder() { close(); }

void Recorder::record(ExchangeRecord&& record) {
    record.example.redact();
    // Route normalisation is string work: done before taking the lock.
    const auto route = Aggregator::route_of(record, options_.contract);
    Aggregator::mark(record, options_.baseline.get());
    {
        std::lock_guard lock(aggregate_mutex_);
        aggregator_.add(record, route);
    }
    if (record.findings.empty() || !writes_findings_) return;

    // Rendered here, outside the lock, into this thread's scratch buffer (its capacity reused).
    thread_local std::string lines;
    lines.clear();
    append_finding_lines(lines, record);

    std::unique_lock lock(queue_mutex_);
    if (!accepting_) return;  // after close(): aggregated above, the file is gone
    if (queued_exchanges_ >= options_.max_pending) {
        // Backpressure, never loss. close() waits for waiting producers before it stops the
        // writer, so lines accepted here are always written.
        ++waiting_producers_;
        queue_drained_.wait(lock, [&] { return queued_exchanges_ < options_.max_pending || !accepting_; });
        --waiting_producers_;
        if (waiting_producers_ == 0) queue_drained_.notify_all();
    }
    const bool was_empty = queue_.empty();
    queue_ += lines;
    ++queued_exchanges_;
    queued_lines_ += record.findings.size();
    if (was_empty) queue_ready_.notify_one();  // the writer only sleeps on an empty queue
}

bool Recorder::wants_example(const check::Findings& findings) const {
    if (findings.empty()) return false;
    std::lock_guard lock(aggregate_mutex_);
    return aggregator_.wants_example(findings);
}

ReportSnapshot Recorder::snapshot() const {
    std::lock_guard lock(aggregate_mutex_);
    return aggregator_.snapshot();
}

void Recorder::writer_loop(std::stop_token stop) {
    std::string batch;
    std::unique_lock lock(queue_mutex_);
    while (true) {
        // Wake on new lines, on stop, or after flush_interval: the wait is also the flush clock.
        queue_ready_.wait_for(lock, options_.flush_interval,
                              [&] { return !queue_.empty() || stop.stop_requested(); });
        if (!queue_.empty() && !stop.stop_requested() && options_.coalesce_window.count() > 0) {
            // Let the lines of the next few milliseconds join these: under load one wake-up
            // and one write then serve a hundred exchanges instead of one (a wake-up, a sleep and
            // a write per exchange cost the I/O thread a third of its throughput). Producers do
            // not signal meanwhile: the queue is not empty.
            lock.unlock();
            std::this_thread::sleep_for(options_.coalesce_window);
            lock.lock();
        }
        const bool stopping = stop.stop_requested();
        batch.swap(queue_);
        const std::uint64_t lines = queued_lines_;
        queued_exchanges_ = 0;
        queued_lines_ = 0;
        queue_drained_.notify_all();
        lock.unlock();
        write_batch(batch, lines);  // file I/O without the lock: producers keep queueing meanwhile
        // Kept for the next swap, unless a burst behind a slow disk grew it past 4 MiB.
        if (batch.capacity() > (4u << 20)) batch = std::string();
        batch.clear();
        lock.lock();
        // Stop only once the queue is empty: close() has stopped producers, so this terminates.
        if (stopping && queue_.empty()) break;
    }
}

void Recorder::write_batch(const std::string& batch, std::uint64_t lines) {
    if (batch.empty()) return;
    const bool written = std::fwrite(batch.data(), 1, batch.size(), file_) == batch.size();
    // stdio buffers: only a flush that succeeds puts the lines in the file.
    const bool flushed = written && std::fflush(file_) == 0;
    std::lock_guard lock(queue_mutex_);
    if (flushed) {
        lines_written_ += lines;
    } else if (write_errors_++ == 0) {
        spdlog::error("cannot write findings to {}: {}", options_.findings_path, std::strerror(errno));
    }
}

void Recorder::close() {
    std::lock_guard close_lock(close_mutex_);
    {
        std::unique_lock lock(queue_mutex_);
        if (!accepting_) return;
        accepting_ = false;
        // Producers blocked on backpressure push their record now; let them finish first.
        queue_drained_.notify_all();
        queue_drained_.wait(lock, [&] { return waiting_producers_ == 0; });
    }
    if (writer_.joinable()) {
        writer_.request_stop();
        {
            std::lock_guard lock(queue_mutex_);  // pairs with the writer's predicate check
        }
        queue_ready_.notify_all();
        writer_.join();
    }
    if (file_ != nullptr) {
        if (std::fclose(file_) != 0) {
            std::lock_guard lock(queue_mutex_);
            ++write_errors_;
            spdlog::error("cannot close findings file {}: {}", options_.findings_path,
                          std::strerror(errno));
        }
        file_ = nullptr;
    }
}

std::uint64_t Recorder::lines_written() const {
    std::lock_guard lock(queue_mutex_);
    return lines_written_;
}

std::uint64_t Recorder::write_errors() const {
    std::lock_guard lock(queue_mutex_);
    return write_errors_;
}

}  // namespace cproxy::report
