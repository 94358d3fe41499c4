#!/bin/sh
# Builds the requester app into web/requester/dist/ with Debian's esbuild and Debian's React/Chart.js
# (apt-get install -y esbuild node-react node-react-dom node-chart.js). No npm install is needed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/dist"
ESBUILD=${ESBUILD:-esbuild}
command -v "$ESBUILD" >/dev/null 2>&1 || { echo "build.sh: esbuild not found (apt-get install -y esbuild)" >&2; exit 1; }
for p in react react-dom chart.js; do
  [ -d "/usr/share/nodejs/$p" ] || { echo "build.sh: /usr/share/nodejs/$p missing (apt-get install -y node-react node-react-dom node-chart.js)" >&2; exit 1; }
done

rm -rf "$out.tmp"
mkdir -p "$out.tmp"
NODE_PATH=/usr/share/nodejs "$ESBUILD" "$here/src/main.jsx" \
  --bundle --minify --jsx=automatic --target=es2020 --format=esm --splitting \
  --entry-names=[name] --chunk-names=[name]-[hash] \
  --define:process.env.NODE_ENV=\"production\" \
  --legal-comments=eof --log-level=warning \
  --outdir="$out.tmp"
cp "$here/src/styles.css" "$out.tmp/styles.css"
# Cache-bust: index.html names the bundle and stylesheet with a hash of their content.
js_hash=$(sha256sum "$out.tmp/main.js" | cut -c1-12)
css_hash=$(sha256sum "$out.tmp/styles.css" | cut -c1-12)
sed -e "s|src=\"main.js\"|src=\"main.js?v=$js_hash\"|" -e "s|href=\"styles.css\"|href=\"styles.css?v=$css_hash\"|" \
  "$here/index.html" > "$out.tmp/index.html"
rm -rf "$out"
mv "$out.tmp" "$out"
echo "built $out:"; wc -c "$out"/*.js
