#!/bin/bash
# Installs the observability backends the backend tests start on loopback: Debian's prometheus (with promtool),
# as root, when missing. Grafana Loki is not packaged by Debian or npm: the tests take it from LOKI_BIN or unpack
# ../shared/bin/loki-*.xz themselves. Without these, npm test skips the backend suites and says why;
# REQUIRE_BACKENDS=1 (as in .ci/run) turns a missing backend into a failure.
set -euo pipefail
if command -v prometheus >/dev/null && command -v promtool >/dev/null; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "prometheus is not installed; run: sudo apt-get install -y --no-install-recommends prometheus" >&2
  exit 1
fi
echo "installing Debian's prometheus (for the backend tests)"
apt-get update -qq >/dev/null
# The package's service is not started on these machines (and need not be): the tests run their own.
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
