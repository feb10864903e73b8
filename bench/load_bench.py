"""A bounded load test of a running `xuncha serve` on this machine (loopback only).

Signs a user in by writing a session directly (same database settings as the server), then
sends a fixed number of GET requests from N threads to 127.0.0.1 and prints requests/s, p50,
p95 and errors. It never targets any other address and stops after --requests or --seconds.

  python bench/load_bench.py --port 8000 --path /rounds/1/units/2/ --user gen-office-1 \\
      --clients 32 --requests 3000 --seconds 60 [--server-pid PID]

With --server-pid (the `xuncha serve` parent), it also prints the CPU time the server's
processes spent per request, and this client's own: on a machine shared with other work the
wall-clock rate is noisy, while CPU per request says what the server alone would sustain
(cores / CPU per request).
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def session_cookie(username: str) -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuncha.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=username))
    return f"sessionid={client.cookies['sessionid'].value}"


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children (the forked workers), from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    pids += [int(child) for child in children]
    total = 0
    for one in pids:
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def wait_for_server(port: int, seconds: float = 120) -> None:
    """A server just started may still be importing Django: wait until it answers."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", "/accounts/login/", headers={"Host": "127.0.0.1"})
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--path", default="/accounts/login/")
    parser.add_argument("--user", default="")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--server-pid", type=int, default=0)
    args = parser.parse_args()
    wait_for_server(args.port)
    headers = {"Host": "127.0.0.1"}
    if args.user:
        headers["Cookie"] = session_cookie(args.user)
    lock = threading.Lock()
    sent = 0
    hits = 0
    times: list[float] = []
    errors: list[str] = []
    deadline = time.monotonic() + args.seconds

    def client() -> None:
        nonlocal sent, hits
        conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
        while time.monotonic() < deadline:
            with lock:
                if sent >= args.requests:
                    return
                sent += 1
            start = time.perf_counter()
            try:
                conn.request("GET", args.path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.getheader("X-Xuncha-Page-Cache") == "hit":
                    with lock:
                        hits += 1
                ok = response.status == 200
                if not ok:
                    errors.append(str(response.status))
            except (OSError, http.client.HTTPException) as error:
                errors.append(type(error).__name__)
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
                continue
            with lock:
                times.append(time.perf_counter() - start)
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(args.clients)]
    server_before = tree_cpu_seconds(args.server_pid) if args.server_pid else 0.0
    client_before = time.process_time()
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    client_cpu = time.process_time() - client_before
    server_cpu = tree_cpu_seconds(args.server_pid) - server_before if args.server_pid else 0.0
    ordered = sorted(times)
    p95 = ordered[int(len(ordered) * 0.95)] if ordered else 0.0
    p50 = statistics.median(times) if times else 0.0
    print(f"{args.path}: {len(times)} ok, {len(errors)} errors in {elapsed:.1f} s = "
          f"{len(times) / elapsed:.0f} req/s; p50 {p50 * 1000:.0f} ms, "
          f"p95 {p95 * 1000:.0f} ms; load {os.getloadavg()[0]:.1f}; "
          f"{hits} from the page cache")
    if errors:
        kinds: dict[str, int] = {}
        for error in errors:
            kinds[error] = kinds.get(error, 0) + 1
        print(f"  errors: {kinds}")
    done = max(len(times), 1)
    if args.server_pid:
        print(f"  CPU per request: server {server_cpu / done * 1000:.2f} ms "
              f"(= {done / max(server_cpu, 1e-9):.0f} req/s per core), "
              f"this client {client_cpu / done * 1000:.2f} ms")


if __name__ == "__main__":
    main()
