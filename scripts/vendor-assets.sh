#!/bin/sh
# Refresh the vendored front-end files from the npm registry (run by hand to upgrade).
#
# The files are checked in (xuncha/web/static/vendor/, with their LICENSE and NOTICE) so that
# `make run` works on a fresh Debian without node/npm and nothing is fetched at run time or
# from a CDN. This script is how they got there: it asks npm for the pinned version (npm
# checks the package's integrity hash), unpacks only the distributed minified file and its
# licence, and prints their SHA-256 for the commit message.
set -eu
ECHARTS_VERSION=5.6.0
here=$(cd "$(dirname "$0")/.." && pwd)
dest="$here/xuncha/web/static/vendor/echarts"
if ! command -v npm >/dev/null 2>&1; then
    echo "vendor-assets: npm 不可用；已检入的 $dest 保持不变" >&2
    exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "echarts@$ECHARTS_VERSION" >/dev/null)
tar -xzf "$work/echarts-$ECHARTS_VERSION.tgz" -C "$work" \
    package/dist/echarts.min.js package/LICENSE package/NOTICE
mkdir -p "$dest"
cp "$work/package/dist/echarts.min.js" "$work/package/LICENSE" "$work/package/NOTICE" "$dest/"
echo "$ECHARTS_VERSION" > "$dest/VERSION"
sha256sum "$dest/echarts.min.js"
