from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from watchfloor.evaluate.gold import GoldDocument, GoldEvent, GoldQuote, load_gold
from watchfloor.evaluate.score import (
    DocScore,
    EvidenceIndex,
    aggregate,
    max_matching,
    score_document,
    weapon_names,
)
from watchfloor.records import (
    Claim,
    ClaimKind,
    EventMention,
    Extraction,
    Modality,
    Provenance,
    Quote,
    Sentence,
)

FIXTURES = Path(__file__).parent / "fixtures" / "evaluate" / "corpus"
GOLD = load_gold(FIXTURES / "harbour-launch.gold.yaml")
TEXT = GOLD.file.read_text(encoding="utf-8")

# Sentence ends, but not inside "U.N."; good enough for the invented fixture article.
_SPLIT = re.compile(r"(?<=[.!?”])(?<!U\.N\.)\s+(?=[A-Z“])")


def split_sentences(text: str) -> list[Sentence]:
    bounds: list[tuple[int, int]] = []
    pos = 0
    for m in _SPLIT.finditer(text):
        bounds.append((pos, m.start()))
        pos = m.end()
    bounds.append((pos, len(text.rstrip())))
    return [Sentence(i, s, e, text[s:e]) for i, (s, e) in enumerate(bounds)]


SENTENCES = split_sentences(TEXT)


def sid(phrase: str) -> int:
    """The index of the fixture sentence that contains phrase."""
    hits = [s.index for s in SENTENCES if phrase in s.text]
    assert len(hits) == 1, phrase
    return hits[0]


ELSEWHERE = sid("It was the third launch")  # a sentence that reports no gold event


def prov(sentence: int = 0) -> Provenance:
    return Provenance("doc", sentence, 0, 0, "test", "0", "sha")


def event(
    etype: str,
    actor: str | None,
    target: str | None = None,
    *,
    at: str | None = None,
    modality: Modality = "asserted",
    when: date | tuple[date, date] | None = None,
    weapon: str | None = None,
    classes: tuple[str, ...] = (),
    pid: str = "p",
) -> EventMention:
    sentence = ELSEWHERE if at is None else sid(at)
    start, end = when if isinstance(when, tuple) else (when, when)
    return EventMention(
        id=pid,
        type=etype,
        actor=actor,
        target=target,
        modality=modality,
        trigger="t",
        prov=prov(sentence),
        weapon=weapon,
        weapon_class=classes,
        date_start=start,
        date_end=end,
        sentences=(sentence,),
    )


def quote(text: str, actor: str | None) -> Quote:
    return Quote(id="q", text=text, speaker=None, speaker_actor=actor, channel=None, prov=prov())


def claim(
    kind: ClaimKind, about: str, actor: str, *, value: int | None = None, since: str | None = None
) -> Claim:
    return Claim("c", kind, about, actor, "x", prov(), value=value, since=since)


def perfect_events() -> list[EventMention]:
    return [
        event("weapon_test", "PRK", at="fired two", when=date(2024, 3, 5), classes=("SRBM",)),
        event("statement", "JPN", "PRK", at="grave provocation", when=date(2024, 3, 5)),
        event(
            "weapon_test", "PRK", at="could stage", modality="hypothetical", classes=("nuclear",)
        ),
        event("meeting", "USA", "KOR", at="met in Seoul", when=date(2024, 3, 6)),
        event(
            "sanction",
            "UNSC",
            "PRK",
            at="fresh sanctions",
            when=(date(2023, 1, 1), date(2023, 12, 31)),
        ),
    ]


def extraction(
    events: list[EventMention],
    quotes: list[Quote] | None = None,
    claims: list[Claim] | None = None,
) -> Extraction:
    return Extraction(
        "doc", sentences=SENTENCES, events=events, quotes=quotes or [], claims=claims or []
    )


def score_events(*events: EventMention, gold: GoldDocument = GOLD) -> DocScore:
    return score_document(gold, TEXT, extraction(list(events)))


def only(gold_event_id: str) -> GoldDocument:
    return replace(GOLD, events=tuple(e for e in GOLD.events if e.id == gold_event_id))


def test_perfect_prediction_scores_one_everywhere() -> None:
    pred = extraction(
        perfect_events(),
        quotes=[quote("“a grave provocation”", "JPN"), quote("We will answer any", "KOR")],
        claims=[
            claim("ordinal", "weapon_test", "PRK", value=3),
            claim("first_since", "weapon_test", "PRK", since="2023-11"),
        ],
    )
    report = aggregate([score_document(GOLD, TEXT, pred)])
    assert set(report.metrics().values()) - {None} == {1.0}
    # The fixture names no weapon system, so weapon accuracy has nothing to measure.
    assert report.metrics()["weapon_accuracy"] is None
    assert report.warnings == ()
    assert all(p.by == "sentence" for p in report.docs[0].pairs)


def test_hypothetical_predicted_as_asserted_lowers_asserted_precision_and_modality() -> None:
    events = perfect_events()
    events[2] = replace(events[2], modality="asserted")
    score = score_events(*events)
    assert score.events.f1 == 1.0
    assert (score.asserted_precision.right, score.asserted_precision.total) == (4, 5)
    assert score.modality.value == pytest.approx(0.8)
    assert score.strict_events.aligned == 4


def test_symmetric_types_align_with_actor_and_target_swapped() -> None:
    swapped_meeting = event("meeting", "KOR", "USA", at="met in Seoul", when=date(2024, 3, 6))
    swapped_statement = event("statement", "PRK", "JPN", at="grave provocation")
    assert score_events(swapped_meeting, gold=only("e4")).events.aligned == 1
    assert score_events(swapped_statement, gold=only("e2")).events.aligned == 0


def test_un_and_unsc_match_each_other_but_not_other_actors() -> None:
    span = (date(2023, 1, 1), date(2023, 12, 31))
    by_un = event("sanction", "UN", "PRK", at="fresh sanctions", when=span)
    by_usa = event("sanction", "USA", "PRK", at="fresh sanctions", when=span)
    assert score_events(by_un, gold=only("e5")).events.aligned == 1
    assert score_events(by_usa, gold=only("e5")).events.aligned == 0


def test_target_counts_only_where_gold_has_one() -> None:
    extra_target = event("weapon_test", "PRK", "USA", at="could stage", modality="hypothetical")
    assert score_events(extra_target, gold=only("e3")).events.aligned == 1
    no_target = event("statement", "JPN", None, at="grave provocation", when=date(2024, 3, 5))
    assert score_events(no_target, gold=only("e2")).events.aligned == 0


@pytest.mark.parametrize(
    ("day", "right"),
    [(date(2024, 3, 4), True), (date(2024, 3, 6), True), (date(2024, 3, 3), False)],
)
def test_date_is_right_within_tolerance_days(day: date, right: bool) -> None:
    score = score_events(event("weapon_test", "PRK", at="fired two", when=day), gold=only("e1"))
    assert score.events.aligned == 1  # through the shared sentence, whatever the date
    assert score.date.right == int(right)


def test_interval_prediction_overlapping_the_gold_day_is_right() -> None:
    week = (date(2024, 3, 1), date(2024, 3, 2))
    score = score_events(event("weapon_test", "PRK", at="fired two", when=week), gold=only("e1"))
    assert score.date.right == 0
    month = (date(2024, 3, 1), date(2024, 3, 31))
    score = score_events(event("weapon_test", "PRK", at="fired two", when=month), gold=only("e1"))
    assert score.date.right == 1


def test_missing_predicted_date_is_wrong_where_gold_has_one_and_right_where_not() -> None:
    undated = event("weapon_test", "PRK", at="fired two")
    assert score_events(undated, gold=only("e1")).date.right == 0
    dated = event(
        "weapon_test", "PRK", at="could stage", modality="hypothetical", when=date(2024, 5, 1)
    )
    assert score_events(dated, gold=only("e3")).date.right == 1


def test_date_alone_aligns_a_prediction_from_another_sentence() -> None:
    near = score_events(event("weapon_test", "PRK", when=date(2024, 3, 6)), gold=only("e1"))
    assert near.events.aligned == 1 and near.pairs[0].by == "date"
    far = score_events(event("weapon_test", "PRK", when=date(2024, 3, 8)), gold=only("e1"))
    assert far.events.aligned == 0
    # Both undated counts as compatible; a date where gold has none does not.
    assert score_events(event("weapon_test", "PRK"), gold=only("e3")).events.aligned == 1
    dated = event("weapon_test", "PRK", when=date(2024, 3, 5))
    assert score_events(dated, gold=only("e3")).events.aligned == 0


def test_alignment_is_one_to_one_and_prefers_the_right_modality() -> None:
    wrong = event(
        "weapon_test", "PRK", at="fired two", modality="negated", when=date(2024, 3, 5), pid="wrong"
    )
    right = event("weapon_test", "PRK", at="fired two", when=date(2024, 3, 5), pid="right")
    for order in ((wrong, right), (right, wrong)):
        score = score_events(*order, gold=only("e1"))
        assert (score.events.aligned, score.events.pred) == (1, 2)
        assert score.pairs[0].pred_id == "right"
        assert [f.id for f in score.false_events] == ["wrong"]


def test_sentence_pairs_come_before_date_pairs() -> None:
    by_date = event("weapon_test", "PRK", when=date(2024, 3, 5), pid="by-date")
    by_sentence = event(
        "weapon_test", "PRK", at="fired two", when=date(2024, 3, 9), pid="by-sentence"
    )
    score = score_events(by_date, by_sentence, gold=only("e1"))
    assert [(p.pred_id, p.by) for p in score.pairs] == [("by-sentence", "sentence")]


def test_evidence_is_found_through_curly_quotes_and_folded_white_space() -> None:
    index = EvidenceIndex(TEXT)
    ((start, end),) = index.spans('called the launch "a grave provocation"')
    assert TEXT[start:end] == "called the launch “a grave provocation”"
    ((start, end),) = index.spans("could stage another nuclear test within months")
    assert TEXT[start:end] == "could stage another nuclear test\n   within months"
    assert index.spans("could stage another nuclear test within weeks") == []


def test_evidence_not_found_is_a_warning_and_date_alignment_still_works() -> None:
    broken = replace(GOLD.events[0], evidence="words that the article does not contain")
    gold = replace(GOLD, events=(broken,))
    score = score_events(
        event("weapon_test", "PRK", at="fired two", when=date(2024, 3, 5)), gold=gold
    )
    assert len(score.warnings) == 1 and "e1: evidence not found" in score.warnings[0]
    assert score.pairs[0].by == "date"


def test_weapon_accuracies_count_only_pairs_whose_gold_has_them() -> None:
    named = replace(GOLD.events[0], weapon="Hwasong-12", weapon_class=("IRBM", "nuclear"))
    gold = replace(GOLD, events=(named, GOLD.events[1]))
    score = score_events(
        event(
            "weapon_test", "PRK", at="fired two", weapon="hwasong 12", classes=("nuclear", "IRBM")
        ),
        event("statement", "JPN", "PRK", at="grave provocation", weapon="KN-23", classes=("SRBM",)),
        gold=gold,
    )
    assert (score.weapon.right, score.weapon.total) == (1, 1)
    assert (score.weapon_class.right, score.weapon_class.total) == (1, 1)
    wrong_class = event(
        "weapon_test", "PRK", at="fired two", weapon="Hwasong-12", classes=("IRBM",)
    )
    assert score_events(wrong_class, gold=gold).weapon_class.right == 0


def test_weapon_aliases_of_one_system_count_as_the_same_weapon() -> None:
    named = replace(GOLD.events[0], weapon="Rodong")
    gold = replace(GOLD, events=(named,))
    pred = extraction([event("weapon_test", "PRK", at="fired two", weapon="Nodong")])
    names = weapon_names([("Nodong", ("Nodong", "Rodong", "No-dong"))])
    assert score_document(gold, TEXT, pred, names).weapon.right == 1
    assert score_document(gold, TEXT, pred).weapon.right == 0  # without the pack's names


def test_per_type_precision_counts_predictions_of_that_type() -> None:
    score = score_events(
        event("weapon_test", "PRK", at="fired two", when=date(2024, 3, 5)),
        event("weapon_test", "KOR", at="fired two", when=date(2024, 3, 5), pid="fp"),
        event("threaten", "PRK", "KOR", at="answer any provocation", pid="fp2"),
    )
    rows = {r.type: r.events for r in score.per_type}
    assert (rows["weapon_test"].gold, rows["weapon_test"].pred, rows["weapon_test"].aligned) == (
        2,
        2,
        1,
    )
    assert rows["weapon_test"].precision == 0.5
    assert (rows["threaten"].gold, rows["threaten"].precision, rows["threaten"].recall) == (
        0,
        0.0,
        None,
    )
    assert rows["sanction"].recall == 0.0 and rows["sanction"].precision is None


def test_error_lists_carry_the_sentence_and_the_gold_evidence() -> None:
    score = score_events(event("threaten", "PRK", "KOR", at="answer any provocation", pid="fp"))
    (fp,) = score.false_events
    assert (fp.id, fp.type, fp.actor, fp.target) == ("fp", "threaten", "PRK", "KOR")
    assert "answer any provocation" in fp.sentence
    assert [m.id for m in score.missed_events] == ["e1", "e2", "e3", "e4", "e5"]
    assert score.missed_events[3].evidence == GOLD.events[3].evidence


def test_quotes_align_on_speaker_actor_and_opening_words() -> None:
    gold = replace(GOLD, quotes=(GOLD.quotes[1],))  # KOR: "We will answer"
    right = quote("“we will  answer any provocation firmly”", "KOR")
    wrong_speaker = quote("We will answer any provocation firmly", "JPN")
    other_text = quote("They will answer", "KOR")

    score = score_document(gold, TEXT, extraction([], quotes=[right]))
    assert (score.quotes.aligned, score.quote_speaker.value) == (1, 1.0)
    score = score_document(gold, TEXT, extraction([], quotes=[wrong_speaker, other_text]))
    assert score.quotes.aligned == 0
    assert (score.quote_speaker.right, score.quote_speaker.total) == (0, 1)
    assert [q.text for q in score.false_quotes] == [wrong_speaker.text, other_text.text]
    assert [q.text_startswith for q in score.missed_quotes] == ["We will answer"]


def test_one_predicted_quote_aligns_with_one_gold_quote() -> None:
    twin = GoldQuote("joint statement", "KOR", None, "We will answer")
    gold = replace(GOLD, quotes=(GOLD.quotes[1], twin))
    score = score_document(gold, TEXT, extraction([], quotes=[quote("We will answer", "KOR")]))
    assert (score.quotes.aligned, score.quotes.gold) == (1, 2)


def test_claims_align_on_about_actor_and_value_or_since() -> None:
    score = score_document(
        GOLD,
        TEXT,
        extraction(
            [],
            claims=[
                claim("count", "weapon_test", "PRK", value=3),  # kind is not compared
                claim("first_since", "weapon_test", "PRK", since="2023-11-20"),
            ],
        ),
    )
    assert (score.claims.aligned, score.claims.precision) == (2, 1.0)
    score = score_document(
        GOLD,
        TEXT,
        extraction(
            [],
            claims=[
                claim("ordinal", "weapon_test", "PRK", value=4),
                claim("ordinal", "weapon_test", "USA", value=3),
                claim("first_since", "weapon_test", "PRK", since="2022"),
            ],
        ),
    )
    assert score.claims.aligned == 0
    assert len(score.false_claims) == 3 and len(score.missed_claims) == 2


def test_article_with_nothing_in_scope_makes_every_prediction_false() -> None:
    ferry = load_gold(FIXTURES / "ferry-timetable.gold.yaml")
    text = ferry.file.read_text(encoding="utf-8")
    sentence = Sentence(0, 0, len(text), text)
    pred = Extraction("d", sentences=[sentence], events=[event("weapon_test", "PRK")])
    score = score_document(
        ferry, text, replace(pred, events=[replace(pred.events[0], sentences=(0,))])
    )
    assert (score.events.precision, score.events.recall, score.events.f1) == (0.0, None, 0.0)
    empty = score_document(ferry, text, Extraction("d", sentences=[sentence]))
    assert empty.events.f1 is None and empty.asserted_precision.value is None


def test_max_matching_finds_the_largest_set_of_pairs() -> None:
    # Greedy would give gold 0 the first prediction and leave gold 1 unpaired.
    edges = {(0, 0): 0, (0, 1): 0, (1, 0): 0}
    assert max_matching(2, 2, edges) == [(0, 1), (1, 0)]
    assert max_matching(3, 1, {(0, 0): 0, (2, 0): 5}) == [(2, 0)]


def test_aggregate_micro_averages_over_articles() -> None:
    one = score_events(*perfect_events())
    other = score_events(
        event("threaten", "PRK", "KOR", at="answer any provocation"), gold=only("e1")
    )
    report = aggregate([one, other])
    assert (report.events.gold, report.events.pred, report.events.aligned) == (6, 6, 5)
    assert report.metrics()["event_f1"] == pytest.approx(5 / 6)
    assert [a.file for a in report.articles] == ["harbour-launch.txt", "harbour-launch.txt"]


def test_gold_built_by_hand_needs_no_files() -> None:
    gold = GoldDocument(
        path=Path("x.gold.yaml"),
        file=Path("x.txt"),
        published=datetime(2024, 1, 1, tzinfo=UTC),
        language="en",
        url=None,
        outlet=None,
        title=None,
        events=(
            GoldEvent(
                "e1",
                "agreement",
                "USA",
                "KOR",
                None,
                (),
                None,
                None,
                0,
                "asserted",
                "signed a pact",
            ),
        ),
        quotes=(),
        claims=(),
    )
    text = "The two allies signed a pact."
    pred = Extraction(
        "d",
        sentences=[Sentence(0, 0, len(text), text)],
        events=[replace(event("agreement", "KOR", "USA"), sentences=(0,))],
    )
    assert score_document(gold, text, pred).events.f1 == 1.0


REAL = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real"


def test_gold_of_the_real_seed_scored_as_prediction_is_perfect() -> None:
    seeds = sorted(REAL.glob("seed-*.gold.yaml")) if REAL.is_dir() else []
    if not seeds:
        pytest.skip(f"no seed gold file in {REAL}")
    seed = load_gold(seeds[0])
    text = seed.file.read_text(encoding="utf-8")
    index = EvidenceIndex(text)
    sentences, events = [], []
    for k, g in enumerate(seed.events):
        start, end = index.spans(g.evidence)[0]
        sentences.append(Sentence(k, start, end, text[start:end]))
        # Symmetric events are predicted with actor and target swapped, as a system may.
        swap = g.type in {"meeting", "negotiation_status", "agreement"} and g.target is not None
        actor, target = (g.target, g.actor) if swap else (g.actor, g.target)
        events.append(
            EventMention(
                f"p{k}", g.type, actor, target, g.modality, "t", prov(k),
                weapon=g.weapon, weapon_class=g.weapon_class[::-1], date_start=g.date_start,
                date_end=g.date_end, sentences=(k,),
            )
        )  # fmt: skip
    pred = Extraction("d", sentences=sentences, events=events)
    score = score_document(seed, text, pred)
    assert score.warnings == ()
    assert (score.events.f1, score.strict_events.f1, score.asserted_precision.value) == (1, 1, 1)
    assert (score.date.value, score.weapon.value, score.weapon_class.value) == (1, 1, 1)
