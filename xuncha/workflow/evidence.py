"""佐证材料 files: what is accepted (judged by content, not name) and where it is kept."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path, PurePath

import filetype
from django.conf import settings

from xuncha.zipguard import ArchiveError, check_archive

#: Kinds accepted as evidence: detected extension -> MIME type served back.
ACCEPTED = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
ACCEPTED_LABEL = "PDF、图片（JPG/PNG/GIF/WEBP）、Word（.docx）、Excel（.xlsx）"


class EvidenceError(ValueError):
    """An upload that is refused; the message names the file and says why, in Chinese."""


@dataclass(frozen=True)
class CheckedFile:
    original_name: str
    data: bytes
    extension: str
    content_type: str
    sha256: str


def check(original_name: str, data: bytes) -> CheckedFile:
    """Accept ``data`` as evidence or raise EvidenceError saying why not."""
    name = Path(original_name).name or "未命名文件"
    limit = settings.EVIDENCE_MAX_BYTES
    if not data:
        raise EvidenceError(f"“{name}”是空文件")
    if len(data) > limit:
        raise EvidenceError(
            f"“{name}”大小为 {len(data) / 1048576:.1f} MB，超过 {limit // 1048576} MB 的上限"
        )
    kind = filetype.guess(data)
    if kind is None or kind.extension not in ACCEPTED:
        found = f"（实际内容为 {kind.extension}）" if kind is not None else ""
        raise EvidenceError(f"“{name}”不是可接受的佐证材料类型{found}；可上传 {ACCEPTED_LABEL}")
    if kind.extension in ("docx", "xlsx"):
        # Whoever opens it (Word, Excel, a preview) unpacks it: no decompression bombs.
        try:
            check_archive(data, settings.MAX_UNPACKED_BYTES)
        except ArchiveError as error:
            raise EvidenceError(f"“{name}”：{error}") from None
    return CheckedFile(
        original_name=name,
        data=data,
        extension=kind.extension,
        content_type=ACCEPTED[kind.extension],
        sha256=hashlib.sha256(data).hexdigest(),
    )


def store(checked: CheckedFile) -> str:
    """Write the file under the evidence directory; returns its path relative to it.

    Files are named by their hash, so a user-chosen name never reaches the file system.
    """
    relative = f"{checked.sha256[:2]}/{checked.sha256}.{checked.extension}"
    target = Path(settings.EVIDENCE_ROOT) / relative
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".part")
        partial.write_bytes(checked.data)
        partial.replace(target)
    return relative


def path_of(stored_as: str) -> Path:
    root = Path(settings.EVIDENCE_ROOT).resolve()
    path = (root / stored_as).resolve()
    if root not in path.parents:
        raise EvidenceError("佐证材料路径无效")
    return path


_EXTENSION_OF = {content_type: extension for extension, content_type in ACCEPTED.items()}
_UNSAFE_IN_NAME = re.compile(r"[\x00-\x1f\x7f\\/:*?\"<>|]+")


def download_name(original_name: str, content_type: str) -> str:
    """The name a download is saved under: the original stem with the detected type's
    extension, so a PDF uploaded as setup.exe or report.html is saved as setup.pdf."""
    extension = _EXTENSION_OF.get(content_type, "bin")
    stem = _UNSAFE_IN_NAME.sub("_", PurePath(original_name.replace("\\", "/")).name)
    stem = stem.rsplit(".", 1)[0] if "." in stem.lstrip(".") else stem.lstrip(".")
    stem = stem.strip(" ._")[:100] or "佐证材料"
    return f"{stem}.{extension}"
