from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "启动网页服务 (waitress, 适用于正式使用)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="监听地址 (默认 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="端口 (默认 8000)")
        parser.add_argument("--threads", type=int, default=8, help="每个进程的工作线程数 (默认 8)")
        parser.add_argument(
            "--workers", type=int, default=None,
            help="工作进程数 (默认 XUNCHA_WORKERS，未设置时为 1；设为 CPU 核数可让各核同时服务)",
        )
        parser.add_argument(
            "--task-workers", type=int, default=None,
            help="后台任务进程数 (台账导入导出；默认 XUNCHA_TASK_WORKERS，未设置时为 1；"
            "0 为不启动)",
        )

    def handle(
        self, *args: Any, host: str, port: int, threads: int, workers: int | None,
        task_workers: int | None, **options: Any,
    ) -> None:
        from django.conf import settings

        count = workers if workers is not None else settings.WORKERS
        if count < 1:
            raise CommandError("--workers 须为正整数", returncode=2)
        tasks = task_workers if task_workers is not None else settings.TASK_WORKERS
        if tasks < 0:
            raise CommandError("--task-workers 不能为负数", returncode=2)
        shown = f"[{host}]" if ":" in host else host
        self.stdout.write(
            f"巡察整改管理系统已启动: http://{shown}:{port}/  ({count} 个进程 × {threads} 线程；"
            "Ctrl+C 停止)"
        )
        self.stdout.flush()
        with _task_workers(tasks):
            if count == 1:
                _serve(host, port, threads, None)
            else:
                _serve_forked(host, port, threads, count)


#: How long a task worker may take to finish its task after the site stops.
STOP_SECONDS = 120


@contextlib.contextmanager
def _task_workers(count: int) -> Iterator[None]:
    """`count` django-tasks database workers (`xuncha db_worker`) for as long as the site runs.

    They run ledger imports and exports (xuncha.tasks); each claims a task with a row lock, so
    several of them (and several machines) never run one twice. Stopped with SIGTERM (each
    finishes the task in hand) when the site stops.
    """
    if count:
        _reap_interrupted_jobs()
    previous = signal.getsignal(signal.SIGTERM)
    if count and _in_main_thread():
        # A SIGTERM to `xuncha serve` must reach the `finally` below, not kill it outright.
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    command = [sys.executable, "-m", "xuncha.cli", "db_worker", "--no-reload", "--verbosity", "1"]
    # Our own interpreter and module with fixed arguments: nothing here comes from input. In a
    # session of their own, Ctrl+C in the terminal does not reach them: they get exactly one
    # SIGTERM below, and a second signal would abandon the task in hand.
    workers = [subprocess.Popen(  # noqa: S603
        [*command, "--worker-id", f"xuncha-{os.getpid()}-{number}"], start_new_session=True)
        for number in range(count)]
    try:
        yield
    finally:
        for worker in workers:
            with contextlib.suppress(ProcessLookupError):
                worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                worker.kill()
        if count and _in_main_thread():
            signal.signal(signal.SIGTERM, previous)


def _reap_interrupted_jobs() -> None:
    """Jobs left running by workers that died (the machine or the site was killed) are marked
    failed before new workers start, so their pages stop waiting (jobs.services.reap_stale)."""
    from xuncha.jobs.services import reap_stale

    reaped = reap_stale()
    if reaped:
        print(f"{reaped} 个后台任务因处理进程退出而中断，已标记为失败", flush=True)


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _serve(host: str, port: int, threads: int, sock: socket.socket | None) -> None:
    from waitress import serve

    from xuncha.wsgi import application

    where: dict[str, Any] = (
        {"sockets": [sock]} if sock is not None else {"host": host, "port": port}
    )
    serve(application, threads=threads, ident="xuncha", **where, **_proxy_options())


def _serve_forked(host: str, port: int, threads: int, count: int) -> None:
    """Several waitress processes accepting on one listening socket.

    One Python process runs Django on one core at a time (the GIL); forked workers sharing the
    socket let the kernel hand each connection to an idle process, so every core serves pages.
    The parent only watches: it stops the workers when it is stopped, and replaces one that
    died (a bounded number of times).
    """
    from django.db import connections

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(1024)
    connections.close_all()  # no database connection may be shared across fork()
    children: set[int] = set()

    def start() -> None:
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            try:
                _serve(host, port, threads, sock)
            finally:
                os._exit(0)
        children.add(pid)

    stopping = False

    def stop(signum: int, frame: Any) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for _ in range(count):
        start()
    restarts = 0
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        if pid not in children:
            continue  # a task worker (see _task_workers), not a web worker
        children.discard(pid)
        # A worker that died (killed, or exited with an error) is replaced, a few times at
        # most, so a worker that cannot start does not make a fork loop; one that returned
        # normally has stopped serving on purpose.
        if not stopping and status != 0 and restarts < 10 * count:
            restarts += 1
            start()


def _proxy_options() -> dict[str, Any]:
    """Behind the HTTPS proxy (XUNCHA_HTTPS), take the client's address from the proxy's
    X-Forwarded-For: login throttling counts per address, and every request would otherwise
    come from the proxy's."""
    from django.conf import settings

    if not settings.HTTPS:
        return {}
    return {
        "trusted_proxy": settings.TRUSTED_PROXY,
        "trusted_proxy_count": 1,
        "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"},
        "clear_untrusted_proxy_headers": True,
    }
