#!/usr/bin/env bash
# Reproduces src/sitroom/web/static/vendor/ from npm at the versions pinned in
# scripts/web-vendor/package-lock.json. The vendored files are committed, so the page, the
# package and CI need neither npm nor the internet; run this only to upgrade them.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
pins="$root/scripts/web-vendor"
dest="$root/src/sitroom/web/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cp "$pins/package.json" "$pins/package-lock.json" "$work/"
# --ignore-scripts: nothing from the registry runs here; we only copy files out.
(cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
nm="$work/node_modules"

rm -rf "$dest"
mkdir -p "$dest/leaflet/images" "$dest/leaflet.markercluster" "$dest/topojson-client" \
    "$dest/world-atlas"

cp "$nm/leaflet/dist/leaflet.js" "$nm/leaflet/dist/leaflet.css" "$nm/leaflet/LICENSE" \
    "$dest/leaflet/"
cp "$nm/leaflet/dist/images/"*.png "$dest/leaflet/images/"

# MarkerCluster.Default.css is left out: the page draws its own cluster icons.
cp "$nm/leaflet.markercluster/dist/leaflet.markercluster.js" \
    "$nm/leaflet.markercluster/dist/MarkerCluster.css" \
    "$dest/leaflet.markercluster/"
cp "$nm/leaflet.markercluster/MIT-LICENCE.txt" "$dest/leaflet.markercluster/LICENSE"

cp "$nm/topojson-client/dist/topojson-client.min.js" "$nm/topojson-client/LICENSE" \
    "$dest/topojson-client/"

# Natural Earth 1:50m country shapes (public domain), as TopoJSON (~0.7 MB).
cp "$nm/world-atlas/countries-50m.json" "$nm/world-atlas/LICENSE" "$dest/world-atlas/"

# Record what was vendored, so a reader can check a file against its npm release.
{
    echo "Vendored by scripts/vendor_web.sh from npm; do not edit by hand."
    for pkg in leaflet leaflet.markercluster topojson-client world-atlas; do
        node -e 'const p=require(process.argv[1]); console.log(`${p.name} ${p.version} (${p.license})`)' \
            "$nm/$pkg/package.json"
    done
    echo "Natural Earth data (world-atlas) is in the public domain: https://www.naturalearthdata.com/"
} > "$dest/VERSIONS.txt"
# npm tarballs carry odd modes (some files executable); package data needs none of that.
find "$dest" -type f -exec chmod 644 {} +
echo "vendored into $dest"
