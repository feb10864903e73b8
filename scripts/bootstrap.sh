#!/usr/bin/env bash
# Create the project's virtual environment with Python 3.11 or newer.
# On a fresh Debian the venv module may be missing (package python3-venv): install it when we
# can (root, or password-less sudo), otherwise say exactly what to run.
set -euo pipefail
venv=${1:-.venv}
python=${PYTHON:-python3}

if ! command -v "$python" >/dev/null 2>&1; then
  echo "找不到 $python：需要 Python 3.11 或更新版本" >&2
  exit 1
fi
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "$("$python" --version 2>&1) 太旧：需要 Python 3.11 或更新版本（可设 PYTHON=python3.11）" >&2
  exit 1
fi
if [ -x "$venv/bin/python" ]; then
  exit 0
fi

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif sudo -n true 2>/dev/null; then sudo "$@"; else return 1; fi
}

if ! "$python" -m venv "$venv" 2>/dev/null; then
  rm -rf "$venv"
  version=$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
  echo "Python 的 venv 模块不可用，正在安装 python${version}-venv …"
  if command -v apt-get >/dev/null 2>&1 && as_root env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -q "python${version}-venv" python3-venv; then
    "$python" -m venv "$venv"
  else
    echo "无法自动安装。请以 root 运行: apt-get install python3-venv" >&2
    exit 1
  fi
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip setuptools
