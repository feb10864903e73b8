"""The audit key ring: ids, rotation order, and how settings read it from the environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from xuncha.workflow import auditkeys

SECRET = "an audit key of at least thirty-two characters"
OLD = "an older audit key that is also long enough"


def test_the_last_key_signs_and_ids_are_fingerprints() -> None:
    ring = auditkeys.ring([OLD, SECRET])
    assert list(ring) == [auditkeys.key_id(OLD), auditkeys.key_id(SECRET)]
    assert auditkeys.key_id(SECRET) == auditkeys.key_id(SECRET) != auditkeys.key_id(OLD)
    assert SECRET not in auditkeys.key_id(SECRET)
    key = ring[auditkeys.key_id(SECRET)]
    assert auditkeys.verify(key, b"x", key.sign(b"x"))
    assert not auditkeys.verify(ring[auditkeys.key_id(OLD)], b"x", key.sign(b"x"))


def test_short_or_missing_keys_are_refused() -> None:
    with pytest.raises(auditkeys.KeyRingError, match="过短"):
        auditkeys.ring(["password"])
    with pytest.raises(auditkeys.KeyRingError, match="没有配置"):
        auditkeys.ring([])


def test_the_ring_file_ignores_comments_and_blank_lines(tmp_path: Path) -> None:
    ring_file = tmp_path / "keys"
    ring_file.write_text(f"# comment\n\n{OLD}\n{SECRET}\n", encoding="utf-8")
    assert auditkeys.read_file(ring_file) == [OLD, SECRET]


def settings_keys(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("XUNCHA_")}
    environment.update(XUNCHA_DATA_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, "-c", "from xuncha import settings; print(settings.AUDIT_KEYS)"],
        capture_output=True, text=True, timeout=60, check=False, env=environment,
    )


def test_settings_take_the_key_from_the_environment(tmp_path: Path) -> None:
    result = settings_keys(tmp_path, XUNCHA_AUDIT_KEY=SECRET, XUNCHA_AUDIT_OLD_KEYS=OLD)
    assert result.stdout.strip() == repr([OLD, SECRET])
    assert not (tmp_path / "audit_keys").exists()


def test_settings_generate_a_ring_file_once_otherwise(tmp_path: Path) -> None:
    first = settings_keys(tmp_path)
    assert (tmp_path / "audit_keys").stat().st_mode & 0o077 == 0
    assert settings_keys(tmp_path).stdout == first.stdout


def test_settings_refuse_a_short_key(tmp_path: Path) -> None:
    result = settings_keys(tmp_path, XUNCHA_AUDIT_KEY="short")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "审计密钥过短" in result.stderr
