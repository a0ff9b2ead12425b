// Support code added for the rule, smuggling, load and fault-injection tests, compiled once
// into integration_tests (CMakeLists.txt globs tests/integration/*.cpp only, as for
// SupportLibrary.cpp, which gathers the original support sources).
#include "integration/support/FindingsFile.cpp"
#include "integration/support/ChecksumUpstream.cpp"
