"""`xuncha serve --workers N`: N forked processes on one socket; the parent returns once they
have all stopped on their own (and does not fork without end)."""

from __future__ import annotations

import os
from typing import Any

import pytest


def test_forked_workers_share_one_socket_and_stop_cleanly(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    import waitress
    from django.core.management import call_command

    marks = tmp_path / "workers"
    marks.mkdir()

    def fake_serve(app: Any, **options: Any) -> None:
        # Runs in each child: record which socket it was given, then stop serving.
        [sock] = options["sockets"]
        (marks / str(os.getpid())).write_text(str(sock.getsockname()[1]))

    monkeypatch.setattr(waitress, "serve", fake_serve)
    call_command("serve", "--port", "0", "--workers", "3")
    ports = {path.read_text() for path in marks.iterdir()}
    assert len(list(marks.iterdir())) == 3
    assert len(ports) == 1  # one listening socket, shared


def test_workers_must_be_positive() -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("serve", "--workers", "0")
