"""The sentence gate: parse only what can hold an event, with every offset unchanged."""

from __future__ import annotations

from dataclasses import replace

from watchfloor.extract.extractor import Extractor
from watchfloor.extract.gate import SentenceGate, word_forms
from watchfloor.records import Document

SPORTS = ("The home side won 3-1 on Saturday. Their striker scored twice before half time, "
          "and the coach praised the crowd. The league resumes next week.")
MIXED = ("The city marathon drew record crowds on Sunday. Runners queued for an hour at the "
         "start. North Korea test-fired a pair of short-range missiles toward the sea on "
         "Monday, "
         "Japan's defence ministry said. The ministry said the missiles flew about 400 km. "
         "Traffic was light downtown all day. The bakery on Main Street has a new owner. Its "
         "bread sells out by noon.")


def _doc(text: str) -> Document:
    return Document(id=Document.make_id(text), text=text, source="<test>")


def test_word_forms_cover_regular_inflections() -> None:
    assert {"tests", "tested", "testing"} <= word_forms("test")
    assert {"planned", "planning"} <= word_forms("plan")
    assert {"seized", "seizing"} <= word_forms("seize")


def test_an_article_with_nothing_in_scope_is_not_parsed(extractor: Extractor) -> None:
    gate = SentenceGate.build(extractor.nlp, extractor.pack)
    assert gate.gate(SPORTS) is None
    gated = replace(extractor, gate=gate)
    [(doc, extraction)] = list(gated.extract_many([_doc(SPORTS)]))
    assert doc.text == SPORTS  # the caller gets its own document back
    assert extraction.events == [] and extraction.sentences == []


def test_dropped_sentences_are_blanked_in_place(extractor: Extractor) -> None:
    gate = SentenceGate.build(extractor.nlp, extractor.pack)
    text = gate.gate(MIXED)
    assert text is not None and len(text) == len(MIXED)
    launch = MIXED.index("North Korea test-fired")
    assert text[launch:launch + 40] == MIXED[launch:launch + 40]
    assert "bakery" not in text and "marathon" not in text  # far from the launch: dropped
    assert "Runners queued" in text  # the sentence before the launch: context, kept


def test_the_gate_changes_no_event(extractor: Extractor) -> None:
    gated = replace(extractor, gate=SentenceGate.build(extractor.nlp, extractor.pack))
    plain = replace(extractor, gate=None)
    doc = _doc(MIXED)
    with_gate, without = gated.extract(doc), plain.extract(doc)
    assert [(e.type, e.actor, e.date_start, e.prov.start, e.prov.end) for e in with_gate.events] \
        == [(e.type, e.actor, e.date_start, e.prov.start, e.prov.end) for e in without.events]
    assert with_gate.events


def test_hyphenated_pairs_open_the_gate(extractor: Extractor) -> None:
    gate = SentenceGate.build(extractor.nlp, extractor.pack)
    assert gate.gate("Hopes rose for the first inter-Korean summit in years.") is not None
    assert gate.gate("U.S.-China talks resumed in Geneva on Monday.") is not None


def test_a_short_name_opens_the_gate_only_after_the_full_one(extractor: Extractor) -> None:
    gate = SentenceGate.build(extractor.nlp, extractor.pack)
    # "Power" and "Austin" are short names of U.S. officials the pack marks ambiguous
    outage = ("Power was cut to 4,000 homes on Tuesday after the storm. Crews in Austin "
              "warned it could take days to restore it.")
    assert gate.gate(outage) is None
    envoy = ("Samantha Power spoke at the council on Tuesday. Power warned that Pyongyang would "
             "try to evade the measures.")
    kept = gate.gate(envoy)
    assert kept is not None and "Power warned" in kept


def test_a_place_alone_opens_the_gate_only_in_an_article_naming_an_actor(
    extractor: Extractor,
) -> None:
    gate = SentenceGate.build(extractor.nlp, extractor.pack)
    assert gate.gate("Shipyards in Busan reported strong demand for tankers this quarter.") \
        is None
    kept = gate.gate("South Korea's exports rose in May. Shipyards in Busan reported strong "
                     "demand for tankers this quarter.")
    assert kept is not None and "demand for tankers" in kept


def test_a_demonym_or_a_region_names_no_actor_for_the_article(extractor: Extractor) -> None:
    gate = SentenceGate.build(extractor.nlp, extractor.pack)
    # "Japanese exporters" are no state, "North America" is not the United States: the
    # places in Busan stay closed
    assert gate.gate("Japanese exporters gained on a weaker yen. Shipyards in Busan reported "
                     "strong demand for tankers this quarter.") is None
    assert gate.gate("Sales in North America rose. Shipyards in Busan reported strong demand "
                     "for tankers this quarter.") is None
    # a demonym still counts in its own sentence
    kept = gate.gate("Japanese officials demanded an apology on Monday.")
    assert kept is not None and "demanded" in kept
    # the same words may name several people: each counts once named in full
    kept = gate.gate("Park Geun-hye spoke on Monday. The court said Park would appeal.")
    assert kept is not None and "Park would appeal" in kept


def test_the_gate_sees_hyphenated_pairs_anywhere_in_a_long_article(
    extractor: Extractor,
) -> None:
    gate = SentenceGate.build(extractor.nlp, extractor.pack)
    filler = "The weather stayed mild and the markets were quiet. " * 30
    text = filler + "Officials prepared for U.S.-China talks in Geneva next week. " + filler
    kept = gate.gate(text)
    assert kept is not None and "U.S.-China talks" in kept and len(kept) == len(text)
    assert kept.count("markets") < text.count("markets")


def test_a_charge_without_a_trigger_word_opens_the_gate(extractor: Extractor) -> None:
    gate = SentenceGate.build(extractor.nlp, extractor.pack)
    assert gate.gate("KCNA said the United States was deceitful.") is not None
    assert gate.gate("KCNA said the United States was large.") is None
