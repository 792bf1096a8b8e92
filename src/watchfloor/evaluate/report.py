"""The evaluation report: counts and metrics, a JSON-ready dict, and Rich tables.

Every metric is kept as the counts behind it (:class:`Prf`, :class:`Ratio`), so corpus figures
are micro averages (counts summed over articles, then divided) and a reader can always see
how many items a figure rests on. A metric with nothing to measure is ``None`` ("n/a"), never
a made-up 0 or 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from watchfloor.evaluate.clusters import ClusterScore
    from watchfloor.evaluate.score import DocScore

# The metrics the quality gate may put a floor under (gate.py), by name.
GATE_METRICS: tuple[str, ...] = (
    "event_f1",
    "strict_event_f1",
    "asserted_precision",
    "quote_speaker_accuracy",
    "claim_f1",
    "bcubed_f1",
)

# What each attribute accuracy is taken over; printed with the figures so nobody has to guess.
ATTRIBUTE_SCOPE: dict[str, str] = {
    "modality": "all aligned event pairs",
    "date": "all aligned event pairs (right where gold has no date)",
    "weapon": "aligned pairs whose gold names a weapon",
    "weapon_class": "aligned pairs whose gold gives a weapon class (compared as sets)",
    "quote_speaker": "gold quotes whose text a predicted quote starts with",
}


@dataclass(frozen=True, slots=True)
class Prf:
    """Counts behind precision, recall and F1: gold items, predictions, aligned pairs."""

    gold: int
    pred: int
    aligned: int

    @property
    def precision(self) -> float | None:
        return self.aligned / self.pred if self.pred else None

    @property
    def recall(self) -> float | None:
        return self.aligned / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        # 2tp / (2tp + fp + fn); undefined only when there is nothing on either side.
        total = self.gold + self.pred
        return 2 * self.aligned / total if total else None

    def __add__(self, other: Prf) -> Prf:
        return Prf(self.gold + other.gold, self.pred + other.pred, self.aligned + other.aligned)

    def to_dict(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "pred": self.pred,
            "aligned": self.aligned,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass(frozen=True, slots=True)
class Ratio:
    """An accuracy or a precision share: right out of total."""

    right: int
    total: int

    @property
    def value(self) -> float | None:
        return self.right / self.total if self.total else None

    def __add__(self, other: Ratio) -> Ratio:
        return Ratio(self.right + other.right, self.total + other.total)

    def to_dict(self) -> dict[str, Any]:
        return {"right": self.right, "total": self.total, "value": self.value}


@dataclass(frozen=True, slots=True)
class TypeRow:
    type: str
    events: Prf  # precision counts the predictions of this type


@dataclass(frozen=True, slots=True)
class ArticleRow:
    file: str
    events: Prf
    strict_events: Prf


def _sum_prf(items: Sequence[Prf]) -> Prf:
    return sum(items, Prf(0, 0, 0))


def _sum_ratio(items: Sequence[Ratio]) -> Ratio:
    return sum(items, Ratio(0, 0))


@dataclass(frozen=True, slots=True)
class Report:
    documents: int
    events: Prf
    strict_events: Prf
    asserted_precision: Ratio
    modality: Ratio
    date: Ratio
    weapon: Ratio
    weapon_class: Ratio
    per_type: tuple[TypeRow, ...]
    articles: tuple[ArticleRow, ...]
    quotes: Prf
    quote_speaker: Ratio
    claims: Prf
    warnings: tuple[str, ...]
    docs: tuple[DocScore, ...] = ()
    # Gold files that could not be scored, each as its error message (evaluate_dir).
    failed: tuple[str, ...] = ()
    # Cross-document merging, when the folder has a clusters.yaml (evaluate.clusters).
    clusters: ClusterScore | None = None

    @classmethod
    def from_scores(cls, scores: Sequence[DocScore]) -> Report:
        by_type: dict[str, Prf] = {}
        for s in scores:
            for row in s.per_type:
                by_type[row.type] = by_type.get(row.type, Prf(0, 0, 0)) + row.events
        return cls(
            documents=len(scores),
            events=_sum_prf([s.events for s in scores]),
            strict_events=_sum_prf([s.strict_events for s in scores]),
            asserted_precision=_sum_ratio([s.asserted_precision for s in scores]),
            modality=_sum_ratio([s.modality for s in scores]),
            date=_sum_ratio([s.date for s in scores]),
            weapon=_sum_ratio([s.weapon for s in scores]),
            weapon_class=_sum_ratio([s.weapon_class for s in scores]),
            per_type=tuple(TypeRow(t, by_type[t]) for t in sorted(by_type)),
            articles=tuple(ArticleRow(s.file, s.events, s.strict_events) for s in scores),
            quotes=_sum_prf([s.quotes for s in scores]),
            quote_speaker=_sum_ratio([s.quote_speaker for s in scores]),
            claims=_sum_prf([s.claims for s in scores]),
            warnings=tuple(w for s in scores for w in s.warnings),
            docs=tuple(scores),
        )

    def metrics(self) -> dict[str, float | None]:
        """Headline figures by name (the names the gate's floors use)."""
        return {
            "event_precision": self.events.precision,
            "event_recall": self.events.recall,
            "event_f1": self.events.f1,
            "strict_event_f1": self.strict_events.f1,
            "asserted_precision": self.asserted_precision.value,
            "modality_accuracy": self.modality.value,
            "date_accuracy": self.date.value,
            "weapon_accuracy": self.weapon.value,
            "weapon_class_accuracy": self.weapon_class.value,
            "quote_f1": self.quotes.f1,
            "quote_speaker_accuracy": self.quote_speaker.value,
            "claim_f1": self.claims.f1,
            "bcubed_f1": self.clusters.bcubed.f1 if self.clusters else None,
            "bcubed_end_to_end_f1": self.clusters.end_to_end.f1 if self.clusters else None,
            "independent_sources_accuracy": (
                self.clusters.sources_right if self.clusters else None),
        }

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, keys in a fixed order."""
        return {
            "documents": self.documents,
            "metrics": self.metrics(),
            "events": self.events.to_dict(),
            "strict_events": self.strict_events.to_dict(),
            "asserted_precision": self.asserted_precision.to_dict(),
            "attributes": {
                "modality": self.modality.to_dict(),
                "date": self.date.to_dict(),
                "weapon": self.weapon.to_dict(),
                "weapon_class": self.weapon_class.to_dict(),
            },
            "attribute_scope": dict(ATTRIBUTE_SCOPE),
            "per_type": [{"type": r.type, **r.events.to_dict()} for r in self.per_type],
            "quotes": self.quotes.to_dict(),
            "quote_speaker_accuracy": self.quote_speaker.to_dict(),
            "claims": self.claims.to_dict(),
            "articles": (
                [_article_dict(d) for d in self.docs]
                if self.docs
                else [_row_dict(r) for r in self.articles]
            ),
            "clusters": self.clusters.to_dict() if self.clusters else None,
            "warnings": list(self.warnings),
            "failed": list(self.failed),
        }

    def render(self, console: Console, *, errors: bool = False) -> None:
        """Print the overall, per-type and per-article tables; with errors, the false
        positives and misses of every article too."""
        console.print(_overall_table(self))
        console.print(_type_table(self))
        console.print(_article_table(self))
        if self.clusters is not None:
            console.print(_cluster_table(self.clusters))
        if errors:
            for doc in self.docs:
                _render_errors(console, doc)
        for w in self.warnings:
            console.print(Text(f"warning: {w}", style="yellow"))
        for f in self.failed:
            console.print(Text(f"not scored: {f}", style="red"))


def _cluster_table(c: ClusterScore) -> Table:
    table = Table(title="Cross-document merging (clusters.yaml)", box=box.SIMPLE_HEAD)
    for col in ("metric", "value", "over", ""):
        table.add_column(col)
    for name, b, over in (("B-cubed", c.bcubed, "gold events found"),
                          ("B-cubed end to end", c.end_to_end, "every gold event")):
        table.add_row(f"{name} precision", _fmt(b.precision), str(b.items), over)
        table.add_row(f"{name} recall", _fmt(b.recall), "", "")
        table.add_row(f"{name} F1", _fmt(b.f1), "", "")
    scored = [s for s in c.sources if s.predicted is not None]
    table.add_row("independent sources right", _fmt(c.sources_right),
                  f"{sum(s.gold == s.predicted for s in scored)}/{len(scored)}",
                  f"of {c.multi_clusters} multi-report clusters")
    table.add_row("syndicated copies linked", f"{c.copies_found}/{c.copies_gold}",
                  f"{c.copies_false} false", "")
    for s in c.sources:
        shown = "-" if s.predicted is None else str(s.predicted)
        table.add_row(f"  {s.cluster}", f"sources {shown}", f"gold {s.gold}", "")
    return table


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _row_dict(row: ArticleRow) -> dict[str, Any]:
    return {
        "file": row.file,
        "events": row.events.to_dict(),
        "strict_event_f1": row.strict_events.f1,
    }


def _article_dict(doc: DocScore) -> dict[str, Any]:
    return {
        "file": doc.file,
        "events": doc.events.to_dict(),
        "strict_event_f1": doc.strict_events.f1,
        "quotes": doc.quotes.to_dict(),
        "claims": doc.claims.to_dict(),
        "false_events": [asdict(x) for x in doc.false_events],
        "missed_events": [asdict(x) for x in doc.missed_events],
        "false_quotes": [asdict(x) for x in doc.false_quotes],
        "missed_quotes": [asdict(x) for x in doc.missed_quotes],
        "false_claims": [asdict(x) for x in doc.false_claims],
        "missed_claims": [asdict(x) for x in doc.missed_claims],
        "warnings": list(doc.warnings),
    }


def _prf_rows(table: Table, name: str, prf: Prf) -> None:
    table.add_row(f"{name} precision", _fmt(prf.precision), f"{prf.aligned}/{prf.pred}", "")
    table.add_row(f"{name} recall", _fmt(prf.recall), f"{prf.aligned}/{prf.gold}", "")
    table.add_row(f"{name} F1", _fmt(prf.f1), "", "")


def _ratio_row(table: Table, name: str, ratio: Ratio, over: str) -> None:
    table.add_row(name, _fmt(ratio.value), f"{ratio.right}/{ratio.total}", over)


def _render_errors(console: Console, doc: DocScore) -> None:
    lists: list[tuple[str, list[str], list[tuple[object, ...]]]] = [
        (
            "false positive events",
            ["type", "actor", "target", "modality", "date", "sentence"],
            [(e.type, e.actor, e.target, e.modality, e.date, e.sentence) for e in doc.false_events],
        ),
        (
            "missed gold events",
            ["id", "type", "actor", "target", "evidence"],
            [(e.id, e.type, e.actor, e.target, e.evidence) for e in doc.missed_events],
        ),
        (
            "false positive quotes",
            ["speaker", "speaker_actor", "text"],
            [(q.speaker, q.speaker_actor, q.text) for q in doc.false_quotes],
        ),
        (
            "missed gold quotes",
            ["speaker", "speaker_actor", "text_startswith"],
            [(q.speaker, q.speaker_actor, q.text_startswith) for q in doc.missed_quotes],
        ),
        (
            "false positive claims",
            ["kind", "about", "actor", "value", "since", "evidence"],
            [(c.kind, c.about, c.actor, c.value, c.since, c.evidence) for c in doc.false_claims],
        ),
        (
            "missed gold claims",
            ["kind", "about", "actor", "value", "since", "evidence"],
            [(c.kind, c.about, c.actor, c.value, c.since, c.evidence) for c in doc.missed_claims],
        ),
    ]
    for title, columns, rows in lists:
        if not rows:
            continue
        table = Table(title=Text(f"{doc.file}: {title}"), title_justify="left")
        for col in columns:
            table.add_column(col, overflow="fold")
        for row in rows:
            # Text, not markup: article sentences may contain "[...]".
            table.add_row(*(Text("" if v is None else str(v)) for v in row))
        console.print(table)


def _overall_table(report: Report) -> Table:
    table = Table(title=f"Overall ({report.documents} articles)", title_justify="left")
    for col in ("metric", "value", "count", "over"):
        table.add_column(col)
    _prf_rows(table, "event", report.events)
    strict = report.strict_events
    table.add_row(
        "strict event F1",
        _fmt(strict.f1),
        str(strict.aligned),
        "pairs with modality and date right",
    )
    _ratio_row(table, "asserted precision", report.asserted_precision, "asserted predictions")
    for name, ratio in (
        ("modality", report.modality),
        ("date", report.date),
        ("weapon", report.weapon),
        ("weapon_class", report.weapon_class),
    ):
        _ratio_row(table, f"{name.replace('_', ' ')} accuracy", ratio, ATTRIBUTE_SCOPE[name])
    _prf_rows(table, "quote", report.quotes)
    _ratio_row(
        table, "quote speaker accuracy", report.quote_speaker, ATTRIBUTE_SCOPE["quote_speaker"]
    )
    _prf_rows(table, "claim", report.claims)
    return table


def _type_table(report: Report) -> Table:
    table = Table(title="Events by type", title_justify="left")
    for col in ("type", "gold", "pred", "aligned", "precision", "recall", "F1"):
        table.add_column(col, justify="left" if col == "type" else "right")
    for row in report.per_type:
        e = row.events
        table.add_row(
            row.type,
            str(e.gold),
            str(e.pred),
            str(e.aligned),
            _fmt(e.precision),
            _fmt(e.recall),
            _fmt(e.f1),
        )
    return table


def _article_table(report: Report) -> Table:
    table = Table(title="Events by article", title_justify="left")
    for col in ("file", "gold", "pred", "aligned", "F1", "strict F1"):
        table.add_column(col, justify="left" if col == "file" else "right")
    for row in report.articles:
        e = row.events
        table.add_row(
            Text(row.file),
            str(e.gold),
            str(e.pred),
            str(e.aligned),
            _fmt(e.f1),
            _fmt(row.strict_events.f1),
        )
    return table
