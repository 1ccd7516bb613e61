#!/bin/bash
# Installs the backends the backend tests start on loopback: Debian's prometheus (with promtool) and postgresql, as
# root, when missing. Grafana Loki is not packaged by Debian or npm: the tests take it from LOKI_BIN or unpack
# ../shared/bin/loki-*.xz themselves. Without these, npm test skips the backend suites and says why;
# REQUIRE_BACKENDS=1 (as in .ci/run) turns a missing backend into a failure.
set -euo pipefail
missing=()
if ! command -v prometheus >/dev/null || ! command -v promtool >/dev/null; then missing+=(prometheus); fi
if ! command -v pg_ctl >/dev/null && ! compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null; then missing+=(postgresql); fi
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "${missing[*]} not installed; run: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "installing Debian's ${missing[*]} (for the backend tests)"
apt-get update -qq >/dev/null
# The packages' services are not started on these machines (and need not be): the tests run their own.
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
