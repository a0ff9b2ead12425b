#include "lint/ChunkedBody.hpp"

#include <charconv>
#include <cstdint>

namespace cproxy::lint {
namespace {

// The next line (without CR LF) starting at pos; false when no LF is left.
bool read_line(std::string_view bytes, std::size_t& pos, std::string_view& line) {
    const std::size_t lf = bytes.find('\n', pos);
    if (lf == std::string_view::npos) return false;
    line = bytes.substr(pos, lf - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = lf + 1;
    return true;
}

}  // namespace

ChunkedScan scan_chunked_body(std::string_view bytes, std::string* data) {
    ChunkedScan scan;
    std::size_t pos = 0;
    std::string_view line;
    while (true) {
        if (!read_line(bytes, pos, line)) break;
        std::string_view size_text = line.substr(0, line.find(';'));
        while (!size_text.empty() && (size_text.back() == ' ' || size_text.back() == '\t'))
            size_text.remove_suffix(1);
        std::uint64_t size = 0;
        const auto [end, error] =
            std::from_chars(size_text.data(), size_text.data() + size_text.size(), size, 16);
        if (size_text.empty() || error != std::errc{} || end != size_text.data() + size_text.size())
            break;
        if (size == 0) {
            // trailer section, then the empty line
            const std::size_t trailer_start = pos;
            for (std::size_t line_start = pos; read_line(bytes, pos, line); line_start = pos) {
                if (line.empty()) {
                    scan.complete = true;
                    scan.length = pos;
                    scan.trailer_offset = trailer_start;
                    scan.trailer_length = line_start - trailer_start;
                    return scan;
                }
            }
            break;
        }
        if (bytes.size() - pos < size) break;
        if (data) data->append(bytes.substr(pos, size));
        pos += size;
        if (bytes.substr(pos, 2) == "\r\n")
            pos += 2;
        else if (bytes.substr(pos, 1) == "\n")
            pos += 1;
        else
            break;
    }
    scan.length = bytes.size();
    return scan;
}

}  // namespace cproxy::lint
