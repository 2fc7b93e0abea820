"""What a pain point may carry: a file the walker can read on their own computer, or a link.

Terminal walkers attach files from their own disk, but only regular files: a symlink, a device, a
FIFO or a ``/proc``/``/sys`` pseudo-file is refused, and the size is capped *while reading*
(``stat`` says 0 for ``/proc`` files, so it cannot be trusted for that). Every refusal reads the
same "cannot attach this file", so the message never tells whether some other path exists. The
stored type is sniffed from the first bytes, never taken from the file name.

Browser walkers (``qualitylab serve``) never attach files: the app runs on the server, so a path
typed there would read the *server's* disk. They give a link instead (a screenshot in a file share,
a ticket), stored as a ``text/uri-list`` attachment so exports carry it like any other.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from qualitylab.domain import MAX_ATTACHMENT_BYTES
from qualitylab.errors import InvalidInput

MAX_LINK_CHARS = 2000
LINK_FILENAME = "link.url"
LINK_MEDIA_TYPE = "text/uri-list"
#: Pseudo-filesystems whose "files" are the machine's state, not the walker's documents.
_PSEUDO_ROOTS = ("/proc", "/sys", "/dev", "/run")

#: (magic prefix, offset, media type) for the screenshot and document types walkers attach.
_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"GIF87a", 0, "image/gif"),
    (b"GIF89a", 0, "image/gif"),
    (b"%PDF-", 0, "application/pdf"),
    (b"BM", 0, "image/bmp"),
    (b"PK\x03\x04", 0, "application/zip"),
)


@dataclass(frozen=True)
class AttachmentLink:
    """A link the walker pastes instead of a file (the browser lab's only kind of attachment)."""

    url: str


Blob = tuple[str, str, bytes]  # (file name, media type, content)


def cannot_attach(*, too_large: bool = False) -> InvalidInput:
    """One message for every refusal, so it reveals nothing about other files; only a file too
    large (the walker's own choice to fix) is named as such."""
    megabytes = MAX_ATTACHMENT_BYTES // 1_048_576
    suffix = f" (larger than {megabytes} MB)" if too_large else ""
    return InvalidInput(
        f"cannot attach this file{suffix}; choose a regular file you can read, "
        f"up to {megabytes} MB",
        code="attach.too_large" if too_large else "attach.cannot",
        megabytes=megabytes,
    )


def sniff_media_type(head: bytes) -> str:
    """The type the bytes say they are (PNG, JPEG, GIF, WebP, PDF, ...; UTF-8 text), else binary."""
    for magic, offset, media_type in _MAGIC:
        if head[offset : offset + len(magic)] == magic:
            return media_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    try:
        head[:4096].decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < 4092:  # not just a character cut at the sample's end
            return "application/octet-stream"
    return "text/plain" if b"\x00" not in head[:4096] else "application/octet-stream"


def _is_pseudo(path: Path) -> bool:
    real = os.path.realpath(path)
    return any(real == root or real.startswith(root + "/") for root in _PSEUDO_ROOTS)


def read_attachment_file(path: Path) -> Blob:
    """Read a walker's file under the rules in the module docstring."""
    path = Path(path).expanduser()
    if _is_pseudo(path):
        raise cannot_attach()
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)  # O_NOFOLLOW: a symlink is refused, not followed
    except OSError:
        raise cannot_attach() from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):  # directory, device, FIFO, socket
            raise cannot_attach()
        chunks: list[bytes] = []
        total = 0
        while total <= MAX_ATTACHMENT_BYTES:
            chunk = os.read(fd, min(1 << 20, MAX_ATTACHMENT_BYTES + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError:
        raise cannot_attach() from None
    finally:
        os.close(fd)
    if total > MAX_ATTACHMENT_BYTES:
        raise cannot_attach(too_large=True)
    if total != info.st_size:  # a pseudo-file (stat says 0) or a file changing under us
        raise cannot_attach()
    content = b"".join(chunks)
    name = "".join(c for c in path.name if c.isprintable())[:255] or "attachment"
    return name, sniff_media_type(content[:4096]), content


def check_link(url: str) -> Blob:
    """A pasted link, as the attachment it is stored as; only http(s), one line, bounded."""
    from urllib.parse import urlsplit

    cleaned = url.strip()
    problem = InvalidInput(
        "the link must be one http:// or https:// address "
        f"(up to {MAX_LINK_CHARS} characters), e.g. https://share.example.com/screenshot.png",
        code="attach.bad_link",
        limit=MAX_LINK_CHARS,
    )
    if len(cleaned) > MAX_LINK_CHARS or any(not c.isprintable() or c.isspace() for c in cleaned):
        raise problem
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        raise problem from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise problem
    return LINK_FILENAME, LINK_MEDIA_TYPE, cleaned.encode("utf-8")


def attachment_blob(attachment: Path | AttachmentLink) -> Blob:
    """What to store for a form's attachment: a checked link, or a file read under the rules."""
    if isinstance(attachment, AttachmentLink):
        return check_link(attachment.url)
    return read_attachment_file(attachment)
