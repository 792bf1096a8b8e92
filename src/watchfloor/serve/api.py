"""The REST API (issue 5, first part): read-only views of the consolidated events, the claims
with their checks, and the service's health, as JSON, with the OpenAPI schema at
``/openapi.json``.

Built apart from called: ``create_app(settings)`` loads the domain pack and opens the store once,
at start-up (FastAPI's lifespan), and closes it at shutdown; every request uses that store.
Response models are apart from the tables (house style 9). Every error has the same body,
``{"error": {"code": ..., "message": ...}}``: a watchfloor code where there is one (W402 for an
unknown event), ``http_<status>`` or ``invalid_request`` otherwise, so that a client reads one
shape whatever went wrong.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from watchfloor.errors import E, WatchfloorError
from watchfloor.pack import Pack, load_pack
from watchfloor.records import EVENT_TYPES, CanonicalEvent
from watchfloor.settings import Settings
from watchfloor.store.db import Store

API_VERSION = "1"
MAX_PAGE = 1000
STATUSES = ("claimed", "reported", "confirmed", "revised", "disputed", "retracted")
# Actor and weapon codes as the pack writes them; anything else is refused before the store.
CODE = r"^[A-Z][A-Z0-9]{1,15}$"
EventType = Literal[EVENT_TYPES]  # type: ignore[valid-type]
Status = Literal[STATUSES]  # type: ignore[valid-type]


# -- response models ---------------------------------------------------------------------


class ErrorBody(BaseModel):
    code: str
    message: str


class Error(BaseModel):
    error: ErrorBody


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    documents: int
    events: int
    reference_sets: list[str]


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


# -- the app -----------------------------------------------------------------------------


def get_store(request: Request) -> Store:
    return request.app.state.store  # type: ignore[no-any-return]


def get_pack(request: Request) -> Pack:
    return request.app.state.pack  # type: ignore[no-any-return]


# Module-level aliases: FastAPI reads the (string) annotations in this module's namespace.
StoreDep = Annotated[Store, Depends(get_store)]
PackDep = Annotated[Pack, Depends(get_pack)]


def create_app(settings: Settings, *, pack: Pack | None = None) -> FastAPI:
    """The API over the database ``settings.db_url``."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.pack = pack or load_pack(settings.pack)
        app.state.store = Store.open(settings.db_url)
        try:
            yield
        finally:
            app.state.store.close()

    app = FastAPI(title="watchfloor", version=API_VERSION, lifespan=lifespan,
                  description="A sourced event database built from the news: one record per "
                              "real-world event, every record leading back to its sentences.",
                  responses={422: {"model": Error}, 404: {"model": Error}})

    @app.exception_handler(WatchfloorError)
    async def watchfloor_error(_request: Request, exc: WatchfloorError) -> JSONResponse:
        status = 404 if exc.code == E.W402.name else 400 if exc.code == E.W403.name else 500
        return _error(status, exc.code, exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error(exc.status_code, f"http_{exc.status_code}", str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return _error(422, "invalid_request", f"{where}: {first.get('msg', 'invalid value')}")

    @app.get("/health", response_model=Health, tags=["service"])
    def health(store: StoreDep) -> dict[str, Any]:
        """Whether the service is up, and how much it holds."""
        counts = store.counts()
        return {"status": "ok", "version": API_VERSION, "documents": counts["documents"],
                "events": counts["events"],
                "reference_sets": [s.name for s in store.reference_sets()]}

    @app.get("/events", response_model=EventPage, tags=["events"])
    def events(
        store: StoreDep,
        actor: Annotated[str | None, Query(pattern=CODE, description="e.g. PRK")] = None,
        target: Annotated[str | None, Query(pattern=CODE)] = None,
        type: Annotated[EventType | None, Query()] = None,
        weapon: Annotated[str | None, Query(max_length=64)] = None,
        weapon_class: Annotated[str | None, Query(alias="class", max_length=32)] = None,
        status: Annotated[Status | None, Query()] = None,
        date_from: Annotated[date | None, Query(alias="from")] = None,
        date_to: Annotated[date | None, Query(alias="to")] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> dict[str, Any]:
        """One record per real-world event, in date order, with the filters given."""
        if date_from and date_to and date_to < date_from:
            raise HTTPException(422, f"'to' {date_to} is before 'from' {date_from}")
        found = store.consolidated_events(
            actor=actor, target=target, type=type, weapon=weapon, weapon_class=weapon_class,
            status=status, date_from=date_from, date_to=date_to, limit=limit, offset=offset)
        return {"items": [event_out(e) for e in found], "limit": limit, "offset": offset}

    @app.get("/events/{event_id}", response_model=EventDetail, tags=["events"])
    def event(store: StoreDep,
              event_id: Annotated[str, Path(pattern=r"^rec_[0-9a-f]{4,16}(-\d+)?$")]
              ) -> dict[str, Any]:
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
                "published": doc.published.isoformat() if doc and doc.published else None,
                "sentence": mention.evidence if mention else "",
            })
        return {**event_out(e), "reports": reports}

    @app.get("/claims", response_model=list[ClaimOut], tags=["claims"])
    def claims(store: StoreDep, pack: PackDep) -> list[dict[str, Any]]:
        """Every claim articles make, checked against the reference sets and the events."""
        from watchfloor.analyze.checks import check_claims

        return [{
            "id": c.claim.id, "doc_id": c.claim.prov.doc_id, "kind": c.claim.kind,
            "about": c.claim.about, "actor": c.claim.actor, "value": c.claim.value,
            "since": c.claim.since, "evidence": c.claim.evidence, "verdict": c.check.verdict,
            "claimed": c.check.claimed, "found": c.check.found, "reason": c.check.reason,
            "evidence_rows": list(c.labels),
        } for c in check_claims(store, pack)]

    return app


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": {"code": code, "message": message}})


def app_from_environment() -> FastAPI:
    """The app for ``uvicorn --factory``: settings from the environment, as the CLI passes
    them on to worker processes (WATCHFLOOR_DB, WATCHFLOOR_PACK, ...)."""
    from watchfloor.settings import load_settings

    return create_app(load_settings())
