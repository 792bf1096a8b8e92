"""The one typed record family that flows between stages.

Every stage takes and returns these records, never loose dicts. Records are plain slotted
dataclasses: cheap to build in the hot extraction loop, picklable for Dask workers, and easy to
turn into rows (``dataclasses.asdict``) for storage and export.

Every record that extraction produces carries a :class:`Provenance`: the document it came from
(a content hash), the sentence, the character span in the document text, the extractor that
made it with its version, the sha256 of the domain pack it used, and a confidence in [0, 1].
Ids are derived from content (:func:`content_id`), so the same article ingested twice, or the
same extraction run twice, gives the same ids.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

Modality = Literal["asserted", "negated", "hypothetical", "intended", "desired"]
MODALITIES: tuple[Modality, ...] = ("asserted", "negated", "hypothetical", "intended", "desired")

Granularity = Literal["day", "week", "month", "year", "interval", "unknown"]

EVENT_TYPES: tuple[str, ...] = (
    "weapon_test",
    "military_exercise",
    "statement",
    "appeal",
    "accuse",
    "threaten",
    "meeting",
    "negotiation_status",
    "outreach",
    "offer",
    "reject",
    "agreement",
    "sanction",
    "aid",
    "protest",
    "coerce",
    "military_action",
)

# An event dated more loosely than this many days (a year, a season) is not placed on a
# timeline of when things happened (analyze.timeline, the store's event_timeline).
COUNTABLE_SPAN_DAYS = 31

# Event types whose actor and target are an unordered pair (GOLD_FORMAT.md).
SYMMETRIC_TYPES: frozenset[str] = frozenset({"meeting", "negotiation_status", "agreement"})
# A body and the organisation it is part of stand for each other (GOLD_FORMAT.md: "UN and UNSC
# match each other"): the Council's resolution and "the new U.N. sanctions" are one act.
PART_OF: dict[str, str] = {"UNSC": "UN"}


def party_class(code: str | None) -> str | None:
    """The code a party is compared by: the organisation a body is part of, else itself."""
    return PART_OF.get(code, code) if code is not None else None

ClaimKind = Literal["ordinal", "count", "total", "first_since"]


def content_id(*parts: object, prefix: str = "") -> str:
    """A stable id from content: sha256 over the parts joined by a unit separator.

    Python's ``hash()`` is salted per process and must never be used for ids.
    """
    h = hashlib.sha256()
    for p in parts:
        h.update(str(p).encode("utf-8"))
        h.update(b"\x1f")
    return prefix + h.hexdigest()[:16]


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(slots=True, frozen=True)
class Provenance:
    """Where an extracted record came from."""

    doc_id: str
    sentence: int  # index of the sentence in the document, from 0
    start: int  # character offsets into Document.text
    end: int
    extractor: str  # e.g. "extract.events"
    version: str  # the extractor's version
    pack_sha256: str  # the domain pack the extractor used
    confidence: float = 1.0

    def __post_init__(self) -> None:
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence must be in [0, 1], got {self.confidence}")
        if self.end < self.start:
            raise ValueError(f"span end {self.end} is before start {self.start}")


@dataclass(slots=True)
class Document:
    """One article's main text and metadata, as ingest made it.

    ``id`` is the sha256 of the cleaned text: the same text ingested twice is one document.
    ``published`` is timezone-aware when the source gave an offset; ``tz`` is the IANA zone in
    which the article counts its days (from the dateline, e.g. SEOUL -> Asia/Seoul).
    """

    id: str
    text: str
    source: str  # path, URL or "<stdin>"
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: datetime | None = None
    dateline: str | None = None
    tz: str | None = None
    language: str = "en"
    fetched: datetime | None = None

    @staticmethod
    def make_id(text: str) -> str:
        return text_sha256(text)[:32]


@dataclass(slots=True, frozen=True)
class Rejection:
    """An input that ingest refused, with the reason; stored so a batch can report it."""

    source: str
    code: str  # e.g. "W101"
    reason: str


@dataclass(slots=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


@dataclass(slots=True)
class TimeExpression:
    """A date span in the text, resolved to a calendar interval [start, end] (inclusive)."""

    text: str
    start: date | None
    end: date | None
    granularity: Granularity
    prov: Provenance


@dataclass(slots=True)
class ActorMention:
    text: str
    code: str  # PRK, USA, UN, ...
    name: str  # canonical name from the pack, e.g. "Kim Jong Un", "North Korea"
    kind: str  # state, person, organisation, outlet, role
    prov: Provenance


@dataclass(slots=True)
class WeaponMention:
    text: str
    system: str | None  # canonical system name, e.g. "Hwasong-12"
    weapon_class: tuple[str, ...]  # SRBM, ICBM, nuclear, ...
    count: int | None
    prov: Provenance


@dataclass(slots=True)
class EventMention:
    """One report of an event in one sentence (or, after within-document merging, the
    document's event with the sentences that report it)."""

    id: str
    type: str
    actor: str | None
    target: str | None
    modality: Modality
    trigger: str  # the word(s) that report the event
    prov: Provenance
    weapon: str | None = None
    weapon_class: tuple[str, ...] = ()
    location: str | None = None
    date_start: date | None = None
    date_end: date | None = None
    granularity: Granularity = "unknown"
    date_text: str | None = None
    # The moment, where the text gives a time of day: ISO 8601 with the offset of the zone it
    # was given in ("2017-03-06T07:34+09:00"), so it converts to UTC or any zone exactly.
    time: str | None = None
    count: int | None = None
    stance: str | None = None
    status: str | None = None
    participants: tuple[str, ...] = ()
    # Flight figures a launch report gives ("flew about 1,000 km", "an altitude of 2,111 km").
    distance_km: float | None = None
    apogee_km: float | None = None
    sentences: tuple[int, ...] = ()  # every sentence reporting the event (>= 1)
    evidence: str = ""  # the sentence text of the main report


@dataclass(slots=True)
class Quote:
    id: str
    text: str
    speaker: str | None  # as the article names them, after resolving "he"
    speaker_actor: str | None
    channel: str | None  # outlet or agency the quote came through
    prov: Provenance


@dataclass(slots=True)
class Claim:
    id: str
    kind: ClaimKind
    about: str  # an event type
    actor: str | None
    evidence: str
    prov: Provenance
    target: str | None = None
    value: int | None = None
    since: str | None = None  # year "2017" or date "2017-11-29"
    period_start: date | None = None
    period_end: date | None = None


@dataclass(slots=True)
class Extraction:
    """Everything extraction found in one document."""

    doc_id: str
    sentences: list[Sentence] = field(default_factory=list)
    actors: list[ActorMention] = field(default_factory=list)
    weapons: list[WeaponMention] = field(default_factory=list)
    times: list[TimeExpression] = field(default_factory=list)
    events: list[EventMention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Disagreement:
    """Where the reports of one event differ on a value: every value with the articles and
    the number of independent sources that gave it, the value chosen and the rule that chose."""

    values: tuple[tuple[str, tuple[str, ...], int], ...]  # value, doc ids, independent sources
    resolved: str
    rule: str

    def as_dict(self) -> dict[str, object]:
        """The JSON shape the store keeps and the API serves."""
        return {"values": [{"value": v, "documents": list(d), "sources": n}
                           for v, d, n in self.values],
                "resolved": self.resolved, "rule": self.rule}


ReportKey = tuple[str, int]  # (doc_id, ordinal): one document event, a row of event_mentions


@dataclass(slots=True)
class CanonicalEvent:
    """One real-world event after consolidation: the values its reports settle on, its
    status and confidence, and the document events (reports) that support it."""

    id: str
    type: str
    actor: str | None
    target: str | None
    modality: str
    weapon: str | None
    weapon_class: tuple[str, ...]
    location: str | None
    date_start: date | None
    date_end: date | None
    granularity: str
    count: int | None
    status: str
    confidence: float
    documents: int
    sources: int
    first_reported: str | None
    last_reported: str | None
    disagreements: dict[str, Disagreement] = field(default_factory=dict)
    reference: tuple[str, ...] = ()
    reports: tuple[ReportKey, ...] = ()
    time: str | None = None  # as EventMention.time, in UTC
    outcome: str | None = None  # failed | succeeded, as the reports' EventMention.status
    distance_km: float | None = None
    apogee_km: float | None = None
