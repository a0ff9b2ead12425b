// The htpasswd reader over arbitrary file contents: either a table or an HtpasswdError,
// never another exception or a crash. Cheap formats are verified too; bcrypt and SHA-crypt
// are not (their cost comes from the file, up to hours per call by design).
#include "FuzzSupport.hpp"
#include "conformance_proxy/auth/HtpasswdFile.hpp"

using namespace cproxy;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        const auth::HtpasswdFile table = auth::HtpasswdFile::parse(fuzz::as_text(data, size), "fuzz.htpasswd");
        fuzz::require(table.size() > 0, "a table without users");
        const auth::PasswordHash& dummy = table.dummy();
        (void)dummy.relative_cost();
        for (const char* user : {"alice", "bob", "user", ""}) {
            const auth::PasswordHash* hash = table.find(user);
            if (hash && (hash->format() == auth::HashFormat::apr1_md5 ||
                         hash->format() == auth::HashFormat::sha1_base64))
                (void)hash->verify("password");
        }
    } catch (const auth::HtpasswdError&) {
    }
    return 0;
}
