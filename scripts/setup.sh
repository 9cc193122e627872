#!/usr/bin/env bash
# One-shot set-up of a fresh Debian 12 machine (as root) for building and testing Greenroom.
# Idempotent: every step checks first and is skipped when already done, so a second run takes ~1 s.
#   1. Debian packages: a Docker engine for the engine tests, chromium + code-server's native deps for the VS Code tests
#   2. the project's npm dependencies
#   3. code-server (VS Code's server + workbench) into a gitignored tool folder, never into package.json
set -euo pipefail
cd "$(dirname "$0")/.."

CODE_SERVER_VERSION=4.100.3
# code-server's @vscode/ripgrep downloads rg from GitHub in its postinstall unless its cache already holds this file.
RIPGREP_CACHE_DIR=vscode-ripgrep-cache-1.15.11
RIPGREP_TARBALL=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
TOOLS_DIR=.vscode-test/code-server
APT_PACKAGES=(docker.io iptables busybox-static libkrb5-dev ripgrep chromium python3-debugpy)

step() { echo "[setup] $*"; }

# --- 1. Debian packages ---------------------------------------------------------------------------
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  step "installing Debian packages: ${missing[*]}"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
else
  step "Debian packages present"
fi

# --- 2. npm dependencies ----------------------------------------------------------------------------
# The stamp records which package.json + lockfile node_modules was installed from.
npm_stamp=node_modules/.greenroom-setup-stamp
npm_hash=$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)
if [[ -f $npm_stamp && $(cat "$npm_stamp") == "$npm_hash" ]]; then
  step "npm dependencies up to date"
elif [[ -d node_modules ]]; then
  step "npm install (package.json or lockfile changed)"
  npm install --no-audit --no-fund
  # npm install may have rewritten the lockfile: hash what is there now
  cat package.json package-lock.json | sha256sum | cut -d' ' -f1 >"$npm_stamp"
else
  step "npm ci"
  npm ci --no-audit --no-fund
  echo "$npm_hash" >"$npm_stamp"
fi

# --- 3. code-server -----------------------------------------------------------------------------------
cs_stamp=$TOOLS_DIR/.installed-$CODE_SERVER_VERSION
if [[ -f $cs_stamp && -x $TOOLS_DIR/node_modules/.bin/code-server ]]; then
  step "code-server $CODE_SERVER_VERSION present in $TOOLS_DIR"
else
  step "installing code-server $CODE_SERVER_VERSION into $TOOLS_DIR (about a minute)"
  rm -rf "$TOOLS_DIR"
  mkdir -p "$TOOLS_DIR/tmp/$RIPGREP_CACHE_DIR"
  tools_abs=$(cd "$TOOLS_DIR" && pwd)
  # Seed the ripgrep download cache with Debian's rg (the install's TMPDIR points at it).
  cp /usr/bin/rg "$TOOLS_DIR/tmp/rg"
  tar czf "$TOOLS_DIR/tmp/$RIPGREP_CACHE_DIR/$RIPGREP_TARBALL" -C "$TOOLS_DIR/tmp" rg
  echo '{"private": true, "description": "Greenroom test tool folder (see scripts/setup.sh)"}' >"$TOOLS_DIR/package.json"
  # unsafe_perm: code-server's postinstall must run as root; yes: node-pty's postinstall runs `npx node-gyp`
  (cd "$TOOLS_DIR" && TMPDIR="$tools_abs/tmp" npm_config_unsafe_perm=true npm_config_yes=true \
    npm install --no-audit --no-fund --no-save "code-server@$CODE_SERVER_VERSION")
  # (its own config dir pointed into tmp: --version would otherwise write ~/.config/code-server/config.yaml)
  XDG_CONFIG_HOME="$tools_abs/tmp" "$TOOLS_DIR/node_modules/.bin/code-server" --version
  rm -rf "$TOOLS_DIR/tmp"
  touch "$cs_stamp"
fi
step "done"
