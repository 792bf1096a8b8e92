"""The web dashboard (issue 5): server-side HTML over the same store as the REST API, under
``/ui/``: an overview with the event timeline, the event list with the API's filters, one
event with every source sentence highlighted, one article with all its extractions, the quotes
by speaker and the claims with their checks.

Rendered by Jinja2 (autoescape on: every value from an article is text, never markup) from
``templates/``, styled by one CSS file in ``static/``, with no JavaScript and nothing fetched
from elsewhere: the chart is an inline SVG drawn here, so that the dashboard works offline and a
page needs nothing but itself and the stylesheet. ``dashboard_router()`` builds the templates
once; a request reads the store and pack the app opened at start-up (``app.state``), as the
API does.

Highlights are character spans of the document text (records' provenance). The extractor does
not keep a span for an event's actor, target and weapon, only their codes and names, so those
are found again in the event's sentences by the pack's names for them (aliases, demonyms,
weapon and class phrases); a stored ActorMention or WeaponMention span is used as it is.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from watchfloor.analyze.checks import check_claims
from watchfloor.analyze.timeline import date_label
from watchfloor.errors import WatchfloorError
from watchfloor.pack import Pack
from watchfloor.records import (
    EVENT_TYPES,
    MODALITIES,
    Document,
    EventMention,
    Extraction,
    Sentence,
)
from watchfloor.store.db import Store

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
PREFIX = "/ui"
MAX_PAGE_NO = 100_000  # 5,000,000 events deep: beyond any data, and short of an overflow
PAGE_SIZE = 50
QUOTES_PER_PAGE = 200
STATUSES = ("claimed", "reported", "confirmed", "revised", "disputed", "retracted")
VERDICTS = ("supported", "contradicted", "unverifiable")
CODE = re.compile(r"^[A-Z][A-Z0-9]{1,15}$")

# What a status or a verdict means, shown beside its badge (consolidate/events.py decides).
STATUS_MEANING = {
    "claimed": "every source is state media of the actor's own state",
    "reported": "reported, not yet confirmed by two independent sources or a reference record",
    "confirmed": "two or more independent sources, or a matching reference record",
    "revised": "a source's later report changed a value it gave before",
    "disputed": "sources disagree on whether it happened, or on its outcome",
    "retracted": "a source that asserted the act later denied it",
}
VERDICT_MEANING = {
    "supported": "the known events agree with the claim",
    "contradicted": "the known events say otherwise",
    "unverifiable": "the known events cannot settle it",
}

# Okabe-Ito, colour-blind safe; the yellow darkened to be seen on white. Grey is "other".
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#8C7A00",
           "#333333")
OTHER = "other"
OTHER_COLOUR = "#9A9A9A"
PERIODS = ("day", "week", "month", "year")
MAX_COLUMNS = 400

# Highlight kinds in the order a legend lists them, with what the legend says.
KINDS = {
    "actor": "actor",
    "target": "target",
    "weapon": "weapon",
    "time": "time expression",
    "trigger": "event (trigger word)",
    "quote": "quote",
    "claim": "claim",
}


# -- highlighting ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Mark:
    """A highlighted span of a text: [start, end) character offsets, what it is, a tooltip,
    and where it leads (a link) if anywhere."""

    start: int
    end: int
    kind: str
    label: str
    href: str | None = None


def render_marked(text: str, marks: Iterable[Mark], offset: int = 0) -> Markup:
    """``text`` escaped, with ``marks`` (offsets in the text ``offset`` starts at) as nested
    elements. A mark inside another nests; one that crosses another's end is cut there; one
    outside the text is dropped."""
    spans = sorted(
        ((max(m.start - offset, 0), min(m.end - offset, len(text)), m) for m in marks),
        key=lambda s: (s[0], -s[1], list(KINDS).index(s[2].kind) if s[2].kind in KINDS else 99))
    out: list[str] = []
    stack: list[tuple[int, Mark]] = []  # (end, mark) of the open elements
    pos = 0

    def close_until(limit: int) -> None:
        nonlocal pos
        while stack and stack[-1][0] <= limit:
            end, mark = stack.pop()
            out.append(str(escape(text[pos:end])))
            pos = end
            out.append("</a>" if mark.href else "</mark>")

    for start, end, mark in spans:
        if end <= start:
            continue
        close_until(start)
        if stack:
            end = min(end, stack[-1][0])
            if end <= start:
                continue
        out.append(str(escape(text[pos:start])))
        pos = start
        attrs = f'class="hl hl-{escape(mark.kind)}" data-kind="{escape(mark.kind)}" ' \
                f'title="{escape(mark.label)}"'
        out.append(f'<a href="{escape(mark.href)}" {attrs}>' if mark.href else f"<mark {attrs}>")
        stack.append((end, mark))
    close_until(len(text))
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


class Highlighter:
    """Finds the spans of one pack's names in text. Built per request: patterns are made
    only for the codes a page needs, and ``re`` keeps compiled ones."""

    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self._patterns: dict[tuple[str, str], re.Pattern[str] | None] = {}

    def actor_pattern(self, code: str) -> re.Pattern[str] | None:
        def names() -> list[str]:
            found: list[str] = []
            for a in self.pack.actors:
                if a.code == code:
                    found += [a.name, *a.aliases, *a.demonyms]
            return found
        return self._pattern(("actor", code), names)

    def weapon_pattern(self, system: str | None, classes: Sequence[str]) -> re.Pattern[str] | None:
        def names() -> list[str]:
            found: list[str] = []
            weapon = self.pack.weapon(system) if system else None
            if weapon is not None:
                found += weapon.aliases
            elif system:
                found.append(system)
            for term in self.pack.weapon_classes:
                if term.weapon_class in classes:
                    found += term.phrases
            return found
        return self._pattern(("weapon", f"{system}|{','.join(classes)}"), names)

    def _pattern(self, key: tuple[str, str], names: Callable[[], list[str]]
                 ) -> re.Pattern[str] | None:
        if key not in self._patterns:
            words = sorted({n for n in names() if n.strip()}, key=len, reverse=True)
            self._patterns[key] = (re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words))
                                              + r")(?!\w)") if words else None)
        return self._patterns[key]

    @staticmethod
    def find(pattern: re.Pattern[str] | None, text: str, start: int, end: int, kind: str,
             label: str) -> list[Mark]:
        if pattern is None:
            return []
        return [Mark(m.start(), m.end(), kind, label)
                for m in pattern.finditer(text, start, end)]

    def event_marks(self, text: str, extraction: Extraction, mention: EventMention,
                    sentence: Sentence, *, href: str | None = None,
                    with_times: bool = True) -> list[Mark]:
        """The marks of one event in one of its sentences: actor, target, weapon, the time
        expression that dates it, and the trigger word in the main sentence."""
        s0, s1 = sentence.start, sentence.end
        marks: list[Mark] = []
        for code, kind in ((mention.actor, "actor"), (mention.target, "target")):
            if code:
                stored = [Mark(a.prov.start, a.prov.end, kind, f"{kind}: {a.name} ({code})")
                          for a in extraction.actors
                          if a.code == code and a.prov.sentence == sentence.index]
                marks += stored or self.find(self.actor_pattern(code), text, s0, s1, kind,
                                             f"{kind}: {self.actor_name(code)}")
        if mention.weapon or mention.weapon_class:
            what = mention.weapon or ", ".join(mention.weapon_class)
            stored = [Mark(w.prov.start, w.prov.end, "weapon", f"weapon: {w.system or w.text}")
                      for w in extraction.weapons if w.prov.sentence == sentence.index]
            marks += stored or self.find(
                self.weapon_pattern(mention.weapon, mention.weapon_class), text, s0, s1,
                "weapon", f"weapon: {what}")
        if with_times and mention.date_text:
            marks += [Mark(t.prov.start, t.prov.end, "time", f"time: {_interval(t.start, t.end)}")
                      for t in extraction.times
                      if t.prov.sentence == sentence.index and t.text == mention.date_text]
        trigger = trigger_mark(text, mention, sentence, href)
        if trigger is not None:
            marks.append(trigger)
        return marks

    def actor_name(self, code: str | None) -> str:
        if not code:
            return ""
        actor = self.pack.actor(code)
        return f"{actor.name} ({code})" if actor and actor.name != code else code


def trigger_mark(text: str, mention: EventMention, sentence: Sentence,
                 href: str | None = None) -> Mark | None:
    """The trigger word of ``mention`` in ``sentence``: the first time it stands as a word in
    the event's clause (its provenance span), only in the sentence the clause is in."""
    if mention.prov.sentence != sentence.index or not mention.trigger.strip():
        return None
    pattern = re.compile(r"(?<!\w)" + re.escape(mention.trigger) + r"(?!\w)")
    lo, hi = max(mention.prov.start, sentence.start), min(mention.prov.end, sentence.end)
    found = pattern.search(text, lo, hi) or pattern.search(text, sentence.start, sentence.end)
    if found is None:
        return None
    label = f"event: {humanize(mention.type)} ({mention.modality})"
    return Mark(found.start(), found.end(), "trigger", label, href)


def document_marks(doc: Document, extraction: Extraction, hl: Highlighter,
                   event_href: Mapping[int, str]) -> list[Mark]:
    """Every extraction of one article as marks over its text: each event's actor, target,
    weapon, time and trigger (linked to its record, ``event_href`` by the event's position in
    ``extraction.events``), every time expression, quote and claim."""
    text = doc.text
    sentences = {s.index: s for s in extraction.sentences}
    marks = [Mark(t.prov.start, t.prov.end, "time", f"time: {_interval(t.start, t.end)}")
             for t in extraction.times]
    marks += [Mark(a.prov.start, a.prov.end, "actor", f"actor: {a.name} ({a.code})")
              for a in extraction.actors]
    marks += [Mark(w.prov.start, w.prov.end, "weapon", f"weapon: {w.system or w.text}")
              for w in extraction.weapons]
    for i, mention in enumerate(extraction.events):
        for n in mention.sentences or (mention.prov.sentence,):
            if n in sentences:
                marks += hl.event_marks(text, extraction, mention, sentences[n],
                                        href=event_href.get(i), with_times=False)
    marks += [Mark(q.prov.start, q.prov.end, "quote",
                   f"quote: {q.speaker or 'speaker not identified'}") for q in extraction.quotes]
    marks += [Mark(c.prov.start, c.prov.end, "claim", f"claim: {c.kind} about {c.about}")
              for c in extraction.claims]
    # The same span found twice (an actor of two events) is one mark; an actor who is also
    # another event's target keeps the first kind found.
    unique: dict[tuple[int, int, str], Mark] = {}
    taken: set[tuple[int, int]] = set()
    for m in marks:
        key = (m.start, m.end)
        if m.kind in ("actor", "target") and key in taken:
            continue
        if m.kind in ("actor", "target"):
            taken.add(key)
        unique.setdefault((m.start, m.end, m.kind), m)
    return list(unique.values())


@dataclass(frozen=True, slots=True)
class Paragraph:
    sentences: list[tuple[int, Markup]]  # (sentence index, highlighted text)


def article_paragraphs(text: str, sentences: Sequence[Sentence], marks: Sequence[Mark]
                       ) -> list[Paragraph]:
    """The article's sentences, highlighted, grouped into its paragraphs (a blank line ends
    one)."""
    paragraphs: list[Paragraph] = [Paragraph([])]
    for s in sentences:
        body = text[s.start:s.end]
        stripped = body.rstrip()
        lead = len(stripped) - len(stripped.lstrip())
        if "\n\n" in body[:lead] and paragraphs[-1].sentences:
            paragraphs.append(Paragraph([]))
        inside = [m for m in marks if m.start < s.start + len(stripped) and m.end > s.start]
        paragraphs[-1].sentences.append(
            (s.index, render_marked(stripped[lead:], inside, s.start + lead)))
        if "\n\n" in body[len(stripped):] or "\n\n" in body[lead:len(stripped)]:
            paragraphs.append(Paragraph([]))
    return [p for p in paragraphs if p.sentences]


# -- the timeline chart ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Segment:
    category: str
    count: int
    x: float
    y: float
    width: float
    height: float
    colour: str
    href: str
    title: str


@dataclass(frozen=True, slots=True)
class Column:
    label: str
    start: date
    end: date
    counts: dict[str, int]
    total: int
    segments: list[Segment]
    href: str


@dataclass(frozen=True, slots=True)
class Chart:
    by: str  # "type" or "class"
    per: str  # day, week, month, year
    columns: list[Column]
    categories: list[tuple[str, str, int]]  # (name, colour, total)
    y_ticks: list[tuple[float, int]]  # (% from the bottom, value)
    x_labels: list[tuple[float, str, str]]  # (% from the left, label, start | middle | end)
    counted: int
    left_out: int  # undated, or dated too loosely to place in a period
    start: date | None
    end: date | None
    # The bars' own coordinates, stretched to the plot's box (preserveAspectRatio="none"):
    # the axes are HTML beside it, so that text keeps its size on every screen.
    width: int = 1000
    height: int = 100


def period_start(d: date, per: str) -> date:
    if per == "day":
        return d
    if per == "week":
        return d - timedelta(days=d.weekday())
    if per == "month":
        return d.replace(day=1)
    return d.replace(month=1, day=1)


def next_period(d: date, per: str) -> date:
    if per == "day":
        return d + timedelta(days=1)
    if per == "week":
        return d + timedelta(days=7)
    if per == "month":
        return date(d.year + d.month // 12, d.month % 12 + 1, 1)
    return date(d.year + 1, 1, 1)


def period_label(d: date, per: str) -> str:
    if per == "month":
        return f"{d.year:04d}-{d.month:02d}"
    if per == "year":
        return f"{d.year:04d}"
    return d.isoformat()


def choose_period(start: date, end: date, wanted: str = "auto") -> str:
    """The period the timeline counts by: as asked, else by the range it covers (days for two
    months, weeks for a year, months for eight years, else years), and never so fine that it
    draws more than MAX_COLUMNS bars."""
    days = (end - start).days + 1
    per = wanted if wanted in PERIODS else (
        "day" if days <= 62 else "week" if days <= 370 else "month" if days <= 8 * 366
        else "year")
    lengths = {"day": 1, "week": 7, "month": 30.4, "year": 365.25}
    while per != "year" and days / lengths[per] > MAX_COLUMNS:
        per = PERIODS[PERIODS.index(per) + 1]
    return per


def timeline_chart(days: Mapping[date, Mapping[str, int]], *, placed: int, left_out: int,
                   by: str, per: str, start: date | None, end: date | None,
                   href: Callable[[Mapping[str, str]], str]) -> Chart:
    """Events counted per period and category (their type, or each of their weapon classes),
    in stacked bars: the eight biggest categories by name, the rest as "other". ``days`` are
    the counts per first day and category (Store.event_timeline by day), ``placed`` the
    events they count and ``left_out`` those not placed. ``href(filters)`` makes the link of
    a bar segment to the event list."""
    lo = start or (min(days) if days else None)
    hi = end or (max(days) if days else None)
    if lo is None or hi is None or hi < lo:
        return Chart(by, "month", [], [], [], [], 0, left_out, lo, hi)
    per = choose_period(lo, hi, per)
    totals: Counter[str] = Counter()
    cells: Counter[tuple[date, str]] = Counter()
    for day, counted in days.items():
        for category, n in counted.items():
            totals[category] += n
            cells[(period_start(day, per), category)] += n
    ranked = [c for c, _n in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))]
    shown = ranked if len(ranked) <= len(PALETTE) else ranked[:len(PALETTE) - 1]
    colours = {c: PALETTE[i] for i, c in enumerate(sorted(shown))}
    categories = [(c, colours[c], totals[c]) for c in sorted(shown)]
    rest = sum(totals[c] for c in ranked if c not in colours)
    if rest:
        categories.append((OTHER, OTHER_COLOUR, rest))

    starts: list[date] = []
    d = period_start(lo, per)
    while d <= hi:
        starts.append(d)
        d = next_period(d, per)
    stacked: list[dict[str, int]] = []
    for s in starts:
        tally: Counter[str] = Counter()
        for c in ranked:
            if cells[(s, c)]:
                tally[c if c in colours else OTHER] += cells[(s, c)]
        stacked.append(dict(tally))
    peak = max((sum(r.values()) for r in stacked), default=0)
    step = _nice_step(peak)
    top_value = max(step, math.ceil(peak / step) * step)

    chart = Chart(by, per, [], categories, [], [], placed, left_out, lo, hi)
    slot = chart.width / len(starts)
    gap = slot * 0.2 if slot >= 4 else 0.0
    scale = chart.height / top_value
    key = "class" if by == "class" else "type"
    for i, (s, row) in enumerate(zip(starts, stacked, strict=True)):
        s_end = next_period(s, per) - timedelta(days=1)
        x = i * slot + gap / 2
        y = float(chart.height)
        label = period_label(s, per)
        segments = []
        for category, colour, _total in categories:
            n = row.get(category, 0)
            if not n:
                continue
            h = n * scale
            y -= h
            filters = {"from": s.isoformat(), "to": s_end.isoformat(), "modality": "asserted"}
            if category != OTHER:
                filters[key] = category
            segments.append(Segment(
                category, n, round(x, 2), round(y, 2), round(slot - gap, 2), round(h, 2),
                colour, href(filters),
                f"{label} · {humanize(category) if by == 'type' else category}: "
                f"{n} event{'s' if n != 1 else ''}"))
        chart.columns.append(Column(
            label, s, s_end, row, sum(row.values()), segments,
            href({"from": s.isoformat(), "to": s_end.isoformat(), "modality": "asserted"})))
    chart.y_ticks.extend((round(100 * v / top_value, 2), v)
                         for v in range(0, top_value + 1, step))
    # At most six labels; a narrow screen shows every other one (CSS).
    every = max(1, math.ceil(len(starts) / 6))
    for i in range(0, len(starts), every):
        middle = 100 * (i + 0.5) / len(starts)
        align = "start" if middle < 12 else "end" if middle > 88 else "middle"
        at = {"start": 100 * i / len(starts), "middle": middle,
              "end": 100 * (i + 1) / len(starts)}[align]
        chart.x_labels.append((round(at, 2), period_label(starts[i], per), align))
    return chart


def _nice_step(peak: int) -> int:
    """A tick step of 1, 2 or 5 times a power of ten giving at most five steps to ``peak``."""
    step = 1
    while peak > 5 * step:  # 1, 2, 5, 10, 20, 50, ...
        step = step * 5 // 2 if str(step)[0] == "2" else step * 2
    return step


# -- filters -----------------------------------------------------------------------------


@dataclass(slots=True)
class Filters:
    """The event list's filters as the form gives them (the API's, and modality), checked
    without refusing the page: a value that is wrong is left out and said so."""

    actor: str | None = None
    target: str | None = None
    type: str | None = None
    weapon: str | None = None
    weapon_class: str | None = None
    status: str | None = None
    modality: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    errors: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, query: Mapping[str, str], pack: Pack) -> Filters:
        f = cls()
        for name in ("actor", "target"):
            setattr(f, name, f._party(query.get(name, ""), name, pack))
        f.type = f._choice(query.get("type", ""), EVENT_TYPES, "type")
        f.status = f._choice(query.get("status", ""), STATUSES, "status")
        f.modality = f._choice(query.get("modality", ""), MODALITIES, "modality")
        weapon = query.get("weapon", "").strip()[:64]
        if weapon:
            known = pack.weapon(weapon)
            f.weapon = known.name if known else weapon
        f.weapon_class = query.get("class", "").strip()[:32] or None
        f.date_from = f._date(query.get("from", ""), "from")
        f.date_to = f._date(query.get("to", ""), "to")
        if f.date_from and f.date_to and f.date_to < f.date_from:
            f.errors.append(f"'to' {f.date_to} is before 'from' {f.date_from}: both left out")
            f.date_from = f.date_to = None
        return f

    def _party(self, value: str, name: str, pack: Pack) -> str | None:
        value = value.strip()
        if not value:
            return None
        if CODE.match(value.upper()) and any(a.code == value.upper() for a in pack.actors):
            return value.upper()
        actor = pack.actor(value)
        if actor is not None:
            return actor.code
        if CODE.match(value):
            return value  # a code the pack does not know may still be in the store
        self.errors.append(f"{name} {value!r}: not an actor code or name the pack knows")
        return None

    def _choice(self, value: str, allowed: Sequence[str], name: str) -> str | None:
        value = value.strip()
        if not value:
            return None
        if value in allowed:
            return value
        self.errors.append(f"{name} {value!r}: not one of {', '.join(allowed)}")
        return None

    def _date(self, value: str, name: str) -> date | None:
        value = value.strip()
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.errors.append(f"{name} {value!r}: not a date (YYYY-MM-DD)")
            return None

    def store_kwargs(self) -> dict[str, Any]:
        return {"actor": self.actor, "target": self.target, "type": self.type,
                "weapon": self.weapon, "weapon_class": self.weapon_class,
                "status": self.status, "modality": self.modality,
                "date_from": self.date_from, "date_to": self.date_to}

    def params(self) -> dict[str, str]:
        """The filters in force as query parameters, for links that keep them."""
        out = {"actor": self.actor, "target": self.target, "type": self.type,
               "weapon": self.weapon, "class": self.weapon_class, "status": self.status,
               "modality": self.modality,
               "from": self.date_from.isoformat() if self.date_from else None,
               "to": self.date_to.isoformat() if self.date_to else None}
        return {k: v for k, v in out.items() if v}


# -- helpers for the templates -----------------------------------------------------------


def humanize(name: str) -> str:
    """"weapon_test" -> "Weapon test"."""
    text = name.replace("_", " ")
    return text[:1].upper() + text[1:]


def _interval(start: date | None, end: date | None) -> str:
    if start is None:
        return "not placed"
    return start.isoformat() if end in (None, start) else f"{start.isoformat()} to {end}"


def when(value: datetime | str | None) -> str:
    """A moment as "2016-01-06 07:05 UTC" or "2016-01-06 16:05 +09:00"."""
    if value is None:
        return ""
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        return str(value)
    text = moment.strftime("%Y-%m-%d %H:%M")
    offset = moment.strftime("%z")
    if not offset:
        return text
    return f"{text} UTC" if offset == "+0000" else f"{text} {offset[:3]}:{offset[3:]}"


def query_string(params: Mapping[str, object], **changes: object) -> str:
    merged = {**params, **changes}
    clean = {k: str(v) for k, v in merged.items() if v not in (None, "")}
    return "?" + urlencode(clean) if clean else ""


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    css = (STATIC / "dashboard.css").read_bytes()
    env.globals.update(
        humanize=humanize, date_label=date_label, when=when, q=query_string, kinds=KINDS, zip=zip,
        status_meaning=STATUS_MEANING, verdict_meaning=VERDICT_MEANING,
        css_version=hashlib.sha256(css).hexdigest()[:12])
    return env


# -- the pages ---------------------------------------------------------------------------


def dashboard_router() -> APIRouter:
    """The dashboard's routes under ``/ui/``, with its static files;
    ``app.include_router(dashboard_router())`` serves it from the API's app."""
    env = _environment()
    router = APIRouter(include_in_schema=False)
    router.mount(f"{PREFIX}/static", StaticFiles(directory=STATIC), name="ui-static")

    def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        html = env.get_template(template).render(
            root=root, base=root + PREFIX, path=request.url.path, pack=request.app.state.pack,
            **context)
        return HTMLResponse(html, status_code=status)

    def not_found(request: Request, what: str) -> HTMLResponse:
        return page(request, "error.html", 404, title="Not found", heading="Not found",
                    message=what)

    def tidy(request: Request, params: Mapping[str, str]) -> Response | None:
        """A redirect to the page's URL with only the parameters in force, written as the page
        reads them (a form sends every field, empty ones too; "North Korea" is PRK)."""
        if sorted(request.query_params.multi_items()) == sorted(params.items()):
            return None
        return RedirectResponse(request.url.path + query_string(params), status_code=303)

    def parts(request: Request) -> tuple[Store, Pack, Highlighter]:
        pack: Pack = request.app.state.pack
        return request.app.state.store, pack, Highlighter(pack)

    @router.get(PREFIX)
    def ui_root() -> Response:
        return RedirectResponse(f"{PREFIX}/", status_code=307)

    @router.get(f"{PREFIX}/", response_class=HTMLResponse)
    def overview(request: Request) -> Response:
        store, pack, hl = parts(request)
        query = request.query_params
        by = "class" if query.get("by") == "class" else "type"
        per = query.get("per", "auto")
        per = per if per in PERIODS else "auto"
        dates = Filters.read({k: query.get(k, "") for k in ("from", "to")}, pack)
        chart_params = {**({"by": by} if by != "type" else {}),
                        **({"per": per} if per != "auto" else {}), **dates.params()}
        if not dates.errors and (moved := tidy(request, chart_params)):
            return moved
        # Counted in the database, not read event by event: 100,000 events took seconds.
        scope: dict[str, Any] = {"modality": "asserted", "date_from": dates.date_from,
                                 "date_to": dates.date_to}
        found = store.event_timeline(by=by, interval="day", **scope)
        days = {date.fromisoformat(label): dict(counted) for label, counted in found["periods"]}
        unclassed = sum(c.pop("none", 0) for c in days.values()) if by == "class" else 0
        base = request.scope.get("root_path", "") + PREFIX

        def href(filters: Mapping[str, str]) -> str:
            return f"{base}/events{query_string(filters)}"

        chart = timeline_chart(days, placed=found["events"] - unclassed,
                               left_out=found["undated"] + found["loose"] + unclassed, by=by,
                               per=per, start=dates.date_from, end=dates.date_to, href=href)
        latest = [e for e in store.consolidated_events(**scope, sort="-date", limit=10,
                                                       with_reports=False)
                  if e.date_start]
        counts = store.counts("documents", "events", "quotes", "claims", "reference_sets")
        statuses = Counter(store.event_counts("status", **scope))
        return page(request, "overview.html", title="Overview", chart=chart, by=by, per=per,
                    filters=dates, latest=latest, counts=counts, statuses=statuses,
                    hl=hl, chart_params=chart_params)

    @router.get(f"{PREFIX}/events", response_class=HTMLResponse)
    def event_list(request: Request) -> Response:
        store, pack, hl = parts(request)
        query = request.query_params
        f = Filters.read(query, pack)
        try:
            page_no = min(max(1, int(query.get("page", "1"))), MAX_PAGE_NO)
        except ValueError:
            page_no = 1
        canonical = {**f.params(), **({"page": str(page_no)} if page_no > 1 else {})}
        if not f.errors and (moved := tidy(request, canonical)):
            return moved
        offset = (page_no - 1) * PAGE_SIZE
        # Counted in the database and read a page at a time, however many match.
        statuses = Counter(store.event_counts("status", **f.store_kwargs()))
        found = store.consolidated_events(**f.store_kwargs(), limit=PAGE_SIZE + 1,
                                          offset=offset, with_reports=False)
        shown, more = found[:PAGE_SIZE], len(found) > PAGE_SIZE
        return page(request, "events.html", title="Events", filters=f, events=shown,
                    total=sum(statuses.values()), statuses=statuses,
                    page_no=page_no, offset=offset, more=more, hl=hl, page_size=PAGE_SIZE,
                    statuses_all=STATUSES, types=EVENT_TYPES, modalities=MODALITIES,
                    classes=sorted({t.weapon_class for t in pack.weapon_classes}
                                   | {c for w in pack.weapons for c in w.classes}),
                    actors=sorted({(a.code, a.name) for a in pack.actors if a.kind != "person"
                                   and pack.actor(a.code) is a}),
                    weapons=sorted(w.name for w in pack.weapons))

    @router.get(f"{PREFIX}/events/{{event_id}}", response_class=HTMLResponse)
    def event_page(request: Request, event_id: str) -> HTMLResponse:
        store, _pack, hl = parts(request)
        try:
            event = store.consolidated_event(event_id[:64])
        except WatchfloorError as exc:  # a prefix that fits several events
            return page(request, "error.html", 400, title="Which event?",
                        heading="Which event?", message=exc.message)
        if event is None:
            return not_found(request, f"No event has the id {event_id!r}.")
        details = store.report_details(event.reports)
        # The articles behind each disagreeing value, by title (most are reports already).
        documents = {doc.id: doc for _k, doc, _m in details if doc}
        others = {d for dis in event.disagreements.values() for _v, docs, _n in dis.values
                  for d in docs if d not in documents}
        documents.update((d.id, d) for d in store.documents(ids=sorted(others)))
        extractions: dict[str, Extraction | None] = {}
        reports = []
        for (doc_id, _ordinal), doc, mention in details:
            if doc_id not in extractions:
                extractions[doc_id] = store.extraction(doc_id)
            reports.append(_report(doc_id, doc, mention, extractions[doc_id], hl))
        reports.sort(key=lambda r: (r["published"] or "", r["doc_id"]))
        return page(request, "event.html", title=f"{humanize(event.type)}, "
                    f"{date_label(event) or 'undated'}", event=event, reports=reports,
                    documents=documents, hl=hl, changes=store.event_changes(event.id))

    @router.get(f"{PREFIX}/documents/{{doc_id}}", response_class=HTMLResponse)
    def document_page(request: Request, doc_id: str) -> HTMLResponse:
        store, _pack, hl = parts(request)
        doc = store.document(doc_id[:64])
        if doc is None:
            return not_found(request, f"No article has the id {doc_id!r}.")
        extraction = store.extraction(doc.id)
        assigned = store.event_assignments(doc.id)
        base = request.scope.get("root_path", "") + PREFIX
        events = []
        event_href: dict[int, str] = {}
        if extraction is not None:
            ordinals = {m.id: o for _d, o, m in store.reports(doc.id)}
            for i, mention in enumerate(extraction.events):
                record = assigned.get((doc.id, ordinals.get(mention.id, -1)))
                if record is not None:
                    event_href[i] = f"{base}/events/{record}"
                events.append((mention, record))
            marks = document_marks(doc, extraction, hl, event_href)
            paragraphs = article_paragraphs(doc.text, extraction.sentences, marks)
            counts = Counter(m.kind for m in marks)
        else:
            whole = Sentence(0, 0, len(doc.text), doc.text)
            paragraphs = article_paragraphs(doc.text, [whole], [])
            counts = Counter()
        return page(request, "document.html", title=doc.title or "Article", doc=doc,
                    paragraphs=paragraphs, events=events, extracted=extraction is not None,
                    counts=counts, hl=hl)

    @router.get(f"{PREFIX}/quotes", response_class=HTMLResponse)
    def quotes_page(request: Request) -> HTMLResponse:
        store, _pack, hl = parts(request)
        actor = request.query_params.get("actor", "").strip().upper() or None
        try:
            page_no = min(max(1, int(request.query_params.get("page", "1"))), MAX_PAGE_NO)
        except ValueError:
            page_no = 1
        counts = store.quote_counts()
        total = counts.get(actor, 0) if actor else sum(counts.values())
        # A page of the board at a time, in article order, however many quotes are stored.
        quotes = store.quotes(speaker_actor=actor, limit=QUOTES_PER_PAGE,
                              offset=(page_no - 1) * QUOTES_PER_PAGE)
        docs = {d.id: d for d in store.documents(ids=sorted({q.prov.doc_id for q in quotes}))}
        groups: dict[str, dict[str, list[Any]]] = {}
        for quote in quotes:
            group = groups.setdefault(quote.speaker_actor or "", {})
            group.setdefault(quote.speaker or "speaker not identified", []).append(
                (quote, docs.get(quote.prov.doc_id)))
        ordered = sorted(groups.items(), key=lambda kv: (
            kv[0] == "", -sum(len(v) for v in kv[1].values()), kv[0]))
        every = sorted(code for code in counts if code)
        return page(request, "quotes.html", title="Quotes", groups=ordered, actor=actor,
                    total=total, codes=every, hl=hl, page_no=page_no,
                    pages=max(1, -(-total // QUOTES_PER_PAGE)),
                    first=(page_no - 1) * QUOTES_PER_PAGE + 1 if quotes else 0,
                    last=(page_no - 1) * QUOTES_PER_PAGE + len(quotes))

    @router.get(f"{PREFIX}/claims", response_class=HTMLResponse)
    def claims_page(request: Request) -> HTMLResponse:
        store, pack, hl = parts(request)
        verdict = request.query_params.get("verdict", "")
        checked = check_claims(store, pack)
        tally = Counter(c.check.verdict for c in checked)
        shown = [c for c in checked if c.check.verdict == verdict] if verdict in VERDICTS \
            else checked
        docs = {d.id: d for d in store.documents(ids=sorted({c.claim.prov.doc_id
                                                              for c in shown}))}
        return page(request, "claims.html", title="Claims", claims=shown, tally=tally,
                    verdict=verdict if verdict in VERDICTS else "", verdicts=VERDICTS,
                    docs=docs, total=len(checked), hl=hl)

    @router.get(f"{PREFIX}/{{rest:path}}", response_class=HTMLResponse)
    def nowhere(request: Request, rest: str) -> HTMLResponse:
        return not_found(request, f"There is no dashboard page at {request.url.path!r}.")

    return router


def _report(doc_id: str, doc: Document | None, mention: EventMention | None,
            extraction: Extraction | None, hl: Highlighter) -> dict[str, Any]:
    """One report of an event for the event page: the article and each sentence reporting
    the event, highlighted."""
    sentences: list[tuple[int, Markup]] = []
    if doc is not None and mention is not None:
        by_index = {s.index: s for s in extraction.sentences} if extraction else {}
        for n in mention.sentences or (mention.prov.sentence,):
            s = by_index.get(n)
            if s is None or extraction is None:
                continue
            stripped = doc.text[s.start:s.end].rstrip()
            lead = len(stripped) - len(stripped.lstrip())
            marks = hl.event_marks(doc.text, extraction, mention, s)
            sentences.append((n, render_marked(stripped[lead:], marks, s.start + lead)))
        if not sentences and mention.evidence:
            sentences.append((mention.prov.sentence, Markup(escape(mention.evidence))))
    return {
        "doc_id": doc_id, "doc": doc, "mention": mention, "sentences": sentences,
        "published": doc.published.isoformat() if doc and doc.published else None,
    }
