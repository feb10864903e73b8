#!/usr/bin/env bash
# One test converts the .docx notice to PDF with LibreOffice (soffice --headless), to show the
# file opens in an office suite. Install Debian's writer without a GUI when we can; where we
# cannot, that test is skipped locally and fails under CI=true.
set -euo pipefail
if command -v soffice >/dev/null 2>&1; then exit 0; fi
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo "$@"; else return 1; fi
}
if command -v apt-get >/dev/null 2>&1; then
  echo "== installing LibreOffice Writer (no GUI, ~90 MB) for the .docx conversion test =="
  if as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends libreoffice-writer-nogui \
     || { as_root apt-get update -q && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends libreoffice-writer-nogui; }; then
    exit 0
  fi
fi
echo "soffice is not installed and could not be installed: the LibreOffice test will be skipped" >&2
if [ "${CI:-}" = "true" ]; then exit 1; fi
