#!/usr/bin/env bash
# Refresh the pinned third-party ES modules under app/pwa/vendor/ (no build step at run time).
#
# Packages come through `npm pack` (the npm client and its configured registry), never through
# direct downloads. The result is committed: `make run` never needs npm.
# Idempotent: each package directory is rebuilt from its tarball on every run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR="$ROOT/app/pwa/vendor"

HTM_VERSION="3.1.1"
IDB_VERSION="8.0.4"
# htm's standalone build bundles Preact 10 (MIT); its licence file is taken from this pinned tarball.
PREACT_LICENSE_VERSION="10.5.15"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# fetch NAME VERSION -> unpacks into $WORK/NAME-VERSION and prints that path
fetch() {
  local name="$1" version="$2" dest="$WORK/$1-$2"
  mkdir -p "$dest"
  (cd "$WORK" && npm pack --silent "$name@$version" >/dev/null)
  tar -xzf "$WORK/$name-$version.tgz" -C "$dest" --strip-components=1
  echo "$dest"
}

# copy_module SRC_DIR REL_PATH DEST_DIR: copy an ES module and, recursively, its relative imports
copy_module() {
  local src="$1" rel="$2" dest="$3"
  [[ -f "$dest/$rel" ]] && return 0
  if [[ ! -f "$src/$rel" ]]; then
    echo "vendor.sh: $rel missing from the tarball" >&2
    exit 1
  fi
  mkdir -p "$(dirname "$dest/$rel")"
  cp "$src/$rel" "$dest/$rel"
  local dir dep
  dir="$(dirname "$rel")"
  # `from './x.js'` and bare `import './x.js'`; only relative specifiers are followed.
  for dep in $(grep -oE "(from|import)[[:space:]]*['\"]\.{1,2}/[^'\"]+['\"]" "$src/$rel" \
      | sed -E "s/^(from|import)[[:space:]]*['\"]//; s/['\"]$//" | sort -u); do
    copy_module "$src" "$(realpath -m --relative-to="$src" "$src/$dir/$dep")" "$dest"
  done
}

reset_dir() {
  rm -rf "$1"
  mkdir -p "$1"
}

command -v npm >/dev/null || { echo "vendor.sh: npm is required" >&2; exit 1; }
mkdir -p "$VENDOR"

# htm + Preact in one ES module
src="$(fetch htm "$HTM_VERSION")"
dest="$VENDOR/htm-$HTM_VERSION"
reset_dir "$dest"
copy_module "$src" preact/standalone.module.js "$dest"
cp "$src/LICENSE" "$dest/LICENSE"
preact_src="$(fetch preact "$PREACT_LICENSE_VERSION")"
cp "$preact_src/LICENSE" "$dest/LICENSE.preact"

# idb (IndexedDB with promises)
src="$(fetch idb "$IDB_VERSION")"
dest="$VENDOR/idb-$IDB_VERSION"
reset_dir "$dest"
copy_module "$src" build/index.js "$dest"
cp "$src/LICENSE" "$dest/LICENSE"

cat >"$VENDOR/README.md" <<EOF
# Vendored front-end libraries

Pinned third-party ES modules, served as they are (no build step). Refresh with
\`scripts/vendor.sh\` (or \`make vendor\`), which fetches them with \`npm pack\`; never edit
these files by hand.

| Package | Version | File used by the app | Licence |
|---------|---------|----------------------|---------|
| htm (with Preact 10 bundled) | $HTM_VERSION | \`htm-$HTM_VERSION/preact/standalone.module.js\` | Apache-2.0 (\`LICENSE\`); Preact: MIT (\`LICENSE.preact\`) |
| idb | $IDB_VERSION | \`idb-$IDB_VERSION/build/index.js\` | ISC (\`LICENSE\`) |

Preact + htm are imported only through \`app/pwa/js/lib.js\` and idb only through
\`app/pwa/js/store/db.js\` (the one module that owns IndexedDB, written with the offline work),
so a version bump touches one line.
EOF

echo "vendored into $VENDOR:"
(cd "$VENDOR" && find . -type f | sort)
