"""Archives (.docx, .xlsx) checked before anything unpacks them: no decompression bombs.

Pure Python, no Django. A few kilobytes of zip can unpack to gigabytes; python-docx and
openpyxl would unpack members whole into memory. :func:`check_archive` refuses an archive
whose members, as the central directory declares them, add up to more than the limit or are
packed far tighter than documents ever are, or use a compression Word and Excel never write;
then, since those declarations can lie, it unpacks every member in small chunks, counting,
and stops as soon as the real total passes the limit. Memory stays bounded throughout.
"""

from __future__ import annotations

import io
import os
import zipfile
import zlib

#: The largest total an archive may unpack to (XUNCHA_MAX_UNPACKED_MB, default 50).
MAX_UNPACKED_BYTES = int(os.environ.get("XUNCHA_MAX_UNPACKED_MB") or 50) * 1024 * 1024
#: Documents compress a few times, XML at most some dozens; bombs by thousands.
MAX_RATIO = 200
#: Members smaller than this may have any ratio (a run of spaces compresses very well).
_RATIO_FROM = 1024 * 1024
_CHUNK = 64 * 1024
_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
_MAX_MEMBERS = 10_000


class ArchiveError(ValueError):
    """An archive refused before unpacking; the message is in Chinese, for the user."""


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB"


def check_archive(data: bytes, limit: int | None = None) -> None:
    """Raise ArchiveError unless the zip ``data`` unpacks safely within ``limit`` bytes.

    A file that is not a zip at all passes: the reader that follows says what it is.
    """
    limit = MAX_UNPACKED_BYTES if limit is None else limit
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    with archive:
        members = archive.infolist()
        if len(members) > _MAX_MEMBERS:
            raise ArchiveError(f"压缩包内文件过多（{len(members)} 个），不是正常的文档")
        declared = 0
        for member in members:
            if member.compress_type not in _METHODS:
                raise ArchiveError(
                    f"文档使用了不支持的压缩方式（{member.compress_type}），请用 Word/WPS 重新保存"
                )
            declared += member.file_size
            if (member.file_size > _RATIO_FROM
                    and member.file_size > MAX_RATIO * max(member.compress_size, 1)):
                raise ArchiveError("文档压缩比异常（疑似压缩炸弹），已拒绝")
        if declared > limit:
            raise ArchiveError(f"文档解压后超过 {_mb(limit)}（{_mb(declared)}），已拒绝")
        _unpack_counting(archive, members, limit)


def _unpack_counting(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], limit: int) -> None:
    total = 0
    for member in members:
        try:
            with archive.open(member) as stream:
                while chunk := stream.read(_CHUNK):
                    total += len(chunk)
                    if total > limit:
                        raise ArchiveError(f"文档解压后超过 {_mb(limit)}，已拒绝")
        except ArchiveError:
            raise
        except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError,
                NotImplementedError, RuntimeError) as error:
            # A damaged member (bad CRC, truncated, encrypted) is refused here, in words.
            raise ArchiveError(f"文档已损坏，无法解压（{member.filename}：{error}）") from None
