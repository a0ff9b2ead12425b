#pragma once
// The response schemas of one document, compiled once by valijson (the only file that includes
// it). OpenAPI 3.0's Schema Object is read as JSON Schema draft 4 (after `nullable` is rewritten
// into a type list), 3.1's as draft 7, the newest dialect valijson 1.0 knows (docs/openapi.md
// lists the 2020-12 keywords it lacks).
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

namespace cproxy::openapi {

enum class SchemaDialect { draft4, draft7 };

class SchemaSet {
public:
    explicit SchemaSet(SchemaDialect dialect);
    ~SchemaSet();
    SchemaSet(SchemaSet&&) noexcept;
    SchemaSet& operator=(SchemaSet&&) noexcept;

    // Compiles the schema at `pointer` ("/paths/~1pets/get/...") of `document`; its local $refs
    // resolve against the document. Returns the handle; throws std::runtime_error on a schema
    // valijson refuses.
    int add(boost::json::value& document, const std::string& pointer);
    // Compiles a standalone JSON Schema (its own root); throws like add().
    int add_root(const boost::json::value& schema);
    // nullopt when `instance` conforms, else "at /pointer: problem".
    std::optional<std::string> validate(int handle, const boost::json::value& instance) const;
    // Parses JSON text first: nullopt too when it is not JSON (json-invalid reports that).
    std::optional<std::string> validate_text(int handle, std::string_view json) const;

private:
    struct Compiled;
    SchemaDialect dialect_;
    std::vector<std::unique_ptr<Compiled>> schemas_;
};

}  // namespace cproxy::openapi
