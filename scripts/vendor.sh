#!/usr/bin/env bash
# Fetch the front-end assets from the npm registry and commit them under static/vendor/.
set -euo pipefail
HTMX_VERSION=2.0.8
KERN_VERSION=2.7.2
LEAFLET_VERSION=1.9.4
GEOMAN_VERSION=2.20.2
dest=src/masterplan/static/vendor
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "htmx.org@$HTMX_VERSION" "@kern-ux/native@$KERN_VERSION" \
  "leaflet@$LEAFLET_VERSION" "@geoman-io/leaflet-geoman-free@$GEOMAN_VERSION" >/dev/null)
mkdir -p "$tmp/htmx" "$tmp/kern" "$tmp/leaflet" "$tmp/geoman"
tar xzf "$tmp"/htmx.org-*.tgz -C "$tmp/htmx"
tar xzf "$tmp"/kern-ux-native-*.tgz -C "$tmp/kern"
tar xzf "$tmp"/leaflet-1*.tgz -C "$tmp/leaflet"
tar xzf "$tmp"/geoman-io-leaflet-geoman-free-*.tgz -C "$tmp/geoman"
rm -rf "$dest/htmx" "$dest/kern" "$dest/leaflet"
mkdir -p "$dest/htmx" "$dest/kern/fonts/fira-sans" "$dest/leaflet/images" "$dest/leaflet/geoman"
cp "$tmp/htmx/package/dist/htmx.min.js" "$tmp/htmx/package/LICENSE" "$dest/htmx/"
cp "$tmp/kern/package/dist/kern.min.css" "$tmp/kern/package/LICENSE.md" "$dest/kern/"
cp "$tmp/kern/package/dist/fonts/fira-sans.css" "$dest/kern/fonts/"
# Only the faces fira-sans.css declares.
grep -o 'FiraSans-[A-Za-z]*\.woff2' "$tmp/kern/package/dist/fonts/fira-sans.css" | sort -u | while read -r face; do
  cp "$tmp/kern/package/dist/fonts/fira-sans/$face" "$dest/kern/fonts/fira-sans/"
done
# Leaflet: the script, its styles and the marker images the styles name; Leaflet-Geoman (drawing
# and editing polygons) as its one bundled script and stylesheet.
cp "$tmp/leaflet/package/dist/leaflet.js" "$tmp/leaflet/package/dist/leaflet.css" \
  "$tmp/leaflet/package/LICENSE" "$dest/leaflet/"
cp "$tmp/leaflet/package/dist/images/"*.png "$dest/leaflet/images/"
cp "$tmp/geoman/package/dist/leaflet-geoman.js" "$tmp/geoman/package/dist/leaflet-geoman.css" \
  "$tmp/geoman/package/LICENSE" "$dest/leaflet/geoman/"
cat > "$dest/VERSIONS.md" <<TXT
# Vendored front-end assets

Refreshed by \`make vendor\` from the npm registry; served by the app, never from a CDN.

| package | version | licence | files |
|---|---|---|---|
| htmx.org | $HTMX_VERSION | 0BSD (htmx/LICENSE) | htmx/htmx.min.js |
| @kern-ux/native | $KERN_VERSION | EUPL-1.2 (kern/LICENSE.md) | kern/kern.min.css, kern/fonts/fira-sans.css + faces |
| leaflet | $LEAFLET_VERSION | BSD-2-Clause (leaflet/LICENSE) | leaflet/leaflet.js, leaflet/leaflet.css, leaflet/images/*.png |
| @geoman-io/leaflet-geoman-free | $GEOMAN_VERSION | MIT (leaflet/geoman/LICENSE) | leaflet/geoman/leaflet-geoman.js, leaflet/geoman/leaflet-geoman.css |
TXT
echo "Vendored htmx $HTMX_VERSION, KERN UX $KERN_VERSION, Leaflet $LEAFLET_VERSION and Leaflet-Geoman $GEOMAN_VERSION into $dest"
