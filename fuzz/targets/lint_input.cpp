// `conformance-proxy lint FILE` input over arbitrary bytes: a raw HTTP/1.1 capture, or a HAR
// file when the first non-space byte is `{`. Either exchanges that the checker then reads,
// or a LintInputError; never another exception or a crash.
#include "FuzzSupport.hpp"
#include "conformance_proxy/lint/lint_input.hpp"

using namespace cproxy;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const check::Checker checker;
    try {
        const auto exchanges = lint::load_lint_input(fuzz::as_text(data, size), "fuzz.txt");
        for (const lint::LintExchange& exchange : exchanges) {
            check::Findings findings;
            lint::check_exchange(checker, exchange, findings, size % 2 == 0);
        }
    } catch (const lint::LintInputError&) {
    }
    return 0;
}
