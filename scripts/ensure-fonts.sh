#!/usr/bin/env bash
# The PDF notices embed free Chinese fonts (see xuncha/notices/writers/pdf.py): AR PL SungtiL GB
# for the body and title, AR PL KaitiM GB for （一） headings, WenQuanYi Micro Hei for 一、
# headings. Install them when we can (root, or sudo without a password). This never fails:
# without them `xuncha publish --format pdf` and the PDF download say which fonts are missing.
set -uo pipefail
PACKAGES=(fonts-arphic-gbsn00lp fonts-arphic-gkai00mp fonts-wqy-microhei)
FILES=(gbsn00lp.ttf gkai00mp.ttf wqy-microhei.ttc)

missing=()
for i in "${!PACKAGES[@]}"; do
  if [ -z "$(find /usr/share/fonts /usr/local/share/fonts -name "${FILES[$i]}" -print -quit 2>/dev/null)" ]; then
    missing+=("${PACKAGES[$i]}")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo "$@"; else return 1; fi
}
if command -v apt-get >/dev/null 2>&1; then
  echo "== installing Chinese fonts for PDF notices: ${missing[*]} =="
  if as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" \
     || { as_root apt-get update -q && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"; }; then
    exit 0
  fi
fi
echo "提示：未能安装 PDF 通报所需的中文字体（${missing[*]}）。PDF 导出将使用已有字体或提示缺少字体；" >&2
echo "      可由管理员执行：apt-get install ${missing[*]}" >&2
exit 0
