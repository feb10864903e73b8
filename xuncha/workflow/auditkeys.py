"""The keys that authenticate the history, kept outside the database. Pure: no Django.

A key ring is a list of secrets, oldest first; the last one signs new entries and the others
stay so entries signed before a rotation still verify. A key is named by its id, a short
fingerprint of the secret, which every signed entry stores — so nobody has to name keys, and
two different keys cannot share an id by accident.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Secrets shorter than this are refused: the key is all that stands between SQL access and a
#: forged sign-off.
MIN_SECRET_LENGTH = 32


class KeyRingError(ValueError):
    """A key ring that cannot be used as configured; the message says which and why."""


@dataclass(frozen=True)
class Key:
    id: str
    secret: bytes

    def sign(self, message: bytes) -> str:
        return hmac.new(self.secret, message, hashlib.sha256).hexdigest()

    def signer(self) -> Callable[[bytes], str]:
        """``sign`` for many messages: the key's HMAC state is prepared once and copied."""
        prepared = hmac.new(self.secret, digestmod=hashlib.sha256)

        def sign(message: bytes) -> str:
            mac = prepared.copy()
            mac.update(message)
            return mac.hexdigest()

        return sign


def key_id(secret: str) -> str:
    """A key's id: 12 hex digits of a hash of the secret (reveals nothing usable about it)."""
    return "k" + hashlib.sha256(b"xuncha-audit-key-id:" + secret.encode()).hexdigest()[:12]


def ring(secrets_oldest_first: Iterable[str]) -> dict[str, Key]:
    """The key ring as {id: Key}, in order (the last is the current key)."""
    keys: dict[str, Key] = {}
    for secret in secrets_oldest_first:
        if len(secret) < MIN_SECRET_LENGTH:
            raise KeyRingError(f"审计密钥过短（至少 {MIN_SECRET_LENGTH} 个字符）")
        key = Key(key_id(secret), secret.encode())
        keys.pop(key.id, None)  # a key listed twice counts where it was listed last
        keys[key.id] = key
    if not keys:
        raise KeyRingError("没有配置审计密钥")
    return keys


def canonical(payload: dict[str, Any]) -> bytes:
    """The one byte form a payload is signed in."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def verify(key: Key, message: bytes, mac: str) -> bool:
    return hmac.compare_digest(key.sign(message), mac)


def new_secret() -> str:
    return secrets.token_urlsafe(48)


def read_file(path: Path) -> list[str]:
    """The secrets in a key ring file (one a line, oldest first; # starts a comment)."""
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def ensure_file(path: Path) -> list[str]:
    """The file's secrets; a file with one fresh key is created (readable by its owner only)
    when there is none, like the generated SECRET_KEY."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_FILE_HEADER + new_secret() + "\n", encoding="utf-8")
        path.chmod(0o600)
    return read_file(path)


def add_to_file(path: Path) -> str:
    """Append a fresh key to the ring file (it becomes the current key); returns its id."""
    ensure_file(path)
    secret = new_secret()
    with path.open("a", encoding="utf-8") as ring_file:
        ring_file.write(secret + "\n")
    return key_id(secret)


_FILE_HEADER = (
    "# xuncha audit keys: one a line, oldest first; the last signs new history entries.\n"
    "# Never delete a line: entries signed with it would no longer verify.\n"
)
