#pragma once
// The HTTP base layer (include/conformance_proxy/http/) under the names the rules use.
#include "conformance_proxy/http/FieldLists.hpp"
#include "conformance_proxy/http/HttpDate.hpp"
#include "conformance_proxy/http/HttpGrammar.hpp"
#include "conformance_proxy/http/InlineVector.hpp"
#include "conformance_proxy/http/RawHead.hpp"

namespace cproxy::check {

namespace grammar = http::grammar;
using http::classify_field_name;
using http::FieldLine;
using http::HttpDateForm;
using http::InlineVector;
using http::is_credential_field;
using http::KnownField;
using http::parse_http_date;
using http::RawHead;

}  // namespace cproxy::check
