"""Run extraction over a gold folder and score it.

Each article is ingested with the gold file's ``published``, ``url`` and ``title`` as its
metadata (GOLD_FORMAT.md: the evaluation measures extraction, not metadata guessing), then
extracted and scored. Nothing is written to a database.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from watchfloor.errors import E, WatchfloorError
from watchfloor.evaluate.clusters import load_clusters, score_clusters
from watchfloor.evaluate.gold import GoldDocument, corpus_sha256, find_gold_files, load_gold
from watchfloor.evaluate.report import Report
from watchfloor.evaluate.score import DocScore, aggregate, score_document, weapon_names
from watchfloor.extract.extractor import Extractor
from watchfloor.ingest import Ingester
from watchfloor.records import Document, Extraction
from watchfloor.settings import Settings


def predict(gold: GoldDocument, ingester: Ingester, extractor: Extractor
            ) -> tuple[Document, Extraction]:
    meta: dict[str, object] = {"published": gold.published}
    if gold.url:
        meta["url"] = gold.url
    if gold.title:
        meta["title"] = gold.title
    item = ingester.ingest_file(gold.file, meta=meta)
    if not isinstance(item, Document):
        raise WatchfloorError(E.W501, path=gold.path,
                              detail=f"its article was rejected: {item.code} {item.reason}")
    return item, extractor.extract(item)


def evaluate_dir(root: Path, settings: Settings, extractor: Extractor) -> tuple[Report, str]:
    """Score every gold file under root; returns the report and the corpus sha256.

    A gold file that cannot be read, whose article is rejected, or whose extraction fails is
    named in the report's ``failed`` list and the others are still scored: one bad file must
    not hide the scores of the rest, nor may a report that left files out pass a gate."""
    scores: list[DocScore] = []
    runs: list[tuple[GoldDocument, Document, Extraction, DocScore]] = []
    failed: list[str] = []
    ingester = Ingester(settings, extractor.pack.datelines)
    names = weapon_names((w.name, w.aliases) for w in extractor.pack.weapons)
    for path in find_gold_files(root):
        try:
            gold = load_gold(path)
            doc, extraction = predict(gold, ingester, extractor)
        except WatchfloorError as exc:
            failed.append(str(exc))
            continue
        except Exception as exc:  # an extraction bug: name the file, score the rest
            failed.append(str(WatchfloorError(
                E.W504, path=path, detail=f"{type(exc).__name__}: {exc}")))
            continue
        scores.append(score_document(gold, doc.text, extraction, names))
        runs.append((gold, doc, extraction, scores[-1]))
    clusters = None
    try:
        gold_clusters = load_clusters(root, [g for g, _, _, _ in runs])
        if gold_clusters is not None:
            clusters = score_clusters(gold_clusters, runs, extractor.pack)
    except WatchfloorError as exc:
        failed.append(str(exc))
    report = replace(aggregate(scores), failed=tuple(failed), clusters=clusters)
    return report, corpus_sha256(root)
