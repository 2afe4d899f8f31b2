#!/usr/bin/env bash
# Copy the pinned JavaScript the book needs out of node_modules (installed from
# package-lock.json) into the folders the build and the tests read. Run by
# `make vendor`; its output is committed, so building the book needs no npm.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund --ignore-scripts
manager=node_modules/@jupyter-widgets/html-manager
version=$(node -p "require('./$manager/package.json').version")
out=vendor/_static/html-manager
mkdir -p "$out" && find "$out" -type f ! -name README.md -delete  # README.md is ours
# embed.js renders the widget state embedded in a page, without require.js;
# its CSS loads the icon fonts from beside the script.
cp "$manager/dist/embed.js" "$manager/dist/embed.js.LICENSE.txt" "$out/"
find "$manager/dist" -maxdepth 1 -regextype posix-extended \
  -regex '.*/[0-9a-f]{20}\.(woff2|woff|ttf|eot|svg)' -exec cp {} "$out/" \;
echo "@jupyter-widgets/html-manager $version (BSD-3-Clause, Project Jupyter); bundled licences in embed.js.LICENSE.txt" > "$out/VERSION"
axe_version=$(node -p "require('./node_modules/axe-core/package.json').version")
mkdir -p tests/vendor/axe-core
cp node_modules/axe-core/axe.min.js node_modules/axe-core/LICENSE tests/vendor/axe-core/
echo "axe-core $axe_version (MPL-2.0, Deque Systems)" > tests/vendor/axe-core/VERSION
echo "vendored html-manager $version and axe-core $axe_version"
