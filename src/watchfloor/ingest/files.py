"""Files and folders in: which files to read, in what order, and how to turn bytes into text."""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

SUFFIXES: frozenset[str] = frozenset({".txt", ".html", ".htm", ".md", ".jsonl"})
HTML_SUFFIXES: frozenset[str] = frozenset({".html", ".htm"})

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
# Share of control characters above which a decoding is taken to be wrong (W104).
_MAX_CONTROL_SHARE = 0.01
_SNIFF_BYTES = 4096


# Files that describe a folder of articles rather than being one.
FOLDER_NOTES = frozenset({"README", "LICENSE", "CHANGELOG", "NOTICE"})


def iter_input_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The files to ingest, in a deterministic order: each path as given, folders recursively.

    A folder yields its files of a supported type (sorted, hidden files and folders skipped,
    and a folder's own notes: README, LICENSE, CHANGELOG files describe the corpus, they are
    not articles); a path named explicitly is yielded whatever its type or existence, so
    that ingest can reject it with a reason (W106, W108) instead of skipping it silently.
    """
    for path in paths:
        if path.is_dir():
            yield from _walk(path)
        else:
            yield path


def _walk(root: Path) -> Iterator[Path]:
    found: list[tuple[tuple[str, ...], Path]] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        base = Path(folder)
        for name in files:
            path = base / name
            if (not name.startswith(".") and path.suffix.lower() in SUFFIXES
                    and path.stem.upper() not in FOLDER_NOTES):
                found.append((path.relative_to(root).parts, path))
    for _, path in sorted(found, key=lambda item: item[0]):
        yield path


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str | None  # None when no decoding gave plausible text
    binary: bool = False


def decode_bytes(data: bytes, *, html: bool = False) -> Decoded:
    """Text from bytes: UTF-8 (with or without BOM), UTF-16 with BOM, the charset an HTML page
    declares, then Windows-1252 and Latin-1. NUL bytes in a file without a UTF-16 BOM mean it
    is binary. A decoding full of control characters is not text."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return Decoded(data.decode("utf-16"))
        except UnicodeDecodeError:
            return Decoded(None)
    if b"\x00" in data:
        return Decoded(None, binary=True)
    encodings = ["utf-8-sig"]
    if html:
        declared = _CHARSET.search(data[:_SNIFF_BYTES])
        if declared is not None:
            encodings.append(declared.group(1).decode("ascii", "replace"))
    encodings += ["cp1252", "latin-1"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if len(_CONTROL.findall(text)) <= _MAX_CONTROL_SHARE * max(len(text), 1):
            return Decoded(text)
    return Decoded(None)
