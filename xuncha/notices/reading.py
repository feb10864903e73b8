"""Reading a notice file from disk, with the failures a user can act on."""

from __future__ import annotations

from pathlib import Path

from xuncha.notices.model import NoticeError

#: Notices are a few pages; anything far larger is not one and must not be read into memory.
MAX_NOTICE_BYTES = 50 * 1024 * 1024


def read_notice_file(path: Path) -> bytes:
    """The file's bytes, or a NoticeError saying in Chinese why they cannot be had."""
    try:
        if path.is_dir():
            raise NoticeError("这是一个文件夹，不是通报文件")
        size = path.stat().st_size
        if size > MAX_NOTICE_BYTES:
            raise NoticeError(f"文件过大（{size // 1024 // 1024} MB），不是整改情况通报")
        return path.read_bytes()
    except FileNotFoundError:
        raise NoticeError("文件不存在") from None
    except PermissionError:
        raise NoticeError("没有读取该文件的权限") from None
    except OSError as error:
        raise NoticeError(f"无法读取文件（{error.strerror}）") from None
