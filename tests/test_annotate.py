"""The spaCy pipeline as watchfloor builds it: sentence ends at paragraph breaks."""

from __future__ import annotations

from watchfloor.extract.extractor import Extractor


def sentences(extractor: Extractor, text: str) -> list[str]:
    return [s.text.strip() for s in extractor.nlp(text).sents]


def test_annotate_a_paragraph_break_after_a_quotation_ends_the_sentence(
    extractor: Extractor,
) -> None:
    text = ('The agency said on Tuesday the new measures were "an act of war."\n\n'
            "Hours later, the Treasury said it was adding four banks to its list.")
    assert sentences(extractor, text) == [
        'The agency said on Tuesday the new measures were "an act of war."',
        "Hours later, the Treasury said it was adding four banks to its list.",
    ]


def test_annotate_a_closing_quotation_mark_stays_with_its_sentence(
    extractor: Extractor,
) -> None:
    text = ('"The provisions are very important," the envoy said, calling them "a turning '
            'point."\n\nShe said the aim was to reach the leadership.')
    found = sentences(extractor, text)
    assert found[-1] == "She said the aim was to reach the leadership."
    assert found[-2].endswith('"a turning point."')


def test_annotate_a_single_line_break_inside_a_sentence_is_left_to_the_parser(
    extractor: Extractor,
) -> None:
    found = sentences(extractor, "North Korea fired two missiles\non Sunday. Japan protested.")
    assert found == ["North Korea fired two missiles\non Sunday.", "Japan protested."]
