"""Which files may be attached to a case note: inside one folder, of a document type, not huge.

A job file comes from whoever wrote it, and `run` uploads its `case_note.attachment` to the
state's site. Without limits any file the bot's user can read would leave the machine
(`/proc/self/environ` holds `CALJOBS_PASSWORD` when it is set; `~/.ssh/...`, `../../x.pdf`).
So an attachment must:

- lie inside the attachments folder: the job file's folder, or the folder named by
  `--attachments-dir` / `attachments_dir` in caljobs-bot.toml. The path is resolved with every
  symbolic link followed, so a link inside the folder that points out of it is refused too;
- be a document or image a case note plausibly carries (`ACCEPTED_TYPES`), by its extension
  *and* by its first bytes, so a renamed program or archive is refused;
- be at most `max_attachment_mb` (10 MB unless the config raises it), checked from the size
  on disk before a byte is read.

`check_attachment` is the one rule: `validate` applies it to every record (via caljobs_bot.jobfile),
and the bot applies it again just before the upload, since a file can change in between.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

MEGABYTE = 1024 * 1024
MAX_ATTACHMENT_MB = 10.0


@dataclass(frozen=True)
class AttachmentLimits:
    """How big an attachment may be (the config's `max_attachment_mb`, 10 MB by default)."""

    max_bytes: int = int(MAX_ATTACHMENT_MB * MEGABYTE)

    @classmethod
    def from_megabytes(cls, megabytes: float | None) -> AttachmentLimits:
        """Limits from the config's figure in MB (None: the default)."""
        return cls() if megabytes is None else cls(int(megabytes * MEGABYTE))


def _starts(*signatures: bytes) -> Callable[[Path, bytes], bool]:
    """A content test: the file's first bytes are one of `signatures`."""
    return lambda _path, head: head.startswith(signatures)


def _is_docx(path: Path, head: bytes) -> bool:
    """A .docx is a zip whose parts live under word/ (an .xlsx or a plain zip is not one)."""
    if not head.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(path) as archive:  # reads the directory only, not the parts
            return any(name.startswith("word/") for name in archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False


def _is_text(path: Path, _head: bytes) -> bool:
    """Plain text: UTF-8 (a byte-order mark allowed) with no NUL bytes; the size is capped."""
    try:
        data = path.read_bytes()
    except OSError:
        return False
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True


@dataclass(frozen=True)
class DocumentType:
    """A kind of file a case note may carry: its name, extensions and content test."""

    name: str
    extensions: tuple[str, ...]
    matches: Callable[[Path, bytes], bool]


ACCEPTED_TYPES: tuple[DocumentType, ...] = (
    DocumentType("PDF", (".pdf",), _starts(b"%PDF-")),
    DocumentType("Word 97-2003 document", (".doc",),
                 _starts(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")),
    DocumentType("Word document", (".docx",), _is_docx),
    DocumentType("plain text (UTF-8)", (".txt",), _is_text),
    DocumentType("JPEG image", (".jpg", ".jpeg"), _starts(b"\xff\xd8\xff")),
    DocumentType("PNG image", (".png",), _starts(b"\x89PNG\r\n\x1a\n")),
    DocumentType("TIFF image", (".tif", ".tiff"), _starts(b"II*\x00", b"MM\x00*")),
)
_BY_EXTENSION = {ext: kind for kind in ACCEPTED_TYPES for ext in kind.extensions}


def accepted_types_text() -> str:
    """'PDF (.pdf), Word ... (.doc), ...': the list every refusal and the README quote."""
    return ", ".join(f"{kind.name} ({', '.join(kind.extensions)})" for kind in ACCEPTED_TYPES)


def _megabytes(size: float) -> str:
    return f"{size / MEGABYTE:.1f} MB"


def check_attachment(path: Path, root: Path | None,
                     limits: AttachmentLimits | None = None) -> str | None:
    """Why `path` may not be attached, as a sentence, or None when it may.

    `root` is the attachments folder; None skips only the folder rule (a record built in
    code, not loaded from a file). Links are followed before the folder is compared, and the
    folder rule comes first, so nothing about a file outside the folder is revealed.
    """
    limits = limits or AttachmentLimits()
    try:
        real = path.resolve()
        if root is not None and not real.is_relative_to(root.resolve()):
            return (f"is outside the attachments folder {root}; put the document in that "
                    "folder (or name another with --attachments-dir)")
        if not real.exists():
            return "was not found"
        if real.is_dir():
            return "is a folder, not a file"
        if not real.is_file():
            return "is not a regular file"
        kind = _BY_EXTENSION.get(real.suffix.lower())
        if kind is None:
            shown = f"'{real.suffix}' files" if real.suffix else "a file without an extension"
            return (f"is {shown}, which a case note does not take; attach one of: "
                    f"{accepted_types_text()}")
        size = real.stat().st_size
        if size > limits.max_bytes:
            return (f"is {_megabytes(size)}, over the {_megabytes(limits.max_bytes)} limit; "
                    "attach a smaller scan (or raise max_attachment_mb in caljobs-bot.toml)")
        with real.open("rb") as stream:
            head = stream.read(16)
        if not kind.matches(real, head):
            return (f"is named like a {kind.name} but its content is not one; attach the "
                    "document itself, saved in that format")
    except (OSError, RuntimeError, ValueError):
        return "cannot be opened"
    return None
