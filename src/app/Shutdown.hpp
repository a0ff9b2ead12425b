#pragma once
// What proxy and lint do at the end: close the recorder, write the reports, print the
// summary on stderr and turn --fail-on into the exit status.
#include <string>

#include "conformance_proxy/config/CommandLine.hpp"
#include "conformance_proxy/report/Recorder.hpp"

namespace cproxy::app {

report::RecorderOptions recorder_options(const config::CommandLine& command_line);
int finish_and_report(report::Recorder& recorder, const config::CommandLine& command_line,
                      const std::string& subject);

}  // namespace cproxy::app
