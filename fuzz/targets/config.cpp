// The YAML config file loader: arbitrary file contents are read into a layer and applied
// onto the defaults, as `--config FILE` does at start-up. The only way out is a ConfigError
// whose message names the file; any other exception, a crash or UB is a bug.
#include <string>

#include "FuzzSupport.hpp"
#include "conformance_proxy/config/Configuration.hpp"

using namespace cproxy;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(fuzz::as_text(data, size));
    try {
        const config::ConfigLayer layer = config::parse_yaml_config(text, "fuzz.yaml");
        config::CommandLine out;
        const config::ConfigLayer* const layers[] = {&layer};
        config::apply_layers(layers, out);
    } catch (const config::ConfigError& e) {
        fuzz::require(std::string_view(e.what()).starts_with("fuzz.yaml"), "a ConfigError not naming the file");
    }
    return 0;
}
