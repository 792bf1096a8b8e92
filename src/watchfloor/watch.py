"""Continuous ingest: poll feeds and URL lists on a schedule, take in the articles they name,
extract them and consolidate, round after round (`watchfloor watch`).

Like ``pipeline.py``, this module drives the later stages (store, extract, consolidate), so it
sits beside it; the fetcher, the feed reader and the page reader it uses are in ``ingest/``.

One round: for each source that is due, a conditional GET (ETag, Last-Modified) of the feed;
for each entry whose URL is neither stored nor refused before, the article page is fetched,
ingested as HTML, stored and extracted, one document at a time (a stop request is honoured
between two documents). When anything came in, the store is consolidated once at the end of
the round.

A source that fails (down, slow, malformed, huge, 404) is logged, its failure count goes up
and its next poll is pushed back (twice the interval, then four times... up to six hours, or
the interval if that is longer); the other sources go on. An article that fails is logged
too: when trying again cannot help (a refusal, a 404, a huge page) it is recorded as a
rejection and not fetched again; otherwise (a timeout, a 5xx) the feed's validators are not
updated, so that the next poll reads the whole feed again and tries it once more. Everything
is stored as it comes, so a stop at any point loses nothing taken in before it.

The state of each source lives in the store's ``feeds`` table: etag, last_modified,
last_checked, last_ok, next_due, failures, last_error, entries_seen.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from watchfloor.consolidate.run import consolidate_store
from watchfloor.errors import E, WatchfloorError
from watchfloor.extract.extractor import Extractor
from watchfloor.ingest.feeds import Feed, FeedEntry, is_web_url, parse_source
from watchfloor.ingest.fetch import Fetcher, FetchError, FetchResult
from watchfloor.ingest.ingester import Ingester
from watchfloor.ingest.pages import page_document
from watchfloor.pack import Pack
from watchfloor.pipeline import RunStats, extract_pending, ingest_into
from watchfloor.records import Document, Rejection
from watchfloor.settings import Settings
from watchfloor.store.db import Store

DEFAULT_INTERVAL = 900.0  # seconds between two polls of one source
MAX_BACKOFF = 6 * 3600.0  # the longest a failing source waits (unless the interval is longer)
BACKLOG_WAIT = 60.0  # between two polls of a source whose new articles were not all taken
Log = Callable[[str], None]


def _no_log(_message: str) -> None:
    return None


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Source:
    """A feed URL or a local URL-list file. ``key`` names it in the ``feeds`` table."""

    key: str
    path: Path | None = None

    @classmethod
    def of(cls, value: str) -> Source:
        if is_web_url(value):
            return cls(value)
        path = Path(value).expanduser().resolve()
        return cls(str(path), path)


@dataclass(slots=True)
class WatchStats:
    """Counts over every round; only counts, since a watch may run for months (each error
    is logged as it happens)."""

    rounds: int = 0
    sources_polled: int = 0
    not_modified: int = 0
    sources_failed: int = 0
    articles_fetched: int = 0
    articles_failed: int = 0
    documents_new: int = 0
    rejected: int = 0
    extracted: int = 0
    extraction_failed: int = 0
    events: int = 0
    consolidations: int = 0

    def add(self, run: RunStats) -> None:
        self.documents_new += run.documents_new
        self.rejected += run.rejected
        self.extracted += run.extracted
        self.extraction_failed += run.failed
        self.events += run.events

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(slots=True)
class _Round:
    """What one round counts and knows: the totals, this round's pipeline stats, and the
    URLs refused so far (read once per round, not once per entry)."""

    stats: WatchStats
    rejected: set[str]
    run: RunStats = field(default_factory=RunStats)


def stamp(moment: datetime) -> str:
    # Fixed width, UTC, like the store's own stamps: text order is time order.
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def backoff_seconds(interval: float, failures: int) -> float:
    """How long a source that failed ``failures`` times in a row waits before the next try."""
    if failures <= 0:
        return interval
    return min(interval * 2.0 ** min(failures, 30), max(interval, MAX_BACKOFF))


@dataclass(slots=True)
class Watcher:
    """Everything one watch needs, built once; :meth:`round` polls the sources once."""

    store: Store
    extractor: Extractor
    pack: Pack
    settings: Settings
    fetcher: Fetcher
    ingester: Ingester
    interval: float = DEFAULT_INTERVAL
    now: Callable[[], datetime] = _utc_now
    stop: threading.Event = field(default_factory=threading.Event)
    log: Log = _no_log
    # URLs taken or refused in this run: a page whose text is stored under another URL (a
    # syndicated copy) is not found by its own URL in the store, and must not be fetched
    # again every round.
    _handled: set[str] = field(default_factory=set, init=False)
    _unconsolidated: bool = field(default=False, init=False)

    def round(self, sources: Iterable[Source], stats: WatchStats, *, force: bool = False) -> None:
        """Poll every source that is due (all of them when ``force``), then consolidate once
        if any document came in."""
        stats.rounds += 1
        current = _Round(stats, {r.source for r in self.store.rejections()})
        for source in sources:
            if self.stop.is_set():
                break
            if force or self.is_due(source):
                try:
                    self.poll(source, current)
                except Exception as exc:  # one source must not end the watch
                    # Not a fetch or feed error (those are handled in poll): the store was
                    # unreachable, say. Logged; the source is polled again next round.
                    current.stats.sources_failed += 1
                    self.log(f"{source.key}: failed unexpectedly, next round tries again: "
                             f"{exc!r}")
        stats.add(current.run)
        if current.run.documents_new or current.run.extracted or self._unconsolidated:
            self._consolidate(stats)

    def _consolidate(self, stats: WatchStats) -> None:
        try:
            result = consolidate_store(self.store, self.pack)
        except WatchfloorError as exc:
            # Everything is stored; the next round tries again.
            self._unconsolidated = True
            self.log(f"consolidation failed, next round tries again: {exc}")
            return
        self._unconsolidated = False
        stats.consolidations += 1
        self.log(f"consolidated: {result.events} events from {result.documents} documents")

    def is_due(self, source: Source) -> bool:
        state = self.store.feed_state(source.key)
        if state is None or not state.get("next_due"):
            return True
        return datetime.fromisoformat(state["next_due"]) <= self.now()

    def seconds_to_next(self, sources: Iterable[Source]) -> float:
        """Until the earliest next poll, between 1 s and the interval."""
        now = self.now()
        waits = [self.interval]
        for source in sources:
            state = self.store.feed_state(source.key)
            if state is None or not state.get("next_due"):
                return 1.0
            waits.append((datetime.fromisoformat(state["next_due"]) - now).total_seconds())
        return max(1.0, min(waits))

    # ------------------------------------------------------------------------ one source

    def poll(self, source: Source, current: _Round) -> None:
        state = self.store.feed_state(source.key) or {}
        checked = self.now()
        current.stats.sources_polled += 1
        try:
            fetched, feed = self._read_source(source, state)
        except WatchfloorError as exc:
            self._failed(source, state, checked, exc, current.stats)
            return
        if feed is None:  # 304: nothing new since the last poll
            current.stats.not_modified += 1
            self.log(f"{source.key}: not modified")
            self._save(source, checked, entries_seen=state.get("entries_seen"))
            return
        new = [e for e in feed.entries if not self._known(e.link, current.rejected)]
        self.log(f"{source.key}: {len(feed.entries)} entries, {len(new)} new")
        # A huge feed (or a first poll of a long one) is taken a slice at a time, in the
        # feed's order (newest first, as feeds list them), so that a round stays short and
        # its articles are consolidated and visible before the next slice is fetched.
        cap = self.settings.watch_max_articles
        backlog = len(new) - cap
        if backlog > 0:
            new = new[:cap]
            self.log(f"{source.key}: taking {cap} now, the other {backlog} from the next "
                     f"polls, {BACKLOG_WAIT:.0f} s apart")
        complete = backlog <= 0
        for entry in new:
            if self.stop.is_set():
                complete = False
                break
            complete = self.take(entry, current) and complete
        # Validators saved only once every entry is in: otherwise the next poll would get a
        # 304 and never come back for the articles that are missing.
        validators = {}
        if complete and fetched is not None:
            validators = {"etag": fetched.etag, "last_modified": fetched.last_modified}
        self._save(source, checked, entries_seen=len(feed.entries),
                   wait=min(self.interval, BACKLOG_WAIT) if backlog > 0 else None,
                   **validators)

    def _read_source(self, source: Source, state: Mapping[str, Any]
                     ) -> tuple[FetchResult | None, Feed | None]:
        if source.path is not None:
            return None, _parsed(self._read_file(source), source.key, None)
        fetched = self.fetcher.get(source.key, etag=state.get("etag"),
                                   last_modified=state.get("last_modified"))
        if fetched.not_modified:
            return fetched, None
        return fetched, _parsed(fetched.body, fetched.final_url, fetched.content_type)

    def _read_file(self, source: Source) -> bytes:
        assert source.path is not None
        try:
            size = source.path.stat().st_size
            if size > self.settings.max_bytes:
                raise WatchfloorError(E.W103, source=source.key, size=size,
                                      limit=self.settings.max_bytes)
            return source.path.read_bytes()
        except OSError as exc:
            raise WatchfloorError(E.W108, source=source.key, detail=exc.strerror or exc) from exc

    def _failed(self, source: Source, state: Mapping[str, Any], checked: datetime,
                exc: WatchfloorError, stats: WatchStats) -> None:
        failures = int(state.get("failures") or 0) + 1
        wait = backoff_seconds(self.interval, failures)
        stats.sources_failed += 1
        self.log(f"{source.key}: failed ({failures} in a row), next try in {wait:.0f} s: {exc}")
        self.store.save_feed_state(
            source.key, last_checked=stamp(checked), failures=failures, last_error=str(exc),
            next_due=stamp(checked + timedelta(seconds=wait)),
        )

    def _save(self, source: Source, checked: datetime, *, entries_seen: int | None,
              wait: float | None = None, **validators: str | None) -> None:
        """A poll that worked: failures reset, next poll one interval (or ``wait`` seconds)
        after this one."""
        fields: dict[str, Any] = {
            "last_checked": stamp(checked),
            "last_ok": stamp(self.now()),
            "next_due": stamp(checked + timedelta(seconds=wait or self.interval)),
            "failures": 0,
            "last_error": None,
            **validators,
        }
        if entries_seen is not None:
            fields["entries_seen"] = entries_seen
        self.store.save_feed_state(source.key, **fields)

    # ----------------------------------------------------------------------- one article

    def _known(self, url: str, rejected: set[str]) -> bool:
        return url in self._handled or url in rejected or self.store.has_url(url)

    def take(self, entry: FeedEntry, current: _Round) -> bool:
        """Fetch, ingest, store and extract one article; False when it failed in a way that
        trying again later may mend."""
        try:
            page = self.fetcher.get(entry.link)
            result = _guarded_page_document(self.ingester, entry.link, page)
        except Exception as exc:  # one article must not end the watch
            if not isinstance(exc, WatchfloorError):
                exc = FetchError(E.W707, url=entry.link, detail=repr(exc), attempts=1)
            current.stats.articles_failed += 1
            permanent = not isinstance(exc, FetchError) or exc.permanent
            self.log(f"{entry.link}: failed{'' if permanent else ', will retry'}: {exc}")
            if not permanent:
                return False
            result = Rejection(source=entry.link, code=exc.code, reason=exc.message)
        else:
            current.stats.articles_fetched += 1
        self._handled.add(entry.link)
        run = current.run
        if isinstance(result, Rejection):
            current.rejected.add(entry.link)
            ingest_into(self.store, [result], run)
            self.log(f"{entry.link}: rejected: {result.code}: {result.reason}")
            return True
        # What the page itself says wins; the feed fills in what it leaves out.
        doc = replace(result, title=result.title or entry.title,
                      published=result.published or entry.published)
        ingest_into(self.store, [doc], run)
        failed_before = len(run.failures)
        extract_pending(self.store, self.extractor, ids=[doc.id], stats=run,
                        batch_size=self.settings.batch_size)
        for failure in run.failures[failed_before:]:
            self.log(f"{entry.link}: {failure}")
        self.log(f"{entry.link}: stored as {doc.id[:12]}")
        return True


def _parsed(body: bytes, source: str, content_type: str | None) -> Feed:
    """parse_source, with whatever a parser raises on hostile input made a source failure:
    one bad feed must not stop a watch that runs for months."""
    try:
        return parse_source(body, source, content_type)
    except WatchfloorError:
        raise
    except Exception as exc:
        raise WatchfloorError(E.W708, url=source, detail=f"the parser failed: {exc!r}") from exc


def _guarded_page_document(ingester: Ingester, url: str, page: FetchResult
                           ) -> Document | Rejection:
    """page_document, with an unexpected failure on a hostile page made its rejection."""
    try:
        return page_document(ingester, url, page)
    except WatchfloorError:
        raise
    except Exception as exc:
        return Rejection(url, E.W108.name,
                         WatchfloorError(E.W108, source=url, detail=repr(exc)).message)


def watch(
    sources: Iterable[str | Source],
    store: Store,
    extractor: Extractor,
    pack: Pack,
    settings: Settings,
    *,
    once: bool = False,
    interval: float = DEFAULT_INTERVAL,
    fetcher: Fetcher | None = None,
    allow_private: bool = False,
    ingester: Ingester | None = None,
    now: Callable[[], datetime] | None = None,
    sleep: Callable[[float], object] | None = None,
    stop: threading.Event | None = None,
    log: Log = _no_log,
) -> WatchStats:
    """Poll ``sources`` (feed URLs or URL-list files) until ``stop`` is set, or one round
    when ``once`` (every source then, due or not). Between rounds it sleeps until the next
    source is due (``sleep``, by default waiting on ``stop`` so that a stop wakes it).

    ``fetcher`` defaults to one built from ``settings`` (private addresses allowed when
    ``allow_private`` or the ``fetch_allow_private`` setting says so) and closed at the end;
    a fetcher given is the caller's to close.
    """
    stop = stop if stop is not None else threading.Event()
    wait = sleep if sleep is not None else stop.wait
    listed = [s if isinstance(s, Source) else Source.of(s) for s in sources]
    own = fetcher is None
    # Its retry delays wait on ``stop`` too: a stop is not held up by a host that is down.
    fetcher = fetcher or Fetcher.from_settings(
        settings, allow_private=allow_private or settings.fetch_allow_private, sleep=stop.wait)
    try:
        watcher = Watcher(
            store, extractor, pack, settings, fetcher,
            ingester or Ingester(settings, pack.datelines),
            interval=interval, now=now or _utc_now, stop=stop, log=log,
        )
        stats = WatchStats()
        while True:
            watcher.round(listed, stats, force=once)
            if once or stop.is_set():
                return stats
            wait(watcher.seconds_to_next(listed))
            if stop.is_set():
                return stats
    finally:
        if own:
            fetcher.close()
