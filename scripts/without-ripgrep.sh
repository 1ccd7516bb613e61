#!/bin/bash
# Runs a command as on a machine without ripgrep: each PATH folder that holds `rg` is replaced by a folder of links
# to everything else in it. CI runs `npm test` this way, so tests that need rg keep skipping cleanly without it.
set -euo pipefail
shadow=$(mktemp -d)
trap 'rm -rf "$shadow"' EXIT
new_path=
IFS=: read -ra dirs <<< "$PATH"
for dir in "${dirs[@]}"; do
  if [ -n "$dir" ] && [ -e "$dir/rg" ]; then
    copy="$shadow/$(printf '%s' "$dir" | tr / _)"
    mkdir -p "$copy"
    find "$dir" -mindepth 1 -maxdepth 1 ! -name rg -exec ln -s -t "$copy" {} +
    dir=$copy
  fi
  new_path=${new_path:+$new_path:}$dir
done
export PATH=$new_path
if command -v rg >/dev/null; then echo "without-ripgrep: rg is still on PATH at $(command -v rg)" >&2; exit 1; fi
"$@"
