from __future__ import annotations

import json
from pathlib import Path

import pytest

from watchfloor.errors import WatchfloorError
from watchfloor.evaluate.gate import check_floors, floor_for, pin_floors
from watchfloor.evaluate.report import Prf, Ratio, Report

SHA = "a" * 64


def report(
    events: tuple[int, int, int] = (10, 10, 8),
    strict: int = 6,
    asserted: tuple[int, int] = (7, 8),
    speaker: tuple[int, int] = (3, 4),
    claims: tuple[int, int, int] = (2, 2, 1),
) -> Report:
    """A report built by hand: event F1 0.8, strict 0.6, asserted precision 0.875, speaker
    accuracy 0.75, claim F1 0.5 with the defaults."""
    gold, pred, aligned = events
    return Report(
        documents=1,
        events=Prf(gold, pred, aligned),
        strict_events=Prf(gold, pred, strict),
        asserted_precision=Ratio(*asserted),
        modality=Ratio(aligned, aligned),
        date=Ratio(aligned, aligned),
        weapon=Ratio(0, 0),
        weapon_class=Ratio(0, 0),
        per_type=(),
        articles=(),
        quotes=Prf(4, 4, 3),
        quote_speaker=Ratio(*speaker),
        claims=Prf(*claims),
        warnings=(),
    )


def entry(path: Path, name: str = "real") -> dict[str, object]:
    found = json.loads(path.read_text(encoding="utf-8"))[name]
    assert isinstance(found, dict)
    return found


@pytest.mark.parametrize(
    ("value", "floor"), [(0.87, 0.85), (0.869, 0.84), (1.0, 0.98), (0.01, 0.0), (0.5, 0.48)]
)
def test_floor_is_value_minus_margin_rounded_down(value: float, floor: float) -> None:
    assert floor_for(value) == floor


def test_pinned_floors_pass_the_report_they_were_measured_on(tmp_path: Path) -> None:
    path = tmp_path / "eval_baseline.json"
    pinned = pin_floors(report(), path, "real", SHA, allow_lower=False)
    assert pinned == entry(path)
    assert pinned["sha256"] == SHA
    assert pinned["floors"] == {
        "asserted_precision": 0.85,
        "claim_f1": 0.48,
        "event_f1": 0.78,
        "quote_speaker_accuracy": 0.73,
        "strict_event_f1": 0.58,
    }
    assert check_floors(report(), entry(path), SHA) == []


def test_a_metric_under_its_floor_fails_with_both_numbers(tmp_path: Path) -> None:
    path = tmp_path / "eval_baseline.json"
    pin_floors(report(), path, "real", SHA, allow_lower=False)
    failures = check_floors(report(events=(10, 10, 7), strict=6), entry(path), SHA)
    assert failures == ["event_f1: 0.700 is below its floor 0.78"]


def test_changed_corpus_fails_and_asks_for_re_pinning(tmp_path: Path) -> None:
    path = tmp_path / "eval_baseline.json"
    pin_floors(report(), path, "real", SHA, allow_lower=False)
    (failure,) = check_floors(report(), entry(path), "b" * 64)
    assert "corpus changed" in failure and "re-pin" in failure


def test_unpinned_corpus_and_unknown_metric_fail() -> None:
    assert check_floors(report(), None, SHA) != []
    bad = {"sha256": SHA, "floors": {"event_f2": 0.5}}
    (failure,) = check_floors(report(), bad, SHA)
    assert failure.startswith("event_f2: not a metric")


def test_floor_on_a_metric_with_nothing_to_measure_fails() -> None:
    no_claims = report(claims=(0, 0, 0))
    assert no_claims.metrics()["claim_f1"] is None
    (failure,) = check_floors(no_claims, {"sha256": SHA, "floors": {"claim_f1": 0.3}}, SHA)
    assert failure.startswith("claim_f1: nothing to measure")


def test_pin_refuses_to_lower_a_floor_and_leaves_the_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "eval_baseline.json"
    pin_floors(report(), path, "real", SHA, allow_lower=False)
    before = path.read_bytes()
    worse = report(events=(10, 10, 5))
    with pytest.raises(WatchfloorError) as info:
        pin_floors(worse, path, "real", SHA, allow_lower=False)
    assert "event_f1: 0.78 -> 0.48" in info.value.message and "allow_lower" in info.value.message
    assert path.read_bytes() == before

    pin_floors(worse, path, "real", SHA, allow_lower=True)
    floors = entry(path)["floors"]
    assert isinstance(floors, dict) and floors["event_f1"] == 0.48


def test_pin_raises_floors_without_the_flag_and_keeps_other_corpora(tmp_path: Path) -> None:
    path = tmp_path / "eval_baseline.json"
    pin_floors(report(), path, "demo", SHA, allow_lower=False)
    pin_floors(report(), path, "real", SHA, allow_lower=False)
    better = report(events=(10, 10, 10), strict=10)
    pin_floors(better, path, "real", "c" * 64, allow_lower=False)
    real = entry(path, "real")
    assert real["sha256"] == "c" * 64
    assert isinstance(real["floors"], dict) and real["floors"]["event_f1"] == 0.98
    assert entry(path, "demo")["sha256"] == SHA


def test_pin_refuses_to_drop_a_floor_whose_metric_became_unmeasurable(tmp_path: Path) -> None:
    path = tmp_path / "eval_baseline.json"
    pin_floors(report(), path, "real", SHA, allow_lower=False)
    with pytest.raises(WatchfloorError, match=r"claim_f1: 0\.48 -> none"):
        pin_floors(report(claims=(0, 0, 0)), path, "real", SHA, allow_lower=False)
    pin_floors(report(claims=(0, 0, 0)), path, "real", SHA, allow_lower=True)
    floors = entry(path)["floors"]
    assert isinstance(floors, dict) and "claim_f1" not in floors


def test_unreadable_baseline_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "eval_baseline.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(WatchfloorError, match="not valid JSON"):
        pin_floors(report(), path, "real", SHA, allow_lower=False)
