#!/usr/bin/env bash
# Configures (once) and builds into build/. BUILD_TYPE overrides the build type.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo}
source scripts/ccache-launcher.sh
if [ ! -f build/build.ninja ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="$BUILD_TYPE" "${launcher[@]}" >/dev/null
fi
cmake --build build "$@"
