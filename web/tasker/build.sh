#!/bin/sh
# Build the Tasker web app into web/tasker/dist/ (served by nginx at /tasker/).
# Needs Debian's esbuild and node-react / node-react-dom (React 18 in /usr/share/nodejs).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
entry=src/main.jsx
out=dist
rm -rf "$out"
mkdir -p "$out"
NODE_PATH=/usr/share/nodejs esbuild "$entry" \
  --bundle --minify --format=iife --jsx=automatic \
  --target=es2019 \
  --define:process.env.NODE_ENV=\"production\" \
  --legal-comments=none \
  --log-level=warning \
  --outfile="$out/app.js"
cp src/index.html "$out/index.html"
cp src/styles.css "$out/styles.css"
# Cache-busting: stamp the bundle's content hash into index.html.
hash=$(cat "$out/app.js" "$out/styles.css" | sha256sum | cut -c1-12)
sed -i "s/__BUILD__/$hash/g" "$out/index.html"
size=$(wc -c < "$out/app.js")
echo "built $out/app.js ($size bytes), $out/styles.css, $out/index.html"
if [ "$size" -gt 256000 ]; then
  echo "error: bundle is over the 250 KB budget" >&2
  exit 1
fi
