#!/usr/bin/env bash
# A Chromium for the browser tests, on any system:
#   1. $BOOK_CHROMIUM, /usr/bin/chromium or /usr/bin/chromium-browser if present: nothing to do;
#   2. on Debian or Ubuntu (apt-get present): the distribution's chromium package;
#   3. elsewhere (macOS, Fedora, …): Playwright's own Chromium (`playwright install chromium`).
# Stops with a message that says what to install when none of these works.
set -euo pipefail
for candidate in "${BOOK_CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then exit 0; fi
done
if command -v apt-get >/dev/null 2>&1; then
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
  /usr/bin/chromium --version
  exit 0
fi
python="${1:-.venv/bin/python}"
if "$python" -m playwright install chromium; then
  echo "browser tests: using Playwright's own Chromium"
  exit 0
fi
echo "make: the browser tests need Chromium. Install it (Debian/Ubuntu: apt-get install chromium;" \
     "macOS: brew install --cask chromium, then BOOK_CHROMIUM=/Applications/Chromium.app/Contents/MacOS/Chromium;" \
     "or run: .venv/bin/python -m playwright install chromium) and run make test again." >&2
exit 1
