"""The quality gate: floors under the headline metrics, pinned per gold corpus.

As trafilatura's ``tests/eval_gate.py``: a JSON baseline maps a corpus name to the corpus
sha256 and the floors measured on it::

    {"real": {"sha256": "9f2c...", "floors": {"event_f1": 0.61, "claim_f1": 0.4}}}

CI fails when a metric drops below its floor, or when the corpus is no longer the one the
floors were measured on. Floors only move up by themselves; lowering one takes a deliberate
``allow_lower``.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from watchfloor.errors import E, WatchfloorError
from watchfloor.evaluate.report import GATE_METRICS, Report

MARGIN = 0.02  # room under the measured value, so that run-to-run noise does not fail CI


def floor_for(value: float, margin: float = MARGIN) -> float:
    """The floor pinned for a measured value: value minus margin, rounded down to 2 decimals."""
    # The small epsilon keeps 0.87 - 0.02 = 0.8499999... from rounding down to 0.84.
    return max(0.0, math.floor((value - margin) * 100 + 1e-9) / 100)


def load_baseline(path: Path) -> dict[str, Any]:
    """The baseline file's content; an absent file is an empty baseline."""
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise WatchfloorError(
            E.W503, path=path, detail=f"baseline is not valid JSON: {exc}"
        ) from exc
    if not isinstance(data, dict):
        raise WatchfloorError(E.W503, path=path, detail="baseline is not a JSON object")
    return data


def check_floors(
    report: Report, baseline_entry: Mapping[str, Any] | None, corpus_sha: str
) -> list[str]:
    """Every way the report fails the baseline entry of its corpus; empty when it passes."""
    if baseline_entry is None:
        return ["no floors are pinned for this corpus; pin them (pin_floors) and commit the file"]
    failures = [f"not scored, so the corpus is not measured whole: {f}" for f in report.failed]
    pinned_sha = baseline_entry.get("sha256")
    if pinned_sha != corpus_sha:
        failures.append(
            f"the corpus changed (sha256 {corpus_sha[:12]}, floors pinned on "
            f"{str(pinned_sha)[:12]}); measure it again and re-pin the floors"
        )
    floors = baseline_entry.get("floors")
    if not isinstance(floors, Mapping):
        return [*failures, "the baseline entry has no 'floors' object"]
    measured = report.metrics()
    for name, floor in floors.items():
        if name not in measured:
            failures.append(f"{name}: not a metric the report measures ({', '.join(measured)})")
            continue
        if not isinstance(floor, int | float) or isinstance(floor, bool):
            failures.append(f"{name}: floor {floor!r} is not a number")
            continue
        value = measured[name]
        if value is None:
            failures.append(f"{name}: nothing to measure on this corpus, but its floor is {floor}")
        elif value + 1e-9 < floor:
            failures.append(f"{name}: {value:.3f} is below its floor {floor:.2f}")
    return failures


def pin_floors(
    report: Report,
    path: Path,
    name: str,
    corpus_sha: str,
    *,
    allow_lower: bool,
    margin: float = MARGIN,
) -> dict[str, Any]:
    """Write the corpus's floors (measured value minus margin, rounded down to 2 decimals) into
    the baseline file and return its new entry.

    Refuses (WatchfloorError, nothing written) to pin a report that left gold files out; and
    to lower a pinned floor, or to drop one whose metric has nothing to measure now, unless
    ``allow_lower``. Floors of other metrics that
    the entry already has are kept.
    """
    if report.failed:
        raise WatchfloorError(E.W503, path=path, detail=(
            f"not pinned: {len(report.failed)} gold file(s) could not be scored, and floors "
            f"must be measured on the whole corpus; first: {report.failed[0]}"))
    baseline = load_baseline(path)
    old = baseline.get(name)
    old_floors: dict[str, Any] = dict(old.get("floors", {})) if isinstance(old, dict) else {}
    measured = report.metrics()
    new_floors = dict(old_floors)
    lowered: list[str] = []
    for metric in GATE_METRICS:
        value = measured[metric]
        before = old_floors.get(metric)
        if value is None:
            if before is not None:
                lowered.append(f"{metric}: {before} -> none (nothing to measure)")
                new_floors.pop(metric)
            continue
        floor = floor_for(value, margin)
        if isinstance(before, int | float) and floor < before:
            lowered.append(f"{metric}: {before} -> {floor:.2f}")
        new_floors[metric] = floor
    if lowered and not allow_lower:
        raise WatchfloorError(
            E.W503,
            path=path,
            detail=f"pinning {name!r} would lower floors ({'; '.join(lowered)}); "
            "pass allow_lower (--allow-lower) if that is intended",
        )
    entry = {"sha256": corpus_sha, "floors": dict(sorted(new_floors.items()))}
    baseline[name] = entry
    _write_json(path, baseline)
    return entry


def _write_json(path: Path, data: Mapping[str, Any]) -> None:
    # Write beside and rename, so an interrupted pin never leaves half a baseline.
    text = json.dumps(data, indent=2, sort_keys=True) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
