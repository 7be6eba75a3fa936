#!/usr/bin/env bash
# Vendor front-end assets into static/ from pinned npm packages.
#
#   bash scripts/vendor_frontend.sh        (run from anywhere; paths are repo-relative)
#
# Produces (all generated - do not edit by hand, re-run this script instead):
#   static/govuk/govuk-frontend.min.css   GOV.UK Frontend compiled from Sass with our
#                                         settings (scripts/govuk-frontend.scss):
#                                         Arial/Helvetica, no GDS Transport, no @font-face
#   static/govuk/govuk-frontend.min.js    GOV.UK Frontend precompiled ES module bundle
#                                         (load with <script type="module">)
#   static/govuk/assets/...               every image the CSS references, so that collectstatic's
#                                         manifest resolves each url() (the pages show none of the
#                                         GOV.UK brand: no crown, crest or logotype in the markup)
#   static/govuk/VERSION.txt, LICENSE-govuk-frontend.txt
#   static/vendor/axe.min.js              axe-core (accessibility testing)
#   static/vendor/moj-sortable-table.js   MOJ Frontend's sortable table, alone (an ES module
#                                         bundled with the few GOV.UK Frontend helpers it needs)
#   static/vendor/VERSIONS.txt, LICENSE-axe-core.txt, LICENSE-axe-core-3rd-party.txt,
#                 LICENSE-moj-frontend.txt
#
# Idempotent: static/govuk/ is wholly generated and is replaced on each run;
# in static/vendor/ only the files listed above are (over)written.
# Needs node + npm and access to the npm registry; nothing is installed globally.

set -euo pipefail

# ---- Pinned versions (exact) -------------------------------------------------
GOVUK_FRONTEND_VERSION="5.14.0"
AXE_CORE_VERSION="4.14.1"   # newest 4.x on npm when pinned (npm view axe-core versions)
SASS_VERSION="1.108.2"
# The newest MOJ Frontend for GOV.UK Frontend 5 (9.x and later need GOV.UK Frontend 6).
MOJ_FRONTEND_VERSION="8.0.1"

# Must match $govuk-assets-path in scripts/govuk-frontend.scss.
ASSETS_URL_PREFIX="/static/govuk/assets/"

# ---- Paths ---------------------------------------------------------------------
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ENTRY_SCSS="$REPO_ROOT/scripts/govuk-frontend.scss"
GOVUK_OUT="$REPO_ROOT/static/govuk"
VENDOR_OUT="$REPO_ROOT/static/vendor"

die() { echo "vendor_frontend.sh: ERROR: $*" >&2; exit 1; }

# The MIT licence, for packages whose npm release leaves its text out: the title and copyright
# lines as the project's own LICENSE file writes them.
mit_licence() {
  printf '%s\n\n%s\n\n' "$1" "$2"
  cat <<'LICENSE_EOF'
Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies
of the Software, and to permit persons to whom the Software is furnished to do
so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
LICENSE_EOF
}

command -v node >/dev/null || die "node not found"
command -v npm >/dev/null || die "npm not found"
[[ -f "$ENTRY_SCSS" ]] || die "missing $ENTRY_SCSS"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/vendor-frontend.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# ---- 1. Install pinned packages in a throwaway directory -----------------------
echo "Installing govuk-frontend@$GOVUK_FRONTEND_VERSION axe-core@$AXE_CORE_VERSION sass@$SASS_VERSION @ministryofjustice/frontend@$MOJ_FRONTEND_VERSION (npm) ..."
printf '{ "name": "vendor-frontend-tmp", "private": true }\n' >"$WORK/package.json"
# --loglevel=error: quiet, but still shows real errors (and hides the harmless
# 'Unknown user config "nodedir"' warning from this machine's npmrc).
(cd "$WORK" && npm install --loglevel=error --no-audit --no-fund --no-package-lock \
    --save-exact --ignore-scripts \
    "govuk-frontend@$GOVUK_FRONTEND_VERSION" \
    "axe-core@$AXE_CORE_VERSION" \
    "sass@$SASS_VERSION" \
    "@ministryofjustice/frontend@$MOJ_FRONTEND_VERSION" >/dev/null)

NM="$WORK/node_modules"
GF="$NM/govuk-frontend"
AXE="$NM/axe-core"
MOJ="$NM/@ministryofjustice/frontend"

installed_version() { node -p "require(process.argv[1]).version" "$NM/$1/package.json"; }
for spec in "govuk-frontend:$GOVUK_FRONTEND_VERSION" "axe-core:$AXE_CORE_VERSION" "sass:$SASS_VERSION" \
    "@ministryofjustice/frontend:$MOJ_FRONTEND_VERSION"; do
  pkg="${spec%%:*}"; want="${spec#*:}"
  got="$(installed_version "$pkg")"
  [[ "$got" == "$want" ]] || die "$pkg: installed $got, expected $want"
done

# Guard against settings being renamed/removed in a future govuk-frontend bump:
# an unknown variable would silently do nothing.
for setting in govuk-font-family govuk-include-default-font-face govuk-assets-path; do
  grep -rqE "^\\\$$setting:" "$GF/dist/govuk/settings/" \
    || die "setting \$$setting not found in govuk-frontend $GOVUK_FRONTEND_VERSION settings"
done

STAGE="$WORK/out"
mkdir -p "$STAGE/govuk" "$STAGE/vendor"

# ---- 2. Compile GOV.UK Frontend Sass with our settings -------------------------
echo "Compiling GOV.UK Frontend Sass (scripts/govuk-frontend.scss) ..."
# --quiet-deps: silence deprecation warnings coming from govuk-frontend's own Sass;
# --silence-deprecation=import: our entry must use @import (govuk-frontend 5.x).
"$NM/.bin/sass" --no-source-map --style=compressed --quiet-deps \
  --silence-deprecation=import \
  --load-path="$NM" \
  "$ENTRY_SCSS" "$STAGE/govuk/govuk-frontend.min.css"

CSS="$STAGE/govuk/govuk-frontend.min.css"
[[ -s "$CSS" ]] || die "compiled CSS is empty"
if grep -q "GDS Transport" "$CSS"; then die "compiled CSS still mentions \"GDS Transport\""; fi
if grep -qi "@font-face" "$CSS"; then die "compiled CSS still contains @font-face"; fi
if grep -q "/fonts/" "$CSS"; then die "compiled CSS still references font files"; fi
grep -q "font-family:arial,helvetica,sans-serif" "$CSS" || die "compiled CSS does not use our font stack"

# ---- 3. GOV.UK Frontend JS + every image referenced by the CSS -----------------
# WhiteNoise's manifest storage refuses to collect a stylesheet whose url() points at a
# missing file, and production then answers 500 on every page: so each one is copied.
cp "$GF/dist/govuk/govuk-frontend.min.js" "$STAGE/govuk/govuk-frontend.min.js"
# (no .map, no fonts)

COPIED_ASSETS=()
OTHER_URLS=()
while IFS= read -r url; do
  [[ -n "$url" ]] || continue
  # strip url( ... ) and quotes
  ref="${url#url(}"; ref="${ref%)}"; ref="${ref#[\"\']}"; ref="${ref%[\"\']}"
  if [[ "$ref" != "$ASSETS_URL_PREFIX"* ]]; then
    OTHER_URLS+=("$ref"); continue
  fi
  rel="${ref#"$ASSETS_URL_PREFIX"}"; rel="${rel%%[?#]*}"
  src="$GF/dist/govuk/assets/$rel"
  [[ -f "$src" ]] || die "CSS references $ref but $src does not exist"
  mkdir -p "$STAGE/govuk/assets/$(dirname "$rel")"
  cp "$src" "$STAGE/govuk/assets/$rel"
  COPIED_ASSETS+=("$rel")
done < <(grep -oE 'url\([^)]*\)' "$CSS" | sort -u)

# ---- 4. axe-core -----------------------------------------------------------------
cp "$AXE/axe.min.js" "$STAGE/vendor/axe.min.js"

# ---- 4b. MOJ Frontend's sortable table -------------------------------------------------
# Only this component (static/js/sortable-tables.js starts it). Named .js so that every server
# sends it as JavaScript; without its source-map comment, as the map is not vendored.
MOJ_TABLE="$MOJ/moj/components/sortable-table/sortable-table.bundle.mjs"
[[ -f "$MOJ_TABLE" ]] || die "missing $MOJ_TABLE"
grep -q "export { SortableTable }" "$MOJ_TABLE" || die "$MOJ_TABLE no longer exports SortableTable"
grep -v '^//# sourceMappingURL=' "$MOJ_TABLE" >"$STAGE/vendor/moj-sortable-table.js"

# ---- 5. Version notes and licences -------------------------------------------------
{
  echo "GOV.UK Frontend $GOVUK_FRONTEND_VERSION (npm: govuk-frontend@$GOVUK_FRONTEND_VERSION, MIT licence)"
  echo "Compiled with Dart Sass $SASS_VERSION (npm: sass@$SASS_VERSION)"
  echo
  echo "GENERATED by scripts/vendor_frontend.sh - do not edit; change the pins there and re-run."
  echo
  echo "govuk-frontend.min.css  compiled from scripts/govuk-frontend.scss with:"
  grep -E '^\$govuk-[a-z-]+:' "$ENTRY_SCSS" | sed 's/^/                          /'
  echo "                        (no \"GDS Transport\", no @font-face, no font files vendored)"
  echo "govuk-frontend.min.js   dist/govuk/govuk-frontend.min.js, an ES module:"
  echo "                        load with <script type=\"module\">"
  if ((${#COPIED_ASSETS[@]})); then
    echo "assets/                 images referenced by the CSS (none is shown by the pages): ${COPIED_ASSETS[*]}"
  fi
  echo "LICENSE-govuk-frontend.txt  MIT licence of govuk-frontend"
} >"$STAGE/govuk/VERSION.txt"

# The govuk-frontend npm package does not ship its LICENSE file (package.json says
# "MIT"), so the text of LICENSE.txt from github.com/alphagov/govuk-frontend is embedded.
gf_license="$(node -p "require(process.argv[1]).license" "$GF/package.json")"
[[ "$gf_license" == "MIT" ]] || die "govuk-frontend licence is now '$gf_license', review LICENSE handling"
if [[ -f "$GF/LICENSE.txt" ]]; then
  cp "$GF/LICENSE.txt" "$STAGE/govuk/LICENSE-govuk-frontend.txt"
elif [[ -f "$GF/LICENSE" ]]; then
  cp "$GF/LICENSE" "$STAGE/govuk/LICENSE-govuk-frontend.txt"
else
  mit_licence "The MIT License (MIT)" \
    "Copyright (C) 2017 Crown Copyright (Government Digital Service)" \
    >"$STAGE/govuk/LICENSE-govuk-frontend.txt"
fi

axe_license="$(node -p "require(process.argv[1]).license" "$AXE/package.json")"
[[ "$axe_license" == "MPL-2.0" ]] || die "axe-core licence is now '$axe_license', review LICENSE handling"
cp "$AXE/LICENSE" "$STAGE/vendor/LICENSE-axe-core.txt"
if [[ -f "$AXE/LICENSE-3RD-PARTY.txt" ]]; then
  cp "$AXE/LICENSE-3RD-PARTY.txt" "$STAGE/vendor/LICENSE-axe-core-3rd-party.txt"
fi

# The npm package does not ship its LICENSE file (package.json says "MIT"), so the text of
# LICENSE from github.com/ministryofjustice/moj-frontend is embedded.
moj_license="$(node -p "require(process.argv[1]).license" "$MOJ/package.json")"
[[ "$moj_license" == "MIT" ]] || die "MOJ Frontend licence is now '$moj_license', review LICENSE handling"
mit_licence "MIT License" "Copyright (c) 2021 dxw" >"$STAGE/vendor/LICENSE-moj-frontend.txt"

{
  echo "axe.min.js  axe-core $AXE_CORE_VERSION (npm: axe-core@$AXE_CORE_VERSION, MPL-2.0 licence)"
  echo "            LICENSE-axe-core.txt; bundled third-party notices: LICENSE-axe-core-3rd-party.txt"
  echo "moj-sortable-table.js  MOJ Frontend $MOJ_FRONTEND_VERSION's sortable table"
  echo "            (npm: @ministryofjustice/frontend@$MOJ_FRONTEND_VERSION,"
  echo "            moj/components/sortable-table/sortable-table.bundle.mjs, MIT licence):"
  echo "            LICENSE-moj-frontend.txt"
  echo
  echo "GENERATED by scripts/vendor_frontend.sh - do not edit; change the pins there and re-run."
  echo "(GOV.UK Frontend is vendored separately in static/govuk/, see static/govuk/VERSION.txt.)"
} >"$STAGE/vendor/VERSIONS.txt"

# ---- Install into static/ ------------------------------------------------------------
rm -rf "$GOVUK_OUT"
mkdir -p "$(dirname "$GOVUK_OUT")"
cp -R "$STAGE/govuk" "$GOVUK_OUT"
mkdir -p "$VENDOR_OUT"
for f in axe.min.js moj-sortable-table.js VERSIONS.txt LICENSE-axe-core.txt \
    LICENSE-axe-core-3rd-party.txt LICENSE-moj-frontend.txt; do
  if [[ -f "$STAGE/vendor/$f" ]]; then
    cp "$STAGE/vendor/$f" "$VENDOR_OUT/$f"
  else
    rm -f "$VENDOR_OUT/$f"
  fi
done

# ---- 6. Report ------------------------------------------------------------------------
echo
echo "Wrote:"
(cd "$REPO_ROOT" && find static/govuk -type f | sort && \
  for f in axe.min.js moj-sortable-table.js VERSIONS.txt LICENSE-axe-core.txt \
    LICENSE-axe-core-3rd-party.txt LICENSE-moj-frontend.txt; do
    if [[ -f "static/vendor/$f" ]]; then echo "static/vendor/$f"; fi
  done) | while IFS= read -r f; do
  bytes="$(wc -c <"$REPO_ROOT/$f" | tr -d ' ')"
  printf '  %-45s %9s bytes  (%s KB)\n' "$f" "$bytes" "$(( (bytes + 512) / 1024 ))"
done
echo
echo "Checks: no \"GDS Transport\", no @font-face in govuk-frontend.min.css"
if ((${#COPIED_ASSETS[@]})); then
  echo "Copied assets referenced by the CSS: ${COPIED_ASSETS[*]}"
else
  echo "No asset images referenced by the CSS; static/govuk/assets/ not created."
fi
if ((${#OTHER_URLS[@]})); then
  echo "NOTE: CSS contains other url() references: ${OTHER_URLS[*]}"
fi
