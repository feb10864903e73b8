from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "启动网页服务 (waitress, 适用于正式使用)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="监听地址 (默认 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="端口 (默认 8000)")
        parser.add_argument("--threads", type=int, default=8, help="工作线程数 (默认 8)")

    def handle(self, *args: Any, host: str, port: int, threads: int, **options: Any) -> None:
        from waitress import serve

        from xuncha.wsgi import application

        shown = f"[{host}]" if ":" in host else host
        self.stdout.write(f"巡察整改管理系统已启动: http://{shown}:{port}/  (Ctrl+C 停止)")
        serve(
            application, host=host, port=port, threads=threads, ident="xuncha", **_proxy_options()
        )


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
