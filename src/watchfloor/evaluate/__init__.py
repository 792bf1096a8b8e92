"""Evaluation: read gold files (GOLD_FORMAT.md), score predictions, gate quality in CI."""

from __future__ import annotations

from watchfloor.evaluate.gate import check_floors, load_baseline, pin_floors
from watchfloor.evaluate.gold import (
    GoldClaim,
    GoldDocument,
    GoldEvent,
    GoldQuote,
    corpus_sha256,
    find_gold_files,
    load_gold,
)
from watchfloor.evaluate.report import GATE_METRICS, Report
from watchfloor.evaluate.score import DocScore, aggregate, score_document

__all__ = [
    "GATE_METRICS",
    "DocScore",
    "GoldClaim",
    "GoldDocument",
    "GoldEvent",
    "GoldQuote",
    "Report",
    "aggregate",
    "check_floors",
    "corpus_sha256",
    "find_gold_files",
    "load_baseline",
    "load_gold",
    "pin_floors",
    "score_document",
]
