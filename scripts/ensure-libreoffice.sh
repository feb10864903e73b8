#!/usr/bin/env bash
# Two tests open our files in LibreOffice (soffice --headless): the .docx notice converted to
# PDF, and the .xlsx ledger read by Calc, to show they open in an office suite. Install Debian's
# Writer and Calc without a GUI when we can; where we cannot, those tests are skipped locally
# and fail under CI=true.
set -euo pipefail
has_suite() {
  command -v soffice >/dev/null 2>&1 || return 1
  local program
  program=$(dirname "$(readlink -f "$(command -v soffice)")")
  [ -e "$program/../share/registry/writer.xcd" ] && [ -e "$program/../share/registry/calc.xcd" ]
}
if has_suite; then exit 0; fi
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo "$@"; else return 1; fi
}
packages=(libreoffice-writer-nogui libreoffice-calc-nogui)
if command -v apt-get >/dev/null 2>&1; then
  echo "== installing LibreOffice Writer and Calc (no GUI) for the document tests =="
  if as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${packages[@]}" \
     || { as_root apt-get update -q && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${packages[@]}"; }; then
    exit 0
  fi
fi
echo "LibreOffice Writer/Calc could not be installed: the LibreOffice tests will be skipped" >&2
if [ "${CI:-}" = "true" ]; then exit 1; fi
