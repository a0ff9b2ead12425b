#pragma once
// What a loaded OpenAPI document holds; shared by the loader, the matcher and the example
// listing (src/openapi only).
#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

#include <boost/json/value.hpp>

#include "conformance_proxy/openapi/OpenApiDocument.hpp"
#include "openapi/PathTemplate.hpp"
#include "openapi/SchemaSet.hpp"

namespace cproxy::openapi {

struct OpenApiDocument::Impl {
    std::string name;
    std::string version;
    boost::json::value root;  // $refs kept as written; 3.0 `nullable` rewritten
    std::vector<std::string> base_paths;
    std::vector<check::ContractPath> paths;
    std::vector<std::string> path_pointers;  // the resolved Path Item of each path, a JSON pointer
    std::vector<PathTemplate> templates;    // parallel to paths
    std::vector<std::size_t> match_order;   // indexes into paths, most specific first
    SchemaSet schemas{SchemaDialect::draft7};

    mutable std::mutex undeclared_mutex;
    mutable std::unordered_set<std::string> undeclared_seen;
};

// "/a/b~c" -> "/a~1b~0c" style escaping of one reference token.
std::string pointer_token(std::string_view key);
// Follows local $refs from `value` (at `pointer`) to the object they name; updates `pointer` to
// the target's location. Throws OpenApiError on a dangling or external reference.
const boost::json::value& resolve_ref(const OpenApiDocument::Impl& document, const boost::json::value& value,
                                      std::string& pointer);

}  // namespace cproxy::openapi
