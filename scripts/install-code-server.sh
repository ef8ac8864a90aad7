#!/usr/bin/env bash
# Install code-server (a real VS Code, served to a browser) for the end-to-end tests, offline except
# for the npm registry. Installed outside the root node_modules, under .cache/code-server (git-ignored).
#
#   bash scripts/install-code-server.sh          # idempotent: returns at once when already installed
#   CODE_SERVER_DIR=/somewhere bash scripts/install-code-server.sh
#
# Prints the path of the code-server executable on its last line.
#
# Why the dance:
# - code-server@4.100.3 is the last release that runs on Node 20. Its postinstall runs `npm install`
#   in lib/vscode, which builds `kerberos` (needs Debian's libkrb5-dev and the Node headers) and runs
#   @vscode/ripgrep's postinstall, which downloads ripgrep from GitHub (unreachable here) unless its
#   cache already holds the tarball it wants. We put Debian's /usr/bin/rg into that tarball.
# - As root, the postinstall refuses to run without npm_config_unsafe_perm=true.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
# What lib/vscode/npm-shrinkwrap.json of code-server 4.100.3 pins, and what that package's
# lib/postinstall.js (VERSION, getTarget) and lib/download.js (cache dir, asset name) expect:
RIPGREP_PKG_VERSION=1.15.11
RIPGREP_TAG=v13.0.0-10
RIPGREP_TARGET=x86_64-unknown-linux-musl

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${CODE_SERVER_DIR:-$repo_root/.cache/code-server}
bin=$dir/node_modules/code-server/out/node/entry.js
stamp=$dir/.installed-$CODE_SERVER_VERSION

installed() { [[ -f $stamp && -f $bin && -x $dir/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg ]]; }
if installed; then
  echo "code-server $CODE_SERVER_VERSION already installed in $dir" >&2
  echo "$dir/node_modules/.bin/code-server"
  exit 0
fi

# One install at a time (CI's background install and a test run may both get here).
mkdir -p "$dir"
exec 9>"$dir/.install.lock"
flock 9
if installed; then
  echo "$dir/node_modules/.bin/code-server"
  exit 0
fi

[[ $(node -p 'process.versions.node.split(".")[0]') == 20 ]] || {
  echo "code-server $CODE_SERVER_VERSION needs Node 20, found $(node -v)" >&2; exit 1; }
command -v rg >/dev/null || { echo "ripgrep (rg) missing: apt-get install -y ripgrep" >&2; exit 1; }
[[ -e /usr/include/krb5.h || -e /usr/include/gssapi/gssapi.h ]] || {
  echo "libkrb5-dev missing: apt-get install -y libkrb5-dev" >&2; exit 1; }

mkdir -p "$dir/tmp"
# A private TMPDIR, so that os.tmpdir() in @vscode/ripgrep's postinstall finds our tarball.
export TMPDIR=$dir/tmp
rg_cache=$TMPDIR/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION
rg_tar=$rg_cache/ripgrep-$RIPGREP_TAG-$RIPGREP_TARGET.tar.gz
if [[ ! -s $rg_tar ]]; then
  mkdir -p "$rg_cache" "$TMPDIR/rg-stage"
  install -m 755 "$(command -v rg)" "$TMPDIR/rg-stage/rg"
  tar czf "$rg_tar.part" -C "$TMPDIR/rg-stage" rg   # rg at the archive root: untarred into bin/
  mv "$rg_tar.part" "$rg_tar"
  rm -rf "$TMPDIR/rg-stage"
fi

[[ -f $dir/package.json ]] || echo '{ "name": "kn-code-server", "private": true }' > "$dir/package.json"

export npm_config_unsafe_perm=true npm_config_yes=true
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
# node-gyp (kerberos, node-pty, ...) must not try to download Node headers.
if [[ -z ${npm_config_nodedir:-} && -f /usr/include/node/node.h ]]; then
  export npm_config_nodedir=/usr
fi
# Native builds on a shared 2-core machine: keep it to what we have.
export JOBS=${JOBS:-$(nproc)}

# No stamp: a previous try failed part way (npm would not rerun code-server's postinstall). Start clean.
rm -rf "$dir/node_modules"
echo "installing code-server@$CODE_SERVER_VERSION into $dir (takes minutes)" >&2
start=$SECONDS
npm install --prefix "$dir" --no-save --no-package-lock "code-server@$CODE_SERVER_VERSION" >&2
echo "code-server installed in $((SECONDS - start)) s" >&2

[[ -x $dir/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg ]] || {
  echo "code-server installed but its ripgrep is missing" >&2; exit 1; }
XDG_CONFIG_HOME=$TMPDIR/xdg-config XDG_DATA_HOME=$TMPDIR/xdg-data "$dir/node_modules/.bin/code-server" --version >&2
touch "$stamp"
echo "$dir/node_modules/.bin/code-server"
