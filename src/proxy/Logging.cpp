#include "proxy/Logging.hpp"

#include <spdlog/async.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <stdexcept>

namespace cproxy::proxy {

namespace {

bool g_json = false;

void emit(spdlog::level::level_enum level, boost::json::object&& event, std::string_view text) {
    auto logger = spdlog::default_logger_raw();
    if (!logger->should_log(level)) return;
    if (g_json) {
        event["level"] = spdlog::level::to_string_view(level).data();
        // The pattern opens the object with the time; the event supplies the rest.
        const auto serialized = boost::json::serialize(event);
        logger->log(level, "{}", std::string_view{serialized}.substr(1));
    } else {
        logger->log(level, "{}", text);
    }
}

double ms(std::chrono::microseconds us) { return static_cast<double>(us.count()) / 1000.0; }

}  // namespace

void setup_logging(std::string_view level, LogFormat format) {
    const auto parsed = spdlog::level::from_str(std::string{level});
    if (parsed == spdlog::level::off && level != "off")
        throw std::invalid_argument("unknown log level '" + std::string{level} +
                                    "' (use trace, debug, info, warn, error or off)");
    g_json = format == LogFormat::json;
    if (!spdlog::thread_pool()) spdlog::init_thread_pool(8192, 1);
    // Overflow blocks rather than drops: a log line lost is a finding lost.
    auto logger = spdlog::create_async<spdlog::sinks::stderr_color_sink_mt>("conformance-proxy");
    logger->set_pattern(g_json ? R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ",%v)" : "%Y-%m-%d %H:%M:%S.%e %^%-5l%$ %v",
                        spdlog::pattern_time_type::utc);
    logger->set_level(parsed);
    logger->flush_on(spdlog::level::warn);
    spdlog::set_default_logger(logger);
    spdlog::flush_every(std::chrono::seconds(1));
}

bool json_logging() noexcept { return g_json; }
bool debug_logging() noexcept { return spdlog::default_logger_raw()->should_log(spdlog::level::debug); }

void log_debug(std::string_view message) { emit(spdlog::level::debug, {{"msg", message}}, message); }
void log_info(std::string_view message) { emit(spdlog::level::info, {{"msg", message}}, message); }
void log_warn(std::string_view message) { emit(spdlog::level::warn, {{"msg", message}}, message); }
void log_error(std::string_view message) { emit(spdlog::level::err, {{"msg", message}}, message); }

void log_access(const ExchangeInfo& info, std::size_t findings) {
    if (!spdlog::default_logger_raw()->should_log(spdlog::level::info)) return;
    boost::json::object event{{"event", "access"},
                              {"exchange", info.number},
                              {"client", info.client_address},
                              {"method", info.method},
                              {"target", info.target},
                              {"status", info.status},
                              {"bytes", info.response_bytes},
                              {"duration_ms", ms(info.duration)},
                              {"upstream_ms", ms(info.upstream_duration)},
                              {"findings", findings}};
    if (!info.user.empty()) event["user"] = info.user;
    if (!info.error.empty()) event["error"] = info.error;
    std::string text = fmt::format("{} \"{} {}\" {} {}B {:.1f}ms upstream={:.1f}ms findings={}",
                                   info.client_address, info.method, info.target, info.status,
                                   info.response_bytes, ms(info.duration), ms(info.upstream_duration),
                                   findings);
    if (!info.user.empty()) text += fmt::format(" user={}", info.user);
    if (!info.error.empty()) text += fmt::format(" error=\"{}\"", info.error);
    emit(spdlog::level::info, std::move(event), text);
}

void log_finding(const ExchangeInfo& info, const check::Finding& finding) {
    const auto level = finding.level == check::Level::error     ? spdlog::level::warn
                       : finding.level == check::Level::warning ? spdlog::level::warn
                                                                : spdlog::level::info;
    // Built only when the line is written, and only in the format asked for: at the default
    // level (warn) an info finding costs nothing here, and behind nginx one fires on every
    // exchange (its Server field names its version).
    if (!spdlog::default_logger_raw()->should_log(level)) return;
    if (g_json) {
        emit(level,
             boost::json::object{{"event", "finding"},
                                 {"exchange", info.number},
                                 {"rule", finding.rule->id},
                                 {"severity", check::to_string(finding.level)},
                                 {"method", info.method},
                                 {"target", info.target},
                                 {"status", info.upstream_status},
                                 {"message", finding.message},
                                 {"reference", finding.rule->reference}},
             {});
        return;
    }
    emit(level, {},
         fmt::format("finding [{}] {} on {} {} -> {}: {} ({})", check::to_string(finding.level), finding.rule->id,
                     info.method, info.target, info.upstream_status, finding.message, finding.rule->reference));
}

}  // namespace cproxy::proxy
