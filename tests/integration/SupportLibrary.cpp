// The integration support library (tests/integration/support/), compiled once into the
// integration_tests binary. CMakeLists.txt globs only tests/integration/*.cpp, so the
// support sources are gathered here rather than listed there.
#include "integration/support/Clients.cpp"
#include "integration/support/Digest.cpp"
#include "integration/support/HttpWire.cpp"
#include "integration/support/LoopbackPorts.cpp"
#include "integration/support/Process.cpp"
#include "integration/support/ProxyExchange.cpp"
#include "integration/support/ProxyProcess.cpp"
#include "integration/support/RawClient.cpp"
#include "integration/support/ScriptedUpstream.cpp"
#include "integration/support/TempDir.cpp"
