#!/usr/bin/env bash
# Twice: re-execute every notebook (make execute) and build the book from clean
# (make book). List every file that differs between the two runs: the executed
# notebooks, HTML, figures, data downloads. Exit 0 when none differ.
set -euo pipefail
cd "$(dirname "$0")/.."
out=_build/reproducibility
rm -rf "$out" && mkdir -p "$out"
for run in first second; do
  { make --no-print-directory execute && make --no-print-directory book; } > "$out/$run.log" 2>&1 \
    || { tail -30 "$out/$run.log"; exit 1; }
  cp -r _build/html "$out/$run"
  mkdir -p "$out/$run/_notebooks" && cp chapters/*.ipynb appendices/*.ipynb "$out/$run/_notebooks/"
done
differing=$(diff -rq "$out/first" "$out/second" | sed -e "s#$out/first/##" -e "s#$out/second/##" || true)
count=$(printf '%s' "$differing" | grep -c . || true)
echo "files compared: $(find "$out/first" -type f | wc -l)"
echo "files differing: $count"
[ -n "$differing" ] && printf '%s\n' "$differing"
[ "$count" -eq 0 ]
