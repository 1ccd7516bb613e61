#!/bin/bash
# Installs what the VS Code suites need on a machine that reaches only npm and Debian:
# Debian packages (chromium, ripgrep, fonts, libkrb5-dev for code-server's native build) and
# code-server 4.100.3 (a real VS Code 1.100.3 workbench, the newest with Node 20) into .vscode-test/.
# Idempotent: a second run finds everything and exits in well under a second.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CS_VERSION=4.100.3
DEST="$ROOT/.vscode-test/code-server-$CS_VERSION"
CS_BIN="$DEST/node_modules/.bin/code-server"

need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium fonts-liberation)
command -v rg >/dev/null || need_apt+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "missing Debian packages: ${need_apt[*]} — run: sudo apt-get install -y ${need_apt[*]}" >&2; exit 1
  fi
  echo "installing Debian packages: ${need_apt[*]}"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ -x "$CS_BIN" ] && [ -f "$DEST/.complete" ]; then exit 0; fi
echo "installing code-server $CS_VERSION into $DEST (once; about a minute)"
rm -rf "$DEST" && mkdir -p "$DEST" && cd "$DEST"
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
touch "$DEST/.complete"
echo "code-server $CS_VERSION ready"
