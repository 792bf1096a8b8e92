"""The main job: ingest inputs into the store, then extract every document not yet extracted
with the current extractor version and pack.

Each document is its own transaction, in both phases: a run killed part-way loses at most the
document in flight, and running it again resumes without duplicates (ids come from content,
and documents already extracted with this version and pack are skipped).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from watchfloor.errors import WatchfloorError
from watchfloor.extract.extractor import Extractor
from watchfloor.records import Document, Rejection
from watchfloor.store.db import Store

Progress = Callable[[int], None]


@dataclass(slots=True)
class RunStats:
    documents_new: int = 0
    documents_seen: int = 0
    rejected: int = 0
    extracted: int = 0
    skipped: int = 0
    events: int = 0
    quotes: int = 0
    claims: int = 0
    failed: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    failures: list[WatchfloorError] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {
            "documents_seen": self.documents_seen,
            "documents_new": self.documents_new,
            "rejected": self.rejected,
            "extracted": self.extracted,
            "skipped_already_extracted": self.skipped,
            "failed": self.failed,
            "events": self.events,
            "quotes": self.quotes,
            "claims": self.claims,
        }


def ingest_into(
    store: Store,
    items: Iterable[Document | Rejection],
    stats: RunStats | None = None,
    progress: Progress | None = None,
) -> RunStats:
    stats = stats or RunStats()
    for item in items:
        if isinstance(item, Rejection):
            store.save_rejection(item)
            stats.rejected += 1
            stats.rejections.append(item)
        else:
            stats.documents_seen += 1
            if store.save_document(item):
                stats.documents_new += 1
        if progress is not None:
            progress(1)
    return stats


def extract_pending(
    store: Store,
    extractor: Extractor,
    *,
    ids: Iterable[str] | None = None,
    force: bool = False,
    batch_size: int = 32,
    workers: int = 1,
    stats: RunStats | None = None,
    progress: Progress | None = None,
) -> RunStats:
    """Extract the stored documents (all, or ``ids``) that are not yet extracted with this
    extractor version and pack; ``force`` re-extracts them all."""
    stats = stats or RunStats()
    pack_sha = extractor.pack.sha256

    # Read the work list before writing: no read cursor stays open across the writes.
    todo: list[Document] = []
    done = set() if force else store.extracted_ids(extractor.version, pack_sha)  # one query
    for doc in list(store.documents(ids=ids)):
        if doc.id in done:
            stats.skipped += 1
            if progress is not None:
                progress(1)
        else:
            todo.append(doc)

    for _doc, extraction in extractor.extract_many(todo, batch_size=batch_size,
                                                   n_process=workers):
        if isinstance(extraction, WatchfloorError):
            # the document stays stored and unextracted: a later run tries it again
            stats.failed += 1
            stats.failures.append(extraction)
            if progress is not None:
                progress(1)
            continue
        store.save_extraction(extraction, version=extractor.version, pack_sha256=pack_sha)
        stats.extracted += 1
        stats.events += len(extraction.events)
        stats.quotes += len(extraction.quotes)
        stats.claims += len(extraction.claims)
        if progress is not None:
            progress(1)
    return stats
