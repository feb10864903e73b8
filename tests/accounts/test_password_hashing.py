from __future__ import annotations

import importlib

from django.contrib.auth.hashers import Argon2PasswordHasher


def test_production_settings_hash_passwords_with_argon2() -> None:
    settings = importlib.import_module("xuncha.settings")
    assert settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_the_argon2_hasher_is_installed_and_works() -> None:
    hasher = Argon2PasswordHasher()
    encoded = hasher.encode("secret-pw-1", hasher.salt())
    assert encoded.startswith("argon2$")
    assert hasher.verify("secret-pw-1", encoded)
    assert not hasher.verify("wrong", encoded)
