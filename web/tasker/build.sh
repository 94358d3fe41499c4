#!/bin/sh
# Build the Tasker web app into web/tasker/dist/ (served by nginx at /tasker/).
# Needs Debian's esbuild and node-react / node-react-dom (React 18 in /usr/share/nodejs).
# Files are built aside and moved into dist/ one by one (atomic renames), so a
# running nginx never serves a half-written or missing file.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
out=dist
tmp=$(mktemp -d "$here/.dist-tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
NODE_PATH=/usr/share/nodejs esbuild src/main.jsx \
  --bundle --minify --format=iife --jsx=automatic \
  --target=es2019 \
  --define:process.env.NODE_ENV=\"production\" \
  --legal-comments=none \
  --log-level=warning \
  --outfile="$tmp/app.js"
cp src/index.html "$tmp/index.html"
cp src/styles.css "$tmp/styles.css"
# Cache-busting: stamp the bundle's content hash into index.html.
hash=$(cat "$tmp/app.js" "$tmp/styles.css" | sha256sum | cut -c1-12)
sed -i "s/__BUILD__/$hash/g" "$tmp/index.html"
size=$(wc -c < "$tmp/app.js")
if [ "$size" -gt 256000 ]; then
  echo "error: dist/app.js would be $size bytes, over the 250 KB budget" >&2
  exit 1
fi
mkdir -p "$out"
chmod 644 "$tmp"/*
# Assets first, index.html last, so the new index never points at missing assets.
for f in app.js styles.css index.html; do
  mv -f "$tmp/$f" "$out/$f"
done
echo "built $out/app.js ($size bytes), $out/styles.css, $out/index.html"
