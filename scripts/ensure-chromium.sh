#!/usr/bin/env bash
# The browser tests drive Debian's Chromium through Playwright. Install it when we can; where we
# cannot, the browser tests are skipped locally and fail under CI=true.
set -euo pipefail
if [ -n "${XUNCHA_CHROMIUM:-}" ] && [ -x "$XUNCHA_CHROMIUM" ]; then exit 0; fi
# A Chinese font too, or screenshots show empty boxes instead of text (and the fonts the PDF
# notices embed; scripts/ensure-fonts.sh installs those alone).
has_cjk_font() { command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh 2>/dev/null)" ]; }
if command -v chromium >/dev/null 2>&1 && has_cjk_font; then exit 0; fi

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif sudo -n true 2>/dev/null; then sudo "$@"; else return 1; fi
}
if command -v apt-get >/dev/null 2>&1; then
  echo "== installing Debian's chromium for the browser tests =="
  if as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-wqy-microhei fonts-arphic-gbsn00lp fonts-arphic-gkai00mp \
     || { as_root apt-get update -q && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-wqy-microhei fonts-arphic-gbsn00lp fonts-arphic-gkai00mp; }; then
    exit 0
  fi
fi
echo "chromium is not installed and could not be installed: browser tests will be skipped" >&2
if [ "${CI:-}" = "true" ]; then exit 1; fi
