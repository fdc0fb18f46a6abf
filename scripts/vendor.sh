#!/usr/bin/env bash
# Fetch the front-end assets from the npm registry and commit them under static/vendor/.
set -euo pipefail
HTMX_VERSION=2.0.8
KERN_VERSION=2.7.2
dest=src/masterplan/static/vendor
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "htmx.org@$HTMX_VERSION" "@kern-ux/native@$KERN_VERSION" >/dev/null)
mkdir -p "$tmp/htmx" "$tmp/kern"
tar xzf "$tmp"/htmx.org-*.tgz -C "$tmp/htmx"
tar xzf "$tmp"/kern-ux-native-*.tgz -C "$tmp/kern"
rm -rf "$dest/htmx" "$dest/kern"
mkdir -p "$dest/htmx" "$dest/kern/fonts/fira-sans"
cp "$tmp/htmx/package/dist/htmx.min.js" "$tmp/htmx/package/LICENSE" "$dest/htmx/"
cp "$tmp/kern/package/dist/kern.min.css" "$tmp/kern/package/LICENSE.md" "$dest/kern/"
cp "$tmp/kern/package/dist/fonts/fira-sans.css" "$dest/kern/fonts/"
# Only the faces fira-sans.css declares.
grep -o 'FiraSans-[A-Za-z]*\.woff2' "$tmp/kern/package/dist/fonts/fira-sans.css" | sort -u | while read -r face; do
  cp "$tmp/kern/package/dist/fonts/fira-sans/$face" "$dest/kern/fonts/fira-sans/"
done
cat > "$dest/VERSIONS.md" <<TXT
# Vendored front-end assets

Refreshed by \`make vendor\` from the npm registry; served by the app, never from a CDN.

| package | version | licence | files |
|---|---|---|---|
| htmx.org | $HTMX_VERSION | 0BSD (htmx/LICENSE) | htmx/htmx.min.js |
| @kern-ux/native | $KERN_VERSION | EUPL-1.2 (kern/LICENSE.md) | kern/kern.min.css, kern/fonts/fira-sans.css + faces |
TXT
echo "Vendored htmx $HTMX_VERSION and KERN UX $KERN_VERSION into $dest"
