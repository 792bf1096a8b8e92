"""The REST API: the sourced event database over HTTP, with the OpenAPI schema at
``/openapi.json`` and its pages at ``/docs``; the dashboard (serve/dashboard.py) is served by
the same app under ``/ui/``.

Reads are open: documents, consolidated events (filters, text search, sort, pages), one event
with its reports and source sentences, quotes, claims with their checks, timeline counts, the
comparison with a reference set, health. List endpoints answer JSON, or CSV or JSON Lines with
``?format=`` or an Accept header (serve/formats.py). The one write, ``POST /documents``, takes
an article as text or fetches it from a URL (never from loopback or private addresses unless
the settings allow it), extracts and consolidates it, and needs an API token
(serve/security.py, which also rate-limits, caps body sizes and logs every request).

Built apart from called: ``create_app(settings)`` loads the domain pack and opens the store
once, at start-up (FastAPI's lifespan), and closes it at shutdown; the spaCy model is loaded on
the first write only. Response models are apart from the tables (house style 9). Every error
has the same body, ``{"error": {"code": ..., "message": ...}}``: a watchfloor code where there
is one (W402 for an unknown event), ``http_<status>``, ``invalid_request``, ``rate_limited``
or ``body_too_large`` otherwise, so that a client reads one shape whatever went wrong.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field, HttpUrl, model_validator
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Scope

from watchfloor.errors import E, WatchfloorError
from watchfloor.pack import Pack, load_pack
from watchfloor.records import EVENT_TYPES, CanonicalEvent, Document, Rejection
from watchfloor.serve.cache import FreshReads, ResponseCache
from watchfloor.serve.formats import TABLE_RESPONSES, Format, table_response, wanted
from watchfloor.serve.security import BAD_TOKEN, NO_TOKEN, Guard
from watchfloor.settings import Settings
from watchfloor.store.db import EVENT_SORTS, TIMELINE_INTERVALS, TIMELINE_KEYS, Store

if TYPE_CHECKING:  # imported when the first write comes: it loads trafilatura and more
    from watchfloor.ingest.ingester import Ingester

API_VERSION = "1"
MAX_PAGE = 1000
MAX_FETCHES = 4  # URLs fetched at once for POST /documents, per worker process
STATUSES = ("claimed", "reported", "confirmed", "revised", "disputed", "retracted")
MODALITIES = ("asserted", "negated", "hypothetical", "intended", "desired")
VERDICTS = ("supported", "contradicted", "unverifiable")
# Actor and weapon codes as the pack writes them; anything else is refused before the store.
CODE = r"^[A-Z][A-Z0-9]{1,15}$"
EVENT_ID = r"^rec_[0-9a-f]{4,16}(-\d+)?$"
DOC_ID = r"^[0-9a-f]{32,64}$"
REFERENCE = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
EventType = Literal[EVENT_TYPES]  # type: ignore[valid-type]
Status = Literal[STATUSES]  # type: ignore[valid-type]
Modality = Literal[MODALITIES]  # type: ignore[valid-type]
Verdict = Literal[VERDICTS]  # type: ignore[valid-type]
SORTS = (*EVENT_SORTS, *(f"-{s}" for s in EVENT_SORTS))
Sort = Literal[SORTS]  # type: ignore[valid-type]
TimelineKey = Literal[TIMELINE_KEYS]  # type: ignore[valid-type]
Interval = Literal[TIMELINE_INTERVALS]  # type: ignore[valid-type]


# -- response models ---------------------------------------------------------------------


class ErrorBody(BaseModel):
    code: str
    message: str


class Error(BaseModel):
    error: ErrorBody


class CacheOut(BaseModel):
    """The response cache of the worker process that answered (each has its own)."""
    entries: int
    megabytes: float
    limit_megabytes: int
    hits: int
    misses: int


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    documents: int
    events: int
    reference_sets: list[str]
    cache: CacheOut | None = Field(
        default=None, description="This worker's response cache; null when it is off.")


class DisagreementOut(BaseModel):
    values: list[dict[str, Any]]
    resolved: str
    rule: str


class EventOut(BaseModel):
    id: str
    type: str
    actor: str | None
    target: str | None
    modality: str
    weapon: str | None
    weapon_class: list[str]
    location: str | None
    date_start: date | None
    date_end: date | None
    granularity: str
    time: str | None
    count: int | None
    outcome: str | None
    distance_km: float | None
    apogee_km: float | None
    status: str
    confidence: float
    documents: int
    sources: int
    first_reported: str | None
    last_reported: str | None
    disagreements: dict[str, DisagreementOut]
    reference: list[str]


class ReportOut(BaseModel):
    doc_id: str
    ordinal: int
    outlet: str | None
    title: str | None
    url: str | None
    published: str | None
    sentence: str


class EventDetail(EventOut):
    reports: list[ReportOut]


class EventPage(BaseModel):
    items: list[EventOut]
    limit: int
    offset: int


class DocumentOut(BaseModel):
    id: str
    title: str | None
    outlet: str | None
    url: str | None
    published: str | None
    language: str
    source: str
    ingested_at: str
    chars: int


class DocumentPage(BaseModel):
    items: list[DocumentOut]
    limit: int
    offset: int


class DocumentDetail(BaseModel):
    id: str
    title: str | None
    outlet: str | None
    url: str | None
    published: str | None
    dateline: str | None
    language: str
    text: str
    events: list[str] = Field(description="Consolidated events this article reports.")
    extraction: dict[str, Any] | None = Field(
        description="Sentences, actors, weapons, times, events, quotes and claims, each with "
        "its character span in the text; null while the article is not extracted yet.")


class QuoteOut(BaseModel):
    id: str
    doc_id: str
    sentence: int
    text: str
    speaker: str | None
    speaker_actor: str | None
    channel: str | None


class QuotePage(BaseModel):
    items: list[QuoteOut]
    limit: int
    offset: int


class ClaimOut(BaseModel):
    id: str
    doc_id: str
    kind: str
    about: str
    actor: str | None
    value: int | None
    since: str | None
    evidence: str
    verdict: str
    claimed: str
    found: str | None
    reason: str
    evidence_rows: list[str]


class ClaimPage(BaseModel):
    items: list[ClaimOut]
    limit: int
    offset: int


class PeriodOut(BaseModel):
    period: str
    total: int
    counts: dict[str, int]


class Timeline(BaseModel):
    by: str
    interval: str
    events: int = Field(description="Events placed in a period.")
    undated: int = Field(description="Events with no date, not placed.")
    loose: int = Field(description="Events dated more loosely than a month, not placed.")
    keys: list[str]
    periods: list[PeriodOut]


class ComparisonOut(BaseModel):
    summary: dict[str, Any]
    items: list[dict[str, Any]]


class ArticleIn(BaseModel):
    """An article to take in: its text (plain text or HTML), or a URL to fetch it from."""

    text: str | None = Field(default=None, min_length=1, description="Plain text or HTML.")
    url: HttpUrl | None = Field(default=None, description="Fetched when no text is given; "
                                "the page's URL otherwise.")
    title: str | None = Field(default=None, max_length=1000)
    outlet: str | None = Field(default=None, max_length=200)
    published: datetime | None = None

    @model_validator(mode="after")
    def text_or_url(self) -> ArticleIn:
        if self.text is None and self.url is None:
            raise ValueError("give the article's 'text', or a 'url' to fetch it from")
        return self


class IngestOut(BaseModel):
    id: str
    new: bool = Field(description="False when the same text was stored already.")
    events: int
    quotes: int
    claims: int
    records: list[str] = Field(description="The consolidated events it reports.")


# -- the app -----------------------------------------------------------------------------


def get_store(request: Request) -> Store:
    return request.app.state.store  # type: ignore[no-any-return]


def get_pack(request: Request) -> Pack:
    return request.app.state.pack  # type: ignore[no-any-return]


_bearer = HTTPBearer(auto_error=False, description="An API token from `watchfloor token create`.")


def require_token(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    """The name of the caller's live API token; 401 without one."""
    if credentials is None:
        raise HTTPException(401, NO_TOKEN, headers={"WWW-Authenticate": "Bearer"})
    name = get_store(request).check_token(credentials.credentials)
    if name is None:
        raise HTTPException(401, BAD_TOKEN, headers={"WWW-Authenticate": "Bearer"})
    request.state.token_name = name  # for the access log; the token itself is never logged
    return name


# Module-level aliases: FastAPI reads the (string) annotations in this module's namespace.
StoreDep = Annotated[Store, Depends(get_store)]
PackDep = Annotated[Pack, Depends(get_pack)]
TokenDep = Annotated[str, Depends(require_token)]
FormatQ = Annotated[Format | None, Query(alias="format", description="json, csv or jsonl")]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
Search = Annotated[str | None, Query(
    min_length=1, max_length=500,
    description='Words (all must match), "a phrase", -excluded, OR between alternatives.')]


def event_filters(
    actor: Annotated[str | None, Query(pattern=CODE, description="e.g. PRK")] = None,
    target: Annotated[str | None, Query(pattern=CODE)] = None,
    type: Annotated[EventType | None, Query()] = None,
    weapon: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    weapon_class: Annotated[str | None, Query(alias="class", min_length=1, max_length=32)]
    = None,
    modality: Annotated[Modality | None, Query()] = None,
    status: Annotated[Status | None, Query()] = None,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
    q: Search = None,
) -> dict[str, Any]:
    """The event filters shared by /events and /timeline."""
    if date_from and date_to and date_to < date_from:
        raise HTTPException(422, f"'to' {date_to} is before 'from' {date_from}")
    return {"actor": actor, "target": target, "type": type, "weapon": weapon,
            "weapon_class": weapon_class, "modality": modality, "status": status,
            "date_from": date_from, "date_to": date_to, "query": q}


EventFilters = Annotated[dict[str, Any], Depends(event_filters)]


def event_out(e: CanonicalEvent) -> dict[str, Any]:
    return {
        "id": e.id, "type": e.type, "actor": e.actor, "target": e.target,
        "modality": e.modality, "weapon": e.weapon, "weapon_class": list(e.weapon_class),
        "location": e.location, "date_start": e.date_start, "date_end": e.date_end,
        "granularity": e.granularity, "time": e.time, "count": e.count, "outcome": e.outcome,
        "distance_km": e.distance_km, "apogee_km": e.apogee_km, "status": e.status,
        "confidence": e.confidence, "documents": e.documents, "sources": e.sources,
        "first_reported": e.first_reported, "last_reported": e.last_reported,
        "disagreements": {k: dis.as_dict() for k, dis in sorted(e.disagreements.items())},
        "reference": list(e.reference),
    }


def _stamp(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def create_app(settings: Settings, *, pack: Pack | None = None,
               extractor: Any = None) -> FastAPI:
    """The API over the database ``settings.db_url``; ``pack`` and ``extractor`` (built on
    the first write otherwise) may be given ready-made."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.pack = pack or load_pack(settings.pack)
        app.state.store = Store.open(settings.db_url)
        app.state.versions = FreshReads(app.state.store.data_versions,
                                        in_thread=app.state.store.dialect != "sqlite")
        app.state.settings = settings
        app.state.writer = Writer(settings, app.state.pack, extractor)
        try:
            yield
        finally:
            app.state.writer.close()
            app.state.store.close()

    app = FastAPI(title="watchfloor", version=API_VERSION, lifespan=lifespan,
                  description="A sourced event database built from the news: one record per "
                              "real-world event, every record leading back to its sentences. "
                              "Reads are open; writes need an API token.",
                  responses={422: {"model": Error}, 404: {"model": Error},
                             429: {"model": Error}})
    app.add_middleware(ResponseCache, version=_data_version,
                       max_bytes=settings.api_cache_mb * 1024 * 1024)
    if settings.api_cors_origins:  # off unless configured
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.api_cors_origins),
                           allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"])
    app.add_middleware(Guard, rate_limit=settings.api_rate_limit,
                       write_rate_limit=settings.api_write_rate_limit,
                       max_body=settings.api_max_body)

    @app.exception_handler(WatchfloorError)
    async def watchfloor_error(_request: Request, exc: WatchfloorError) -> JSONResponse:
        status = {E.W402.name: 404, E.W408.name: 404, E.W403.name: 400, E.W406.name: 422,
                  E.W602.name: 404}.get(exc.code)
        if status is None:  # a fetch refused or failed: the caller's URL, not our fault
            status = 422 if exc.code.startswith("W7") else 500
        return _error(status, exc.code, exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error(exc.status_code, f"http_{exc.status_code}", str(exc.detail),
                      exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return _error(422, "invalid_request", f"{where}: {first.get('msg', 'invalid value')}")

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/ui/")

    @app.get("/health", response_model=Health, tags=["service"])
    def health(request: Request, store: StoreDep) -> dict[str, Any]:
        """Whether the service is up, and how much it holds."""
        counts = store.counts("documents", "events")  # not every table: polled often
        cache: ResponseCache | None = getattr(request.app.state, "response_cache", None)
        return {"status": "ok", "version": API_VERSION, "documents": counts["documents"],
                "events": counts["events"],
                "reference_sets": [s.name for s in store.reference_sets()],
                "cache": None if cache is None or not cache.max_bytes else {
                    "entries": len(cache), "megabytes": round(cache.size / 2**20, 1),
                    "limit_megabytes": cache.max_bytes // 2**20, "hits": cache.hits,
                    "misses": cache.misses}}

    # -- events ---------------------------------------------------------------------------

    @app.get("/events", response_model=EventPage, tags=["events"], responses=TABLE_RESPONSES)
    def events(request: Request, store: StoreDep, filters: EventFilters,
               sort: Annotated[Sort, Query(description="date, confidence, sources, "
                                           "documents or updated; '-' first to reverse")]
               = "date",
               limit: Limit = 100, offset: Offset = 0, fmt: FormatQ = None) -> Any:
        """One record per real-world event with the filters given; ``q`` finds the events
        reported in sentences with those words."""
        found = store.consolidated_events(**filters, sort=sort, limit=limit, offset=offset,
                                          with_reports=False)
        items = [event_out(e) for e in found]
        return _page(request, fmt, items, EventOut, "events", limit, offset)

    @app.get("/events/{event_id}", response_model=EventDetail, tags=["events"])
    def event(store: StoreDep,
              event_id: Annotated[str, PathParam(pattern=EVENT_ID)]) -> dict[str, Any]:
        """One event with every report and the sentence it came from."""
        e = store.consolidated_event(event_id)
        if e is None:
            raise WatchfloorError(E.W402, ref=event_id, url=store.url)
        reports = []
        for (doc_id, ordinal), doc, mention in store.report_details(e.reports):
            reports.append({
                "doc_id": doc_id, "ordinal": ordinal,
                "outlet": doc.outlet if doc else None, "title": doc.title if doc else None,
                "url": doc.url if doc else None,
                "published": _stamp(doc.published) if doc else None,
                "sentence": mention.evidence if mention else "",
            })
        return {**event_out(e), "reports": reports}

    @app.get("/timeline", response_model=Timeline, tags=["events"], responses=TABLE_RESPONSES)
    def timeline(request: Request, store: StoreDep, filters: EventFilters,
                 by: Annotated[TimelineKey, Query()] = "type",
                 interval: Annotated[Interval, Query()] = "month",
                 fmt: FormatQ = None) -> Any:
        """Events counted per period and per type (or weapon class, weapon, actor, ...), with
        the filters of /events; periods without events are left out."""
        found = store.event_timeline(by=by, interval=interval, **filters)
        periods = [{"period": label, "total": sum(counts.values()), "counts": counts}
                   for label, counts in found["periods"]]
        keys = sorted({k for p in periods for k in p["counts"]})
        fmt = wanted(request, fmt)
        if fmt is not Format.json:
            rows = [{"period": p["period"], "key": k, "count": n}
                    for p in periods for k, n in sorted(p["counts"].items())]
            return table_response(rows, ["period", "key", "count"], fmt, "timeline")
        return {"by": by, "interval": interval, "events": found["events"],
                "undated": found["undated"], "loose": found["loose"], "keys": keys,
                "periods": periods}

    @app.get("/compare", response_model=ComparisonOut, tags=["events"],
             responses=TABLE_RESPONSES)
    def compare(request: Request, store: StoreDep, pack: PackDep,
                reference: Annotated[str, Query(pattern=REFERENCE,
                                                description="A reference set, e.g. cns-2026")],
                date_from: Annotated[date, Query(alias="from")],
                date_to: Annotated[date, Query(alias="to")],
                fmt: FormatQ = None) -> Any:
        """The launches of a period matched one to one with a reference set's: recall,
        precision, agreement on day, system, time, outcome and distance, and every item
        matched or not."""
        from watchfloor.analyze.compare import COMPARISON_COLUMNS
        from watchfloor.analyze.compare import compare as run_compare
        from watchfloor.reference.launches import group_events

        if date_to < date_from:
            raise HTTPException(422, f"'to' {date_to} is before 'from' {date_from}")
        sets = {s.name: s for s in store.reference_sets()}
        rows = store.reference_rows(reference)  # W602 when there is no such set
        refs = group_events(reference, sets[reference].format, rows, pack)
        result = run_compare(reference, refs, store.consolidated_events(type="weapon_test"),
                             date_from, date_to)
        fmt = wanted(request, fmt)
        if fmt is not Format.json:
            return table_response(result.rows(), COMPARISON_COLUMNS, fmt, "comparison")
        return {"summary": result.summary(), "items": result.rows()}

    # -- documents, quotes, claims ----------------------------------------------------------

    @app.get("/documents", response_model=DocumentPage, tags=["documents"],
             responses=TABLE_RESPONSES)
    def documents(request: Request, store: StoreDep, q: Search = None,
                  outlet: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
                  published_from: Annotated[date | None, Query(alias="from")] = None,
                  published_to: Annotated[date | None, Query(alias="to")] = None,
                  limit: Limit = 100, offset: Offset = 0, fmt: FormatQ = None) -> Any:
        """Stored articles without their text, newest first; ``q`` searches titles and text."""
        items = store.document_summaries(query=q, outlet=outlet, published_from=published_from,
                                         published_to=published_to, limit=limit, offset=offset)
        return _page(request, fmt, items, DocumentOut, "documents", limit, offset)

    @app.get("/documents/{doc_id}", response_model=DocumentDetail, tags=["documents"])
    def document(store: StoreDep,
                 doc_id: Annotated[str, PathParam(pattern=DOC_ID)]) -> dict[str, Any]:
        """One article: its text, and everything extraction found in it with character spans."""
        doc = store.document(doc_id)
        if doc is None:
            raise WatchfloorError(E.W408, ref=doc_id, url=store.url)
        extraction = store.extraction(doc_id)
        records = store.records_of(doc_id)
        return {"id": doc.id, "title": doc.title, "outlet": doc.outlet, "url": doc.url,
                "published": _stamp(doc.published), "dateline": doc.dateline,
                "language": doc.language, "text": doc.text, "events": records,
                "extraction": _plain(asdict(extraction)) if extraction else None}

    @app.get("/quotes", response_model=QuotePage, tags=["documents"],
             responses=TABLE_RESPONSES)
    def quotes(request: Request, store: StoreDep,
               speaker: Annotated[str | None, Query(pattern=CODE,
                                                    description="Speaker's actor code")] = None,
               doc_id: Annotated[str | None, Query(pattern=DOC_ID)] = None,
               q: Search = None, limit: Limit = 100, offset: Offset = 0,
               fmt: FormatQ = None) -> Any:
        """Quotes with their speaker and channel, in article order; ``q`` searches the quote
        and its speaker."""
        found = store.quotes(speaker_actor=speaker, doc_id=doc_id, query=q, limit=limit,
                             offset=offset)
        items = [{"id": x.id, "doc_id": x.prov.doc_id, "sentence": x.prov.sentence,
                  "text": x.text, "speaker": x.speaker, "speaker_actor": x.speaker_actor,
                  "channel": x.channel} for x in found]
        return _page(request, fmt, items, QuoteOut, "quotes", limit, offset)

    @app.get("/claims", response_model=ClaimPage, tags=["documents"],
             responses=TABLE_RESPONSES)
    def claims(request: Request, store: StoreDep, pack: PackDep,
               verdict: Annotated[Verdict | None, Query()] = None,
               doc_id: Annotated[str | None, Query(pattern=DOC_ID)] = None,
               limit: Limit = 100, offset: Offset = 0, fmt: FormatQ = None) -> Any:
        """The claims articles make, each checked against the reference sets and the events,
        in the order the store keeps them."""
        from watchfloor.analyze.checks import check_claims

        items = [{
            "id": c.claim.id, "doc_id": c.claim.prov.doc_id, "kind": c.claim.kind,
            "about": c.claim.about, "actor": c.claim.actor, "value": c.claim.value,
            "since": c.claim.since, "evidence": c.claim.evidence, "verdict": c.check.verdict,
            "claimed": c.check.claimed, "found": c.check.found, "reason": c.check.reason,
            "evidence_rows": list(c.labels),
        } for c in check_claims(store, pack)
            if (verdict is None or c.check.verdict == verdict)
            and (doc_id is None or c.claim.prov.doc_id == doc_id)]
        return _page(request, fmt, items[offset:offset + limit], ClaimOut, "claims", limit,
                     offset)

    # -- writes -----------------------------------------------------------------------------

    @app.post("/documents", response_model=IngestOut, status_code=201, tags=["documents"],
              responses={200: {"model": IngestOut, "description": "Stored already."},
                         401: {"model": Error}, 413: {"model": Error}})
    def ingest(request: Request, response: Response, article: ArticleIn,
               _token: TokenDep) -> dict[str, Any]:
        """Take in one article (its text, or a URL to fetch), extract it and consolidate.
        Needs an API token. The same text sent again is stored once (200, ``new`` false)."""
        writer: Writer = request.app.state.writer
        out = writer.take(get_store(request), article)
        if not out["new"]:
            response.status_code = 200
        return out

    from watchfloor.serve.dashboard import dashboard_router

    app.include_router(dashboard_router())
    return app


class Writer:
    """The write path of the API: ingest, extract, consolidate, one article at a time (the
    spaCy model is loaded on the first write, not at start-up)."""

    def __init__(self, settings: Settings, pack: Pack, extractor: Any = None) -> None:
        self.settings = settings
        self.pack = pack
        self._lock = threading.Lock()
        self._extractor: Any = extractor
        # Fetching for a request holds one of the server's threads: few at once, each short
        # (one retry, a 15 s budget per attempt), so a slow URL cannot starve the readers.
        self._fetches = threading.BoundedSemaphore(MAX_FETCHES)
        self._fetcher: Any = None
        self._built_ingester: Ingester | None = None

    def _ingester(self) -> Ingester:
        """The ingester, built on the first write: building one loads the language-id model
        (~0.6 s), which every write used to pay."""
        from watchfloor.ingest.ingester import Ingester

        with self._lock:
            if self._built_ingester is None:
                self._built_ingester = Ingester(self.settings, self.pack.datelines)
            return self._built_ingester

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()

    def take(self, store: Store, article: ArticleIn) -> dict[str, Any]:
        from watchfloor.consolidate.run import consolidate_store
        from watchfloor.extract.extractor import Extractor
        from watchfloor.pipeline import extract_pending, ingest_into

        result = self._document(article)
        if isinstance(result, Rejection):
            raise HTTPException(422, f"article refused ({result.code}): {result.reason}")
        with self._lock:  # one write at a time per process: consolidation is not concurrent
            if self._extractor is None:
                self._extractor = Extractor.build(self.settings, self.pack)
            stats = ingest_into(store, [result])
            extract_pending(store, self._extractor, ids=[result.id])
            consolidate_store(store, self.pack)
        extraction = store.extraction(result.id)
        records = store.records_of(result.id)
        return {"id": result.id, "new": stats.documents_new == 1,
                "events": len(extraction.events) if extraction else 0,
                "quotes": len(extraction.quotes) if extraction else 0,
                "claims": len(extraction.claims) if extraction else 0, "records": records}

    def _document(self, article: ArticleIn) -> Document | Rejection:
        ingester = self._ingester()
        url = str(article.url) if article.url else None
        meta = {k: v for k, v in (("title", article.title), ("outlet", article.outlet),
                                  ("published", article.published), ("url", url)) if v}
        if article.text is not None:
            return ingester.ingest_text(article.text, url or "<api>", meta=meta)
        assert url is not None
        from watchfloor.ingest.fetch import Fetcher
        from watchfloor.ingest.pages import page_document

        if not self._fetches.acquire(timeout=1.0):
            raise HTTPException(503, f"{MAX_FETCHES} URLs are being fetched already; send the "
                                "article's text, or try again shortly",
                                headers={"Retry-After": "5"})
        try:
            if self._fetcher is None:  # one fetcher: its per-host politeness is shared
                timeout = min(self.settings.fetch_timeout, 5.0)
                self._fetcher = Fetcher.from_settings(self.settings, retries=1,
                                                      timeout=timeout, deadline=3 * timeout)
            page = self._fetcher.get(url)
        finally:
            self._fetches.release()
        return page_document(ingester, url, page, meta=meta)


# Paths whose answers read only the consolidated events (with their reports, sentences and
# the reference sets): they follow the events' data version, which new articles do not move.
EVENT_PATHS = ("/events", "/timeline", "/compare", "/ui/events")


async def _data_version(scope: Scope) -> tuple[str, int] | None:
    """What the answers to this request depend on, for the response cache: the database and
    the domain pack (a claim's check reads the pack), and the count of the database's writes
    that may change them; None before start-up has opened the store."""
    state = scope["app"].state
    versions: FreshReads[tuple[str, int, int]] | None = getattr(state, "versions", None)
    pack: Pack | None = getattr(state, "pack", None)
    if versions is None or pack is None:
        return None
    epoch, n, events_n = await versions.get()
    path = scope["path"]
    if any(path == p or path.startswith(p + "/") for p in EVENT_PATHS):
        return f"{epoch}:{pack.sha256}:{API_VERSION}:events", events_n
    return f"{epoch}:{pack.sha256}:{API_VERSION}:all", n


def _page(request: Request, fmt: Format | None, items: list[dict[str, Any]],
          model: type[BaseModel], name: str, limit: int, offset: int) -> Any:
    """A page of a list endpoint: JSON with its limit and offset, or CSV / JSON Lines rows
    with the model's fields as columns."""
    fmt = wanted(request, fmt)
    if fmt is not Format.json:
        return table_response(items, list(model.model_fields), fmt, name)
    return {"items": items, "limit": limit, "offset": offset}


def _plain(value: Any) -> Any:
    """Dataclass fields as JSON values: tuples as lists, dates and paths as text."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, date | datetime | Path):
        return str(value)
    return value


def _error(status: int, code: str, message: str,
           headers: Mapping[str, str] | None = None) -> JSONResponse:
    return JSONResponse(status_code=status, headers=dict(headers or {}),
                        content={"error": {"code": code, "message": message}})


def app_from_environment() -> FastAPI:
    """The app for ``uvicorn --factory``: the settings the CLI handed on to its worker
    processes (WATCHFLOOR_SETTINGS, as JSON), else settings from the environment."""
    import os

    from watchfloor.serve.security import configure_logging
    from watchfloor.settings import load_settings

    given = os.environ.get("WATCHFLOOR_SETTINGS")
    settings = Settings.model_validate_json(given) if given else load_settings()
    configure_logging(settings.log_format)  # in each worker process
    return create_app(settings)
