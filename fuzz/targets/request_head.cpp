// The strict request grammar and the chunk-boundary check over arbitrary bytes: a request
// head (its request line and Host lines) followed by a body as a client could send them.
// Neither may crash, read outside its input, or say "complete" beyond the bytes it was given.
#include "FuzzSupport.hpp"
#include "proxy/ChunkBoundary.hpp"
#include "proxy/RequestGrammar.hpp"

using namespace cproxy::proxy;
namespace fuzz = cproxy::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view raw = fuzz::as_text(data, size);
    const auto head_end = raw.find("\r\n\r\n");
    const auto head = raw.substr(0, head_end == std::string_view::npos ? raw.size() : head_end + 4);
    const auto body = head_end == std::string_view::npos ? std::string_view{} : raw.substr(head_end + 4);

    (void)classify_oversized_head(head, 64);
    const auto lines = fuzz::split_lines(head);
    if (!lines.empty()) {
        const auto first = lines.front();
        const auto space = first.find(' ');
        if (space != std::string_view::npos) {
            (void)method_problem(first.substr(0, space));
            const auto rest = first.substr(space + 1);
            (void)origin_form_problem(rest.substr(0, rest.find(' ')));
        }
    }
    for (const auto line : lines) {
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        (void)field_name_smuggles_by_underscore(line.substr(0, colon));
        auto value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        (void)host_value_problem(value, false);
        (void)host_value_problem(value, true);
    }
    for (const ChunkLimits limits : {ChunkLimits{}, ChunkLimits{8, 16}}) {
        const auto boundary = inspect_chunk_boundary(body, limits);
        if (boundary.kind == ChunkBoundary::Kind::last_chunk)
            fuzz::require(boundary.length <= body.size(), "last chunk longer than the input");
        if (boundary.kind == ChunkBoundary::Kind::malformed) fuzz::require(!boundary.problem.empty(), "no reason");
    }
    return 0;
}
