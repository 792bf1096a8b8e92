"""Cross-document evaluation: does consolidation make one record of the many reports of one
event, and does it count independent sources right?

The gold is a ``clusters.yaml`` beside the gold files (the format of GOLD_FORMAT.md has no key
for it, so it lives in a file of its own): clusters of gold events ("FILE#EVENT_ID") that
report one real-world event, every gold event in no cluster an event of its own, and the
syndicated copies (``duplicates``: copy -> the article it copies). corpus/reports/README.md
documents it.

**B-cubed.** Each gold event is an item. Its gold cluster is the gold cluster it is in; its
predicted cluster is the set of gold events whose aligned predictions (the one-to-one alignment
of the article's eval) consolidation put in the same event. Per item, precision is the share
of its predicted cluster in its gold cluster and recall the share of its gold cluster in its
predicted cluster; both are averaged over items (Bagga and Baldwin, 1998).

- ``bcubed`` is measured over the gold events that extraction found (aligned): it scores the
  merging itself, not extraction, whose misses the event F1 already counts.
- ``bcubed_end_to_end`` counts every gold event, a missed one as a cluster of its own: what a
  user sees of the whole pipeline.

**Independent sources.** For each gold cluster of two or more events, the gold count is the
number of distinct sources among its events: the outlet the gold evidence cites ("KCNA said"),
else the outlet of the article, or of the article it copies (consolidate.attribution); the
predicted count is the ``sources`` of the consolidated event that holds most of the cluster's
aligned events (syndicated copies found by consolidate.neardup). Scored as the share of
clusters whose count is right.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any

import yaml

from watchfloor.consolidate.attribution import Attributions
from watchfloor.consolidate.events import Report as ConsolidationReport
from watchfloor.consolidate.events import consolidate
from watchfloor.consolidate.neardup import ArticleText, find_near_duplicates
from watchfloor.consolidate.run import actor_zones, place_of, report_source, source_of
from watchfloor.errors import E, WatchfloorError
from watchfloor.evaluate.gold import CLUSTERS_FILE, GoldDocument
from watchfloor.evaluate.score import DocScore
from watchfloor.pack import Pack
from watchfloor.records import Document, Extraction

Item = tuple[str, str]  # (article file name, gold event id)


@dataclass(frozen=True, slots=True)
class GoldClusters:
    path: Path
    clusters: tuple[tuple[str, tuple[Item, ...]], ...]  # (cluster id, its gold events)
    duplicates: Mapping[str, str]  # copy file -> original file


@dataclass(frozen=True, slots=True)
class BCubed:
    items: int
    precision: float | None
    recall: float | None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return None if p is None or r is None else 0.0
        return 2 * p * r / (p + r)

    def to_dict(self) -> dict[str, Any]:
        def r3(v: float | None) -> float | None:
            return None if v is None else round(v, 3)

        return {"items": self.items, "precision": r3(self.precision),
                "recall": r3(self.recall), "f1": r3(self.f1)}


@dataclass(frozen=True, slots=True)
class SourceRow:
    cluster: str
    gold: int
    predicted: int | None  # None when no event of the cluster was found


@dataclass(frozen=True, slots=True)
class ClusterScore:
    bcubed: BCubed  # over the gold events extraction found
    end_to_end: BCubed  # over every gold event
    gold_events: int
    multi_clusters: int  # gold clusters of two or more events
    copies_gold: int
    copies_found: int  # of the gold copies, how many near-duplicate detection linked right
    copies_false: int  # links to no gold copy
    sources: tuple[SourceRow, ...]

    @property
    def sources_right(self) -> float | None:
        scored = [s for s in self.sources if s.predicted is not None]
        return sum(s.gold == s.predicted for s in scored) / len(scored) if scored else None

    def to_dict(self) -> dict[str, Any]:
        right = self.sources_right
        return {
            "bcubed": self.bcubed.to_dict(),
            "bcubed_end_to_end": self.end_to_end.to_dict(),
            "gold_events": self.gold_events,
            "multi_report_clusters": self.multi_clusters,
            "copies": {"gold": self.copies_gold, "found": self.copies_found,
                       "false": self.copies_false},
            "independent_sources_accuracy": None if right is None else round(right, 3),
            "sources": [{"cluster": s.cluster, "gold": s.gold, "predicted": s.predicted}
                        for s in self.sources],
        }


def load_clusters(root: Path, articles: Sequence[GoldDocument]) -> GoldClusters | None:
    """The folder's clusters.yaml checked against its gold files; None when there is none."""
    path = (root.parent if root.is_file() else root) / CLUSTERS_FILE
    if not path.is_file():
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise WatchfloorError(E.W501, path=path, detail=f"cannot read it: {exc}") from exc
    if not isinstance(data, dict) or set(data) - {"clusters", "duplicates"}:
        raise WatchfloorError(E.W501, path=path,
                              detail="the top level takes 'clusters' and 'duplicates' only")
    events = {(g.file.name, e.id) for g in articles for e in g.events}
    files = {g.file.name for g in articles}
    clusters: list[tuple[str, tuple[Item, ...]]] = []
    seen: dict[Item, str] = {}
    for i, entry in enumerate(data.get("clusters") or []):
        if not isinstance(entry, dict) or not isinstance(entry.get("events"), list):
            raise WatchfloorError(E.W501, path=path,
                                  detail=f"cluster {i + 1}: give 'id' and a list 'events'")
        name = str(entry.get("id", f"cluster {i + 1}"))
        items: list[Item] = []
        for ref in entry["events"]:
            file, _, event_id = str(ref).partition("#")
            if (file, event_id) not in events:
                raise WatchfloorError(E.W501, path=path, detail=(
                    f"cluster {name}: {ref!r} names no gold event (write FILE#EVENT_ID, "
                    "FILE an article beside its gold file)"))
            if (file, event_id) in seen:
                raise WatchfloorError(E.W501, path=path, detail=(
                    f"cluster {name}: {ref!r} is already in cluster {seen[(file, event_id)]}"))
            seen[(file, event_id)] = name
            items.append((file, event_id))
        clusters.append((name, tuple(items)))
    duplicates: dict[str, str] = {}
    for copy, original in (data.get("duplicates") or {}).items():
        if copy not in files or original not in files:
            raise WatchfloorError(E.W501, path=path, detail=(
                f"duplicates: {copy!r} -> {original!r} names an article that has no gold file"))
        duplicates[str(copy)] = str(original)
    return GoldClusters(path, tuple(clusters), duplicates)


def score_clusters(gold: GoldClusters,
                   runs: Sequence[tuple[GoldDocument, Document, Extraction, DocScore]],
                   pack: Pack) -> ClusterScore:
    """Consolidate the predictions of every article and score the clustering (see above)."""
    docs = {doc.id: doc for _, doc, _, _ in runs}
    file_of = {doc.id: g.file.name for g, doc, _, _ in runs}
    links = {link.doc_id: link.original_id for link in find_near_duplicates(
        ArticleText(id=doc.id, text=doc.text, published=doc.published, order=i)
        for i, (_, doc, _, _) in enumerate(runs))}
    cited = Attributions(pack)
    reports: list[ConsolidationReport] = []
    for _g, doc, extraction, _s in runs:
        root = links.get(doc.id, doc.id)
        published = (doc.published.astimezone(UTC).isoformat()
                     if doc.published is not None and doc.published.tzinfo is not None
                     else doc.published.isoformat() if doc.published is not None else "")
        for i, m in enumerate(extraction.events):
            source, state = report_source(m, docs.get(root), root, pack, cited)
            reports.append(ConsolidationReport(doc.id, i, m, published, source, state,
                                               place_of(m.location, pack), doc.tz))
    events = consolidate(reports, {}, None, actor_zones(pack, {r.mention.actor for r in reports}))
    event_of = {key: e.id for e in events for key in e.reports}
    sources_of = {e.id: e.sources for e in events}

    # every gold event, and the consolidated event of its aligned prediction
    predicted: dict[Item, str | None] = {}
    for g, doc, extraction, score in runs:
        index = {m.id: i for i, m in enumerate(extraction.events)}
        aligned = {p.gold_id: p.pred_id for p in score.pairs}
        for ev in g.events:
            pred = aligned.get(ev.id)
            predicted[(g.file.name, ev.id)] = (
                event_of.get((doc.id, index[pred])) if pred in index else None)
    cluster_of: dict[Item, str] = {}
    for name, items in gold.clusters:
        for item in items:
            cluster_of[item] = name
    for item in predicted:
        cluster_of.setdefault(item, f"{item[0]}#{item[1]}")

    found = [i for i, e in predicted.items() if e is not None]
    bcubed = _bcubed(found, cluster_of, predicted)
    end_to_end = _bcubed(list(predicted), cluster_of, predicted)

    original_of = {f: gold.duplicates.get(f, f) for f in file_of.values()}
    outlets = {g.file.name: doc for g, doc, _, _ in runs}
    evidence = {(g.file.name, e.id): (e.evidence, e.actor) for g, _, _, _ in runs
                for e in g.events}

    def gold_source(item: Item) -> str:
        said = cited.of(*evidence[item])
        if said is not None:
            return f"outlet:{said.outlet}"
        original = original_of.get(item[0], item[0])
        return source_of(outlets.get(original), original, pack)[0]

    rows: list[SourceRow] = []
    for name, items in gold.clusters:
        if len(items) < 2:
            continue
        truth = {gold_source(item) for item in items}
        held = Counter(e for i in items if (e := predicted.get(i)) is not None)
        guess = sources_of[held.most_common(1)[0][0]] if held else None
        rows.append(SourceRow(name, len(truth), guess))
    gold_copies = set(gold.duplicates.items())
    found_copies = {(file_of[c], file_of[o]) for c, o in links.items()}
    return ClusterScore(
        bcubed=bcubed, end_to_end=end_to_end, gold_events=len(predicted),
        multi_clusters=sum(len(items) > 1 for _, items in gold.clusters),
        copies_gold=len(gold_copies), copies_found=len(gold_copies & found_copies),
        copies_false=len(found_copies - gold_copies), sources=tuple(rows),
    )


def _bcubed(items: Sequence[Item], gold: Mapping[Item, str],
            predicted: Mapping[Item, str | None]) -> BCubed:
    if not items:
        return BCubed(0, None, None)
    # a gold event extraction missed is a predicted cluster of its own
    label = {i: (predicted[i] or f"missed:{i[0]}#{i[1]}") for i in items}
    by_gold: dict[str, set[Item]] = {}
    by_pred: dict[str, set[Item]] = {}
    for i in items:
        by_gold.setdefault(gold[i], set()).add(i)
        by_pred.setdefault(label[i], set()).add(i)
    p = r = 0.0
    for i in items:
        g, q = by_gold[gold[i]], by_pred[label[i]]
        both = len(g & q)
        p += both / len(q)
        r += both / len(g)
    return BCubed(len(items), p / len(items), r / len(items))
