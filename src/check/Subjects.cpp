// Every subject, in the order the checker runs them (status and framing first, so a finding
// list reads from the most basic problem to the most specific). Adding a subject: declare it
// in its file under rules/ and add one line here.
#include "check/Subject.hpp"

namespace cproxy::check {

extern const Subject status_codes_subject;
extern const Subject field_lines_subject;
extern const Subject framing_subject;
extern const Subject dates_subject;
extern const Subject content_type_subject;
extern const Subject authentication_subject;
extern const Subject methods_subject;
extern const Subject retry_after_subject;
extern const Subject location_subject;
extern const Subject ranges_subject;
extern const Subject cors_subject;
extern const Subject security_subject;
extern const Subject request_messaging_subject;
extern const Subject request_credentials_subject;
extern const Subject content_subject;
extern const Subject links_subject;
extern const Subject json_subject;
extern const Subject validators_subject;
extern const Subject conditional_requests_subject;
extern const Subject request_preconditions_subject;
extern const Subject caching_subject;
extern const Subject vary_subject;
extern const Subject cdn_caching_subject;
extern const Subject cross_origin_isolation_subject;
extern const Subject cookies_subject;
extern const Subject hsts_subject;
extern const Subject connection_subject;
extern const Subject openapi_contract_subject;
extern const Subject across_exchanges_subject;

std::span<const Subject* const> all_subjects() noexcept {
    static constexpr const Subject* subjects[] = {
        &status_codes_subject,
        &field_lines_subject,
        &framing_subject,
        &dates_subject,
        &content_type_subject,
        &authentication_subject,
        &methods_subject,
        &retry_after_subject,
        &location_subject,
        &ranges_subject,
        &cors_subject,
        &security_subject,
        &request_messaging_subject,
        &request_credentials_subject,
        &content_subject,
        &links_subject,
        &json_subject,
        &validators_subject,
        &conditional_requests_subject,
        &request_preconditions_subject,
        &caching_subject,
        &vary_subject,
        &cdn_caching_subject,
        &cross_origin_isolation_subject,
        &cookies_subject,
        &hsts_subject,
        &connection_subject,
        &openapi_contract_subject,
        &across_exchanges_subject,
    };
    return subjects;
}

}  // namespace cproxy::check
