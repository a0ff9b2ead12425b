// The integration support library (tests/integration/support/), compiled once into the
// integration_tests binary. CMakeLists.txt globs only tests/integration/*.cpp, so the
// support sources are gathered here rather than listed there; Process, TempDir and
// LoopbackPorts are the cp_test_support library instead, shared with the browser and TLS tests.
#include "integration/support/Clients.cpp"
#include "integration/support/Digest.cpp"
#include "integration/support/HttpWire.cpp"
#include "integration/support/ProxyExchange.cpp"
#include "integration/support/ProxyProcess.cpp"
#include "integration/support/RawClient.cpp"
#include "integration/support/ScriptedUpstream.cpp"
