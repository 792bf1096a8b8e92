from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from watchfloor.ingest.markdown import FrontMatterError, markdown_blocks, split_front_matter


def test_front_matter_is_read_and_body_follows_it() -> None:
    text = (
        "---\ntitle: Envoys meet\npublished: 2024-03-05T09:30:00+09:00\noutlet: Yonhap\n"
        "url: https://example.org/a\n---\nBody line here.\n"
    )
    front, body = split_front_matter(text)
    assert front["title"] == "Envoys meet"
    assert front["published"] == datetime(2024, 3, 5, 9, 30, tzinfo=timezone(timedelta(hours=9)))
    assert front["outlet"] == "Yonhap"
    assert body == "Body line here.\n"


def test_text_without_front_matter_is_returned_whole() -> None:
    assert split_front_matter("No front matter.\n---\nx: 1\n---\n") == (
        {},
        "No front matter.\n---\nx: 1\n---\n",
    )


@pytest.mark.parametrize("front", ["title: [unclosed", "- just\n- a list"])
def test_front_matter_that_is_not_a_yaml_mapping_is_an_error(front: str) -> None:
    with pytest.raises(FrontMatterError):
        split_front_matter(f"---\n{front}\n---\nBody.\n")


def test_markup_is_reduced_to_plain_text() -> None:
    body = (
        "# Drills **resume** today\n\n"
        "The *allies* began __joint__ drills, [the ministry](https://example.org/m_(1)) said.\n"
        "![a jet](jet.png)More jets joined `at_dawn` on ~~Monday~~ Tuesday.\n\n"
        "- First item about snake_case_names\n"
        "- Second item\n\n"
        "> A quoted line.\n\n"
        "---\n"
        "[1]: https://example.org/ref\n"
    )
    blocks, heading = markdown_blocks(body)
    assert heading == "Drills resume today"
    assert blocks == [
        ["Drills resume today"],
        [
            "The allies began joint drills, the ministry said.",
            "More jets joined at_dawn on Monday Tuesday.",
        ],
        ["First item about snake_case_names"],
        ["Second item"],
        ["A quoted line."],
    ]


def test_heading_after_text_is_not_the_title() -> None:
    blocks, heading = markdown_blocks("Opening words here.\n\n## Background\n\nMore.")
    assert heading is None
    assert ["Background"] in blocks
