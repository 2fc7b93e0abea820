"""Attachments read only what the walker may (issue 9 section 2): regular files, capped while
reading, a sniffed type, and one message that never tells whether some other file exists."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qualitylab.errors import InvalidInput
from qualitylab.services.attachments import (
    MAX_ATTACHMENT_BYTES,
    check_link,
    read_attachment_file,
    sniff_media_type,
)

PNG = b"\x89PNG\r\n\x1a\n" + bytes(32)


def refused(path: Path | str) -> str:
    with pytest.raises(InvalidInput) as err:
        read_attachment_file(Path(path))
    message = str(err.value)
    assert message.startswith("cannot attach this file")
    assert str(path) not in message  # the path is never echoed: nothing to learn from it
    return message


def test_pseudo_files_devices_and_folders_are_refused(tmp_path: Path) -> None:
    # /proc/self/environ: stat says 0 bytes, reading gives the process's secrets
    for path in ("/proc/self/environ", "/proc/self/cmdline", "/dev/zero", "/dev/null", tmp_path):
        refused(path)


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    refused(fifo)


def test_a_symlink_is_never_followed(tmp_path: Path) -> None:
    for target in ("/etc/passwd", "/proc/self/environ", str(tmp_path / "ok.png")):
        (tmp_path / "ok.png").write_bytes(PNG)
        link = tmp_path / f"link-{abs(hash(target))}"
        link.symlink_to(target)
        refused(link)


def test_missing_and_unreadable_read_the_same(tmp_path: Path) -> None:
    missing = refused(tmp_path / "no-such-file")
    secret = tmp_path / "shadow"
    secret.write_text("root:$6$...")
    secret.chmod(0)
    if os.geteuid() == 0:  # root reads anything: check the message shape with a missing file
        assert missing == refused(tmp_path / "also-missing")
    else:
        assert refused(secret) == missing


def test_size_is_capped_while_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.png"
    with big.open("wb") as handle:
        handle.truncate(MAX_ATTACHMENT_BYTES + 1)
    assert "larger than 5 MB" in refused(big)
    exact = tmp_path / "exact.bin"
    with exact.open("wb") as handle:
        handle.truncate(MAX_ATTACHMENT_BYTES)
    assert len(read_attachment_file(exact)[2]) == MAX_ATTACHMENT_BYTES


def test_the_type_is_sniffed_not_taken_from_the_name(tmp_path: Path) -> None:
    cases = {
        "shot.txt": (PNG, "image/png"),
        "photo.png": (b"\xff\xd8\xff\xe0" + bytes(16), "image/jpeg"),
        "report": (b"%PDF-1.7\n...", "application/pdf"),
        "anim.jpg": (b"GIF89a" + bytes(8), "image/gif"),
        "notes.pdf": ("Кнопка не работает\n".encode(), "text/plain"),
        "blob.png": (bytes(range(256)), "application/octet-stream"),
        "pic": (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
    }
    for name, (content, expected) in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        assert read_attachment_file(path) == (name, expected, content)


def test_text_cut_mid_character_at_the_sample_end_is_still_text() -> None:
    sample = ("я" * 2048).encode()[:4095]  # 4096-byte sample ends inside a character
    assert sniff_media_type(sample) == "text/plain"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "javascript:alert(1)",
        "/etc/shadow",
        "https://",
        "https://ok.example/a b",
        "https://ok.example/\x1b[2J",
        "https://ok.example/" + "a" * 2000,
    ],
)
def test_links_are_http_only_one_line_and_bounded(url: str) -> None:
    with pytest.raises(InvalidInput, match="http:// or https://"):
        check_link(url)


def test_a_good_link_is_stored_as_a_uri_list() -> None:
    assert check_link(" https://share.example.com/s.png ") == (
        "link.url",
        "text/uri-list",
        b"https://share.example.com/s.png",
    )
