#!/usr/bin/env bash
# Installs what is missing, builds, and starts the proxy. With no flags: the built-in demo
# (proxy on 127.0.0.1:8080 in front of a demo upstream with conformant and broken endpoints);
# `./run.sh --demo --openapi config/demo-openapi.yaml` also holds it to its API description.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh
scripts/build.sh --target conformance-proxy >/dev/null
if [ $# -eq 0 ]; then
  set -- --demo
  echo "run.sh: the demo has an OpenAPI description too: ./run.sh --demo --openapi config/demo-openapi.yaml" >&2
fi
exec build/conformance-proxy "$@"
