"""Ingest: files, folders, HTML, Markdown, JSONL and stdin in; ``Document`` or ``Rejection`` out.

Build an :class:`Ingester` once (it loads the language model) and feed it inputs; or call the
module functions, which build one per call.
"""

from __future__ import annotations

from watchfloor.ingest.files import SUFFIXES, iter_input_files
from watchfloor.ingest.ingester import (
    Ingester,
    ingest_file,
    ingest_paths,
    ingest_stdin,
    ingest_text,
    looks_like_html,
)
from watchfloor.ingest.language import LanguageDetector
from watchfloor.ingest.meta import OutletTable, parse_published

__all__ = [
    "SUFFIXES",
    "Ingester",
    "LanguageDetector",
    "OutletTable",
    "ingest_file",
    "ingest_paths",
    "ingest_stdin",
    "ingest_text",
    "iter_input_files",
    "looks_like_html",
    "parse_published",
]
