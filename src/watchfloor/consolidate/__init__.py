"""Consolidate: from many reports to fewer, better-sourced events (near-duplicates first)."""

from __future__ import annotations

from watchfloor.consolidate.neardup import (
    DEFAULT_THRESHOLD,
    ArticleText,
    DuplicateLink,
    find_near_duplicates,
    jaccard,
    shingle_set,
)

__all__ = [
    "DEFAULT_THRESHOLD",
    "ArticleText",
    "DuplicateLink",
    "find_near_duplicates",
    "jaccard",
    "shingle_set",
]
