from __future__ import annotations

import pytest

from watchfloor.ingest.clean import clean_blocks, is_boilerplate, normalize_line, split_dateline

DATELINES = frozenset({"SEOUL", "WASHINGTON", "TOKYO"})


def blocks_of(text: str) -> list[list[str]]:
    """Blocks as the plain-text reader makes them: lines, split at blank lines."""
    return [[line for line in chunk.splitlines() if line] for chunk in text.split("\n\n")]


@pytest.mark.parametrize(
    ("paragraph", "city", "agency", "body"),
    [
        ("SEOUL (Reuters) - The North fired a rocket.", "SEOUL", "Reuters", "The North"),
        ("WASHINGTON, March 3 (AP) — Envoys met on Friday.", "WASHINGTON", "AP", "Envoys"),
        ("SEOUL, South Korea — Talks stalled again.", "SEOUL", None, "Talks"),
        ("Seoul, March 10 (Yonhap) -- Drills began at dawn.", "SEOUL", "Yonhap", "Drills"),
        ("UNITED NATIONS — The council met in private.", "UNITED NATIONS", None, "The council"),
        ("TOKYO – Ships were put on alert.", "TOKYO", None, "Ships"),
        ("Washington - Officials briefed reporters.", "WASHINGTON", None, "Officials"),
    ],
)
def test_dateline_styles_give_upper_case_city_and_agency(
    paragraph: str, city: str, agency: str | None, body: str
) -> None:
    text, found_city, found_agency = split_dateline(paragraph, DATELINES)
    assert found_city == city
    assert found_agency == agency
    assert text.startswith(body)


def test_bare_capitalised_city_counts_only_when_it_is_a_known_dateline() -> None:
    text, city, _ = split_dateline("SEOUL North Korea fired a missile.", DATELINES)
    assert (city, text) == ("SEOUL", "North Korea fired a missile.")
    kept, none_city, _ = split_dateline("US President Biden spoke on Friday.", DATELINES)
    assert none_city is None
    assert kept == "US President Biden spoke on Friday."


def test_bare_multiword_city_in_capitals_is_a_dateline() -> None:
    text, city, _ = split_dateline("UNITED NATIONS The council voted on Friday.", frozenset())
    assert city == "UNITED NATIONS"
    assert text == "The council voted on Friday."


def test_markup_hint_takes_first_of_several_cities() -> None:
    text, city, _ = split_dateline(
        "SEOUL/TOKYO North Korea fired a rocket.", frozenset(), hint="SEOUL/TOKYO"
    )
    assert city == "SEOUL"
    assert text == "North Korea fired a rocket."


@pytest.mark.parametrize(
    "paragraph",
    [
        "U.S. - North Korea talks resumed on Monday.",
        "North Korea - long isolated - said it would respond.",
        "NATO leaders met in Brussels on Friday.",
        "Kim Jong Un, the leader, watched the launch.",
    ],
)
def test_openings_that_are_not_datelines_are_left_alone(paragraph: str) -> None:
    assert split_dateline(paragraph, DATELINES) == (paragraph, None, None)


def test_headline_repeated_with_glued_photo_credit_is_dropped() -> None:
    raw = (
        "Missile talks resume\nMissile talks resumeiStock\n\n"
        "Negotiators met in Geneva on Monday for the first time in a year."
    )
    cleaned = clean_blocks(blocks_of(raw), datelines=DATELINES, find_headline=True)
    assert cleaned.title == "Missile talks resume"
    assert cleaned.text == "Negotiators met in Geneva on Monday for the first time in a year."


def test_given_title_repeated_at_top_is_dropped_even_with_outlet_suffix() -> None:
    raw = "Seoul protests launch\n\nThe foreign ministry summoned the envoy on Tuesday."
    cleaned = clean_blocks(
        blocks_of(raw), datelines=DATELINES, headlines=["Seoul protests launch - Example Daily"]
    )
    assert cleaned.text == "The foreign ministry summoned the envoy on Tuesday."


def test_page_furniture_is_removed_and_article_sentences_kept() -> None:
    raw = "\n\n".join(
        [
            "By Jane Doe and John Roe, Reuters",
            "SEOUL (Reuters) - The North launched a drone over the border on Sunday.",
            "RECOMMENDED\nExports climb for a third month",
            "Officials said the drone flew for about an hour.",
            "Related: Allies plan drills next week",
            "Read more: What the new sanctions mean",
            "A soldier watches the border. REUTERS/Jane Doe",
            "Photo: A file image of the border post.",
            "(Photo: Yonhap)",
            "Additional reporting by John Roe in Tokyo",
            "Getty Images",
            "Share this article",
            "Subscribe to our daily briefing for more news like this",
            "The army fired warning shots, the ministry said.",
            "(Reporting by Jane Doe; Editing by Sam Poe)",
            "(Additional reporting by John Roe in Tokyo)",
            "Jane Doe is a correspondent for Example News based in Seoul.",
        ]
    )
    cleaned = clean_blocks(blocks_of(raw), datelines=DATELINES)
    assert cleaned.text == (
        "The North launched a drone over the border on Sunday.\n\n"
        "Officials said the drone flew for about an hour.\n\n"
        "The army fired warning shots, the ministry said."
    )
    assert (cleaned.dateline, cleaned.agency) == ("SEOUL", "Reuters")


@pytest.mark.parametrize(
    "line",
    [
        "By Tuesday, the North had fired three more missiles.",
        "Share prices in Seoul fell after the launch.",
        "Related talks in Beijing ended without a statement.",
        "The envoy said the report was written by analysts in Seoul.",
        "Reporting by state media could not be independently verified.",
        "Photographs released by the North showed a large crowd.",
    ],
)
def test_sentences_that_start_like_furniture_are_kept(line: str) -> None:
    assert not is_boilerplate(line)


def test_white_space_is_folded_and_zero_width_removed_but_curly_quotes_kept() -> None:
    line = "\u200b“We  are\u00a0ready,”\tshe said\u200e about the nuclear\u00ad-tipped  missile. "
    assert normalize_line(line) == "“We are ready,” she said about the nuclear-tipped missile."


def test_paragraphs_are_separated_by_one_blank_line() -> None:
    raw = "First point was made on Monday.\n\n\n\nSecond point came on Tuesday."
    cleaned = clean_blocks(blocks_of(raw), datelines=DATELINES)
    assert cleaned.text == "First point was made on Monday.\n\nSecond point came on Tuesday."


def test_hard_wrapped_lines_join_into_one_paragraph() -> None:
    block = [
        "North Korea fired two short-range ballistic missiles into the sea",
        "off its east coast on Thursday, the South's military said in a",
        "statement, the second launch in a week.",
    ]
    cleaned = clean_blocks([block], datelines=DATELINES, find_headline=True)
    assert cleaned.title is None
    assert cleaned.text == " ".join(block)


def test_one_paragraph_per_line_text_gives_up_its_headline() -> None:
    block = [
        "Envoys meet in Beijing",
        "Envoys from both Koreas met in Beijing on Monday.",
        "They agreed to meet again next month.",
    ]
    cleaned = clean_blocks([block], datelines=DATELINES, find_headline=True)
    assert cleaned.title == "Envoys meet in Beijing"
    assert cleaned.text == (
        "Envoys from both Koreas met in Beijing on Monday.\n\nThey agreed to meet again next month."
    )


def test_dateline_is_stripped_from_text_after_headline_and_byline() -> None:
    raw = (
        "Drills begin\n\nBy Jane Doe\n\n"
        "WASHINGTON, May 2 (AP) — The allies began drills on Tuesday.\n\nMore followed."
    )
    cleaned = clean_blocks(blocks_of(raw), datelines=DATELINES, find_headline=True)
    assert cleaned.text.startswith("The allies began drills on Tuesday.")
    assert cleaned.dateline == "WASHINGTON"
