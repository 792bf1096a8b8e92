from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from rich.console import Console

from watchfloor.evaluate.gold import GoldDocument, GoldEvent, GoldQuote
from watchfloor.evaluate.report import Prf, Ratio
from watchfloor.evaluate.score import aggregate, score_document
from watchfloor.records import EventMention, Extraction, Provenance, Quote, Sentence

TEXT = "Pyongyang fired a rocket on Friday. Officials [in Tokyo] said talks were off."


def gold() -> GoldDocument:
    return GoldDocument(
        path=Path("rocket.gold.yaml"),
        file=Path("rocket.txt"),
        published=datetime(2024, 3, 9, tzinfo=UTC),
        language="en",
        url=None,
        outlet=None,
        title=None,
        events=(
            GoldEvent(
                "e1",
                "weapon_test",
                "PRK",
                None,
                None,
                ("space_launch",),
                date(2024, 3, 8),
                date(2024, 3, 8),
                0,
                "asserted",
                "fired a rocket on Friday",
            ),
            GoldEvent(
                "e2",
                "negotiation_status",
                "JPN",
                "PRK",
                None,
                (),
                None,
                None,
                0,
                "asserted",
                "talks were off",
            ),
        ),
        quotes=(GoldQuote("officials", "JPN", None, "talks were off"),),
        claims=(),
    )


def extraction() -> Extraction:
    cut = TEXT.index("Officials")
    prov = Provenance("d", 0, 0, cut - 1, "test", "0", "sha")
    sentences = [Sentence(0, 0, cut - 1, TEXT[: cut - 1]), Sentence(1, cut, len(TEXT), TEXT[cut:])]
    return Extraction(
        "d",
        sentences=sentences,
        events=[
            EventMention(
                "p1",
                "weapon_test",
                "PRK",
                None,
                "asserted",
                "fired",
                prov,
                weapon_class=("space_launch",),
                date_start=date(2024, 3, 8),
                date_end=date(2024, 3, 8),
                sentences=(0,),
            ),
            EventMention("p2", "threaten", "JPN", "PRK", "intended", "said", prov, sentences=(1,)),
        ],
        quotes=[Quote("q", "talks were off", "officials", "KOR", None, prov)],
    )


def test_prf_and_ratio_are_none_when_there_is_nothing_to_measure() -> None:
    assert (Prf(0, 0, 0).precision, Prf(0, 0, 0).recall, Prf(0, 0, 0).f1) == (None, None, None)
    assert Prf(4, 0, 0).f1 == 0.0 and Prf(4, 2, 2).f1 == 2 * 2 / 6
    assert Ratio(0, 0).value is None and (Ratio(1, 2) + Ratio(2, 2)).value == 0.75


def test_to_dict_is_json_ready_with_a_fixed_key_order() -> None:
    report = aggregate([score_document(gold(), TEXT, extraction())])
    data = report.to_dict()
    assert list(data) == [
        "documents",
        "metrics",
        "events",
        "strict_events",
        "asserted_precision",
        "attributes",
        "attribute_scope",
        "per_type",
        "quotes",
        "quote_speaker_accuracy",
        "claims",
        "articles",
        "clusters",
        "warnings",
        "failed",
    ]
    assert json.loads(json.dumps(data)) == data
    assert data["metrics"]["event_f1"] == 0.5 and data["metrics"]["claim_f1"] is None
    # no clusters.yaml, so no cross-document figures (never a made-up value)
    assert data["clusters"] is None and data["metrics"]["bcubed_f1"] is None
    assert [row["type"] for row in data["per_type"]] == [
        "negotiation_status",
        "threaten",
        "weapon_test",
    ]
    (article,) = data["articles"]
    assert article["file"] == "rocket.txt"
    assert article["false_events"][0]["type"] == "threaten"
    assert article["missed_events"][0]["id"] == "e2"
    assert article["missed_quotes"][0]["speaker_actor"] == "JPN"


def test_render_prints_tables_and_errors_only_on_request() -> None:
    report = aggregate([score_document(gold(), TEXT, extraction())])
    console = Console(record=True, width=200)
    report.render(console)
    plain = console.export_text()
    assert "Overall (1 articles)" in plain and "Events by type" in plain
    assert "rocket.txt" in plain and "aligned pairs whose gold names a weapon" in plain
    assert "false positive events" not in plain

    console = Console(record=True, width=200)
    report.render(console, errors=True)
    plain = console.export_text()
    assert "rocket.txt: false positive events" in plain
    # Sentence text is printed as is, not read as Rich markup.
    assert "Officials [in Tokyo] said talks were off." in plain
    assert "rocket.txt: missed gold events" in plain and "talks were off" in plain
