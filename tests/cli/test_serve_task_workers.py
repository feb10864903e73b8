"""`xuncha serve` starts the background task workers (`xuncha db_worker`) beside the web server
and stops them when it stops, so `make run` is all a new user runs."""

from __future__ import annotations

import sys
from typing import Any

import pytest


class FakeProcess:
    started: list[FakeProcess] = []

    def __init__(self, command: list[str], **options: Any) -> None:
        self.command = command
        self.terminated = False
        FakeProcess.started.append(self)

    def terminate(self) -> None:
        self.terminated = True

    def wait(self, timeout: float | None = None) -> int:
        assert self.terminated, "waited for a worker that was never asked to stop"
        return 0


@pytest.mark.django_db
def test_serve_starts_task_workers_and_stops_them(monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess

    import waitress
    from django.core.management import call_command

    FakeProcess.started = []
    seen_while_serving: list[int] = []

    def fake_serve(app: Any, **options: Any) -> None:
        seen_while_serving.append(sum(not p.terminated for p in FakeProcess.started))

    monkeypatch.setattr(subprocess, "Popen", FakeProcess)
    monkeypatch.setattr(waitress, "serve", fake_serve)
    call_command("serve", "--port", "0", "--task-workers", "2")

    assert seen_while_serving == [2]  # both running while the site serves
    commands = [p.command for p in FakeProcess.started]
    assert all(c[:4] == [sys.executable, "-m", "xuncha.cli", "db_worker"] for c in commands)
    assert len({c[-1] for c in commands}) == 2  # each worker has its own id
    assert all(p.terminated for p in FakeProcess.started)


def test_no_task_workers_when_told_so(monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess

    import waitress
    from django.core.management import call_command

    FakeProcess.started = []
    monkeypatch.setattr(subprocess, "Popen", FakeProcess)
    monkeypatch.setattr(waitress, "serve", lambda app, **options: None)
    call_command("serve", "--port", "0", "--task-workers", "0")
    assert FakeProcess.started == []
