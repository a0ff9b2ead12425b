#pragma once
// An OpenAPI 3.0 or 3.1 document (YAML or JSON), loaded and resolved once (--openapi FILE):
// local $refs followed, paths matched against request paths after the servers base path,
// response schemas compiled for validation. Read-only and thread-safe after loading; the
// checker reads it through check::Contract. See docs/openapi.md.
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "conformance_proxy/check/contract.hpp"

namespace cproxy::openapi {

// A document that cannot be read or is invalid. what(): "FILE: #/json/pointer: problem" (or
// "FILE:LINE:COLUMN: problem" for a YAML syntax error), ready for the user.
class OpenApiError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class OpenApiDocument final : public check::Contract {
public:
    // Throw OpenApiError. `name` is how messages call the document (its path as given).
    static std::unique_ptr<OpenApiDocument> load_file(const std::string& path);
    static std::unique_ptr<OpenApiDocument> load_text(const std::string& text, const std::string& name);
    ~OpenApiDocument() override;

    std::span<const check::ContractPath> paths() const noexcept override;
    const check::ContractPath* match(std::string_view request_path) const override;
    std::optional<std::string> validate(int schema, std::string_view json) const override;
    bool first_sight_of_undeclared(std::string_view request_path) const override;

    std::string_view version() const noexcept;  // "3.0.3", "3.1.0"
    // The servers' base paths, in document order ("" for a server at the root).
    const std::vector<std::string>& base_paths() const noexcept;
    // How messages call the document (its path as given).
    const std::string& name() const noexcept;

    struct Impl;
    const Impl& impl() const noexcept { return *impl_; }

private:
    explicit OpenApiDocument(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace cproxy::openapi
