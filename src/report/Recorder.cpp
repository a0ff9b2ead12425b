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

    std::unique_lock lock(queue_mutex_);
    if (!accepting_) return;  // after close(): aggregated above, the file is gone
    if (queue_.size() >= options_.max_pending) {
        // Backpressure, never loss. close() waits for waiting producers before it stops the
        // writer, so a record accepted here is always written.
        ++waiting_producers_;
        queue_drained_.wait(lock, [&] { return queue_.size() < options_.max_pending || !accepting_; });
        --waiting_producers_;
        if (waiting_producers_ == 0) queue_drained_.notify_all();
    }
    queue_.push_back(std::move(record));
    if (queue_.size() == 1) queue_ready_.notify_one();  // the writer only sleeps on an empty queue
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
    std::deque<ExchangeRecord> batch;
    std::string buffer;
    std::unique_lock lock(queue_mutex_);
    while (true) {
        // Wake on new records, on stop, or after flush_interval: the wait is also the flush clock.
        queue_ready_.wait_for(lock, options_.flush_interval,
                              [&] { return !queue_.empty() || stop.stop_requested(); });
        if (!queue_.empty() && !stop.stop_requested() && options_.coalesce_window.count() > 0) {
            // Let the records of the next few milliseconds join this one: under load one wake-up
            // and one write then serve a hundred exchanges instead of one (a wake-up, a sleep and
            // a write per exchange cost the I/O thread a third of its throughput). Producers do
            // not signal meanwhile: the queue is not empty.
            lock.unlock();
            std::this_thread::sleep_for(options_.coalesce_window);
            lock.lock();
        }
        const bool stopping = stop.stop_requested();
        batch.swap(queue_);
        queue_drained_.notify_all();
        lock.unlock();
        write_batch(batch, buffer);  // file I/O without the lock: producers keep queueing meanwhile
        batch.clear();
        lock.lock();
        // Stop only once the queue is empty: close() has stopped producers, so this terminates.
        if (stopping && queue_.empty()) break;
    }
}

void Recorder::write_batch(std::deque<ExchangeRecord>& batch, std::string& buffer) {
    if (batch.empty()) {
        return;
    }
    buffer.clear();
    std::uint64_t lines = 0;        // written successfully
    std::uint64_t chunk_lines = 0;  // in buffer, not yet written
    for (const auto& record : batch) {
        append_finding_lines(buffer, record);
        chunk_lines += record.findings.size();
        // Bound the buffer: write in chunks of about 1 MiB.
        if (buffer.size() >= (1u << 20) || &record == &batch.back()) {
            const bool ok = std::fwrite(buffer.data(), 1, buffer.size(), file_) == buffer.size();
            buffer.clear();
            if (ok) {
                lines += chunk_lines;
            } else {
                std::lock_guard lock(queue_mutex_);
                if (write_errors_++ == 0)
                    spdlog::error("cannot write findings to {}: {}", options_.findings_path,
                                  std::strerror(errno));
            }
            chunk_lines = 0;
        }
    }
    const bool flushed = std::fflush(file_) == 0;
    std::lock_guard lock(queue_mutex_);
    if (flushed) lines_written_ += lines;  // stdio buffers: a failed flush means lost lines
    if (!flushed && write_errors_++ == 0)
        spdlog::error("cannot flush findings to {}: {}", options_.findings_path, std::strerror(errno));
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
