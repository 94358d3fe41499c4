#!/bin/sh
# Builds one web app into web/<app>/dist/, which nginx serves at /<app>/:
#     web/shared/build.sh tasker|requester      (what web/<app>/build.sh runs)
# Needs Debian's esbuild and React (apt-get install -y esbuild node-react node-react-dom,
# and node-chart.js for the requester); no npm install.
#
# Every app: src/main.jsx bundled and minified with production React; src/styles.css
# with what it @imports (web/shared/base.css) inlined; src/index.html. The build's hash,
# of every file built, is stamped where the sources say __BUILD__ (cache-busting in
# index.html). Files are built aside and moved into dist/ one by one (atomic renames),
# index.html last, so a running nginx never serves a half-written or missing file; files
# of earlier builds go after that.
#
# tasker: one IIFE, dist/app.js, at most 250 KB; the service worker (sw.js, whose cache
#   is named after the build's hash), the web app manifest and the icons.
# requester: an ES module, dist/main.js, with Chart.js split into its own chunk that the
#   dashboard loads when it draws its chart.
set -eu
app=${1:-}
case $app in
  tasker)
    packages="react react-dom"
    js="--format=iife --target=es2019 --entry-names=app --legal-comments=none"
    extra="sw.js manifest.webmanifest icons"
    budget=256000 ;;
  requester)
    packages="react react-dom chart.js"
    js="--format=esm --splitting --target=es2020 --entry-names=[name] --chunk-names=[name]-[hash] --legal-comments=eof"
    extra=""
    budget="" ;;
  *)
    echo "usage: $0 tasker|requester" >&2
    exit 2 ;;
esac

here=$(cd "$(dirname "$0")/../$app" && pwd)
ESBUILD=${ESBUILD:-esbuild}
command -v "$ESBUILD" >/dev/null 2>&1 || { echo "build.sh: esbuild not found (apt-get install -y esbuild)" >&2; exit 1; }
for p in $packages; do
  [ -d "/usr/share/nodejs/$p" ] || { echo "build.sh: /usr/share/nodejs/$p missing (apt-get install -y node-$p)" >&2; exit 1; }
done

cd "$here"
out=dist
tmp=$(mktemp -d "$here/.dist-tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# $js is split into its options on purpose.
# shellcheck disable=SC2086
NODE_PATH=/usr/share/nodejs "$ESBUILD" src/main.jsx $js \
  --bundle --minify --jsx=automatic \
  --define:process.env.NODE_ENV=\"production\" \
  --log-level=warning --outdir="$tmp"
"$ESBUILD" src/styles.css --bundle --log-level=warning --outfile="$tmp/styles.css"
cp src/index.html "$tmp/"
for f in $extra; do cp -R "src/$f" "$tmp/"; done

# Everything built, in a fixed order, makes the hash.
files=$(cd "$tmp" && find . -type f | sed 's|^\./||' | LC_ALL=C sort)
hash=$(cd "$tmp" && for f in $files; do cat "$f"; done | sha256sum | cut -c1-12)
for f in index.html sw.js; do
  if [ -f "$tmp/$f" ]; then sed -i "s/__BUILD__/$hash/g" "$tmp/$f"; fi
done

if [ -n "$budget" ]; then
  size=$(wc -c < "$tmp/app.js")
  if [ "$size" -gt "$budget" ]; then
    echo "error: dist/app.js would be $size bytes, over the 250 KB budget" >&2
    exit 1
  fi
fi

# Assets first, then the service worker that caches them, index.html last, so the new
# index never points at missing assets; then what no longer belongs to the build.
find "$tmp" -type d -exec chmod 755 {} +
find "$tmp" -type f -exec chmod 644 {} +
mkdir -p "$out"
for f in $files; do
  case $f in index.html|sw.js) continue ;; esac
  mkdir -p "$out/$(dirname "$f")"
  mv -f "$tmp/$f" "$out/$f"
done
if [ -f "$tmp/sw.js" ]; then mv -f "$tmp/sw.js" "$out/sw.js"; fi
mv -f "$tmp/index.html" "$out/index.html"
for f in $(cd "$out" && find . -type f | sed 's|^\./||'); do
  printf '%s\n' "$files" | grep -qxF "$f" || rm -f "$out/$f"
done
find "$out" -mindepth 1 -type d -empty -delete

echo "built web/$app/dist (build $hash):"
(cd "$out" && for f in $files; do printf '  %8d  %s\n' "$(wc -c < "$f")" "$f"; done)
