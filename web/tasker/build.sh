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
mkdir "$tmp/icons"
cp src/index.html src/styles.css src/sw.js src/manifest.webmanifest "$tmp/"
cp src/icons/*.png "$tmp/icons/"
# The build's hash, of everything the app shell is made of: stamped into index.html
# (cache-busting) and into sw.js (the name of the service worker's cache, so each
# build caches its own shell and drops the previous one).
hash=$(cat "$tmp/app.js" "$tmp/styles.css" "$tmp/index.html" "$tmp/sw.js" \
  "$tmp/manifest.webmanifest" "$tmp"/icons/*.png | sha256sum | cut -c1-12)
sed -i "s/__BUILD__/$hash/g" "$tmp/index.html" "$tmp/sw.js"
size=$(wc -c < "$tmp/app.js")
if [ "$size" -gt 256000 ]; then
  echo "error: dist/app.js would be $size bytes, over the 250 KB budget" >&2
  exit 1
fi
mkdir -p "$out/icons"
find "$tmp" -type f -exec chmod 644 {} +
# Assets first, then the service worker that caches them, index.html last, so the
# new index never points at missing assets.
for f in app.js styles.css manifest.webmanifest; do
  mv -f "$tmp/$f" "$out/$f"
done
for f in "$tmp"/icons/*.png; do
  mv -f "$f" "$out/icons/"
done
mv -f "$tmp/sw.js" "$out/sw.js"
mv -f "$tmp/index.html" "$out/index.html"
echo "built $out/app.js ($size bytes), $out/styles.css, $out/index.html, $out/sw.js, $out/manifest.webmanifest, $out/icons/ (build $hash)"
