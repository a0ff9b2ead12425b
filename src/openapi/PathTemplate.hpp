#pragma once
// An OpenAPI path template ("/pets/{petId}", "/files/{name}.json") matched against a request
// path: a {param} matches a non-empty run of characters within one segment.
#include <string>
#include <string_view>
#include <vector>

namespace cproxy::openapi {

class PathTemplate {
public:
    explicit PathTemplate(std::string_view text);
    bool matches(std::string_view path) const;
    // Literal segments before templated ones (OpenAPI 3.1 §4.8.8): compare segment by segment,
    // a literal segment ranks before a templated one at the first difference.
    bool more_specific_than(const PathTemplate& other) const;
    // The parameter names, in order.
    std::vector<std::string> parameters() const;

private:
    struct Piece {
        std::string text;  // literal text, or the parameter's name
        bool parameter = false;
    };
    using Segment = std::vector<Piece>;
    static bool match_segment(const Segment& segment, std::size_t piece, std::string_view text);
    static bool templated(const Segment& segment);
    std::vector<Segment> segments_;
};

// The path of a servers URL after its variables take their defaults: "https://{host}/v1/" -> "/v1",
// "/" -> "", "{scheme}://api.example.com" -> "".
std::string server_base_path(std::string_view url_with_defaults);

}  // namespace cproxy::openapi
