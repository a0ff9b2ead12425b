#pragma once
// A YAML or JSON text as a Boost.JSON value (JSON is read as YAML 1.2 by yaml-cpp), so schema
// validation and $ref resolution work on one tree.
#include <string>

#include <boost/json/value.hpp>

namespace cproxy::openapi {

// Plain scalars are typed as YAML 1.2's core schema does (null, true/false, integers, floats,
// else strings); quoted scalars stay strings. Throws OpenApiError "NAME:LINE:COLUMN: ...".
boost::json::value yaml_to_json(const std::string& text, const std::string& name);

}  // namespace cproxy::openapi
