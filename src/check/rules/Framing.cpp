// Message framing (RFC 9110 §8.6, RFC 9112 §6): Content-Length grammar, Transfer-Encoding,
// the statuses that never have content, and what the body stream revealed.
#include <string>

#include "check/Framing.hpp"
#include "check/HeadRules.hpp"
#include "check/Subject.hpp"
#include "check/MessageText.hpp"

namespace cproxy::check {
namespace {

// The rules of this subject, declared once: id, default level, reference, summary.
constinit Rule no_content_status_has_body{
    .id = "no-content-status-has-body",
    .level = Level::error,
    .reference = "RFC 9110 §15.3.5, §15.4.5, §8.6; RFC 9112 §6.1, §6.3",
    .summary = "1xx, 204 or 304 response announces or carries content",
    .example = "HTTP/1.1 204 No Content\nDate: Sun, 06 Nov 1994 08:49:37 GMT\n\nhello",
};
constinit Rule content_length_forbidden{
    .id = "content-length-forbidden",
    .level = Level::error,
    .reference = "RFC 9110 §8.6",
    .summary = "Content-Length on 1xx or 204",
    .example = "HTTP/1.1 204 No Content\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Length: 0\n",
};
constinit Rule transfer_encoding_forbidden{
    .id = "transfer-encoding-forbidden",
    .level = Level::error,
    .reference = "RFC 9112 §6.1",
    .summary = "Transfer-Encoding on 1xx or 204",
    .example = "HTTP/1.1 204 No Content\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nTransfer-Encoding: chunked\n",
};
constinit Rule content_length_and_transfer_encoding{
    .id = "content-length-and-transfer-encoding",
    .level = Level::error,
    .reference = "RFC 9112 §6.1, §6.3",
    .summary = "both Content-Length and Transfer-Encoding",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: text/plain\nContent-Length: 5\nTransfer-Encoding: chunked\n\n5\nhello\n0\n\n",
};
constinit Rule content_length_invalid{
    .id = "content-length-invalid",
    .level = Level::error,
    .reference = "RFC 9110 §8.6",
    .summary = "Content-Length is not 1*DIGIT, or several differing values",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Length: 0x10\n",
};
constinit Rule content_length_mismatch{
    .id = "content-length-mismatch",
    .level = Level::error,
    .reference = "RFC 9112 §6.3, §8",
    .summary = "body ended before its declared length or chunked framing broke off",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: text/plain\nContent-Length: 10\n\nhello",
};
constinit Rule transfer_encoding_chunked_not_last{
    .id = "transfer-encoding-chunked-not-last",
    .level = Level::warning,
    .reference = "RFC 9112 §6.1",
    .summary = "Transfer-Encoding without chunked as the final coding",
    .example = "HTTP/1.1 200 OK\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nContent-Type: text/plain\nTransfer-Encoding: gzip\n",
};

}  // namespace

using message::concat;
using message::quote;

static void check_framing(const HeadCheck& check) {
    const RawHead& head = check.head;
    const Framing& framing = check.framing();
    const FieldLine* content_length = head.first(KnownField::content_length);
    const FieldLine* transfer_encoding = head.first(KnownField::transfer_encoding);

    if (framing.first_malformed_length) {
        check.sink.report(content_length_invalid, [&] {
            return concat({"Content-Length ", quote(framing.first_malformed_length->value),
                           " is not a decimal number of bytes; send digits only, e.g. "
                           "Content-Length: 1234"});
        });
    } else if (framing.differing_length) {
        check.sink.report(content_length_invalid, [&] {
            return concat({"Content-Length has differing values ", quote(content_length->value),
                           " and ", quote(framing.differing_length->value),
                           "; the body length is ambiguous, send exactly one Content-Length"});
        });
    }

    if (framing.has_content_length && framing.has_transfer_encoding) {
        check.sink.report(content_length_and_transfer_encoding, [&] {
            return concat({"response has both Content-Length ", quote(content_length->value),
                           " and Transfer-Encoding ", quote(transfer_encoding->value),
                           "; send only one of them (intermediaries disagree on the length: "
                           "request smuggling risk)"});
        });
    }

    if (framing.has_transfer_encoding && !framing.chunked_is_last) {
        check.sink.report(transfer_encoding_chunked_not_last, [&] {
            return concat({"Transfer-Encoding ", quote(transfer_encoding->value),
                           " does not end with chunked, so only closing the connection ends the "
                           "body; append chunked (e.g. Transfer-Encoding: gzip, chunked) or send "
                           "Content-Length"});
        });
    }

    const int status = head.status();
    const bool informational = status >= 100 && status <= 199;
    if (!informational && status != 204) return;  // 304 may describe the selected representation

    if (framing.has_content_length) {
        check.sink.report(content_length_forbidden, [&] {
            return concat({head.status_text(), " response has Content-Length ",
                           quote(content_length->value),
                           "; a 1xx or 204 must not send Content-Length, remove it"});
        });
    }
    if (framing.has_transfer_encoding) {
        check.sink.report(transfer_encoding_forbidden, [&] {
            return concat({head.status_text(), " response has Transfer-Encoding ",
                           quote(transfer_encoding->value),
                           "; a 1xx or 204 must not send Transfer-Encoding, remove it"});
        });
    }
    const bool announces_content =
        framing.has_transfer_encoding ||
        (framing.content_length_valid && framing.content_length > 0);
    if (announces_content) {
        check.sink.report(no_content_status_has_body, [&] {
            const std::string announced =
                framing.has_transfer_encoding
                    ? concat({"Transfer-Encoding ", quote(transfer_encoding->value)})
                    : concat({"Content-Length ", quote(content_length->value)});
            return concat({head.status_text(), " response announces content (", announced,
                           "), but a ", head.status_text(),
                           " has none; drop the body or answer 200 with it"});
        });
    }
}

static void check_body_framing(const HeadCheck& check, const BodyOutcome& outcome) {
    const RawHead& head = check.head;
    const int status = head.status();
    // 101 hands the connection to another protocol: what follows its head is not a body.
    if (status_has_no_content(status) && status != 101 && outcome.bytes_after_head > 0) {
        check.sink.report(no_content_status_has_body, [&] {
            return concat({head.status_text(), " response carries ",
                           std::to_string(outcome.bytes_after_head),
                           " bytes after its head, but a ", head.status_text(),
                           " has no content; clients read those bytes as the start of the next "
                           "response, so do not send them"});
        });
    }
    // Bodiless responses (HEAD, 1xx, 204, 304) cannot end early: there is nothing to end.
    if (outcome.complete || check.is_head_request() || status_has_no_content(status)) return;
    check.sink.report(content_length_mismatch, [&] {
        const Framing& framing = check.framing();
        if (framing.has_transfer_encoding)
            return std::string(
                "the chunked body broke off before its last (zero-size) chunk; the client got a "
                "truncated response, make the server finish the chunked stream");
        if (framing.content_length_valid)
            return concat({"the upstream closed before sending the declared Content-Length of ",
                           std::to_string(framing.content_length),
                           " bytes; the client got a truncated body, make Content-Length match "
                           "the bytes actually sent"});
        return std::string(
            "the body ended before its framing said it would; the client got a truncated "
            "response");
    });
}

namespace {
Rule* const framing_rules[] = {&no_content_status_has_body, &content_length_forbidden, &transfer_encoding_forbidden, &content_length_and_transfer_encoding, &content_length_invalid, &content_length_mismatch, &transfer_encoding_chunked_not_last};
}  // namespace

extern const Subject framing_subject{"framing", framing_rules, check_framing, check_body_framing, nullptr};

}  // namespace cproxy::check
