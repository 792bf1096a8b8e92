"""Whose word a report rests on: the outlet its sentence cites, so that stories relaying
KCNA count as one source and an act only the actor's state media tell of is claimed."""

from __future__ import annotations

import pytest

from watchfloor.consolidate.attribution import Attribution, Attributions
from watchfloor.pack import load_pack
from watchfloor.settings import PACKS_DIR


@pytest.fixture(scope="module")
def cited() -> Attributions:
    return Attributions(load_pack(PACKS_DIR / "korea"))


@pytest.mark.parametrize(("sentence", "outlet", "state"), [
    ("The North launched a new rocket on Thursday, KCNA said.", "KCNA", "PRK"),
    ("The official Korean Central News Agency reported that the launch succeeded.", "KCNA",
     "PRK"),
    ("According to Yonhap, the missile flew about 400 km.", "Yonhap", None),
    ("State media said Kim Jong Un had watched the test.", "KCNA", "PRK"),
])
def test_an_outlet_the_sentence_cites_is_its_source(
    cited: Attributions, sentence: str, outlet: str, state: str | None
) -> None:
    assert cited.of(sentence, "PRK") == Attribution(outlet, state)


@pytest.mark.parametrize("sentence", [
    "Officials in Seoul doubted KCNA's account of the launch.",
    "North Korea fired a missile on Monday, South Korea's military said.",
    "North Korea fired a missile on Monday.",
])
def test_an_outlet_only_named_or_none_leaves_the_article_s_source(
    cited: Attributions, sentence: str
) -> None:
    assert cited.of(sentence, "PRK") is None


def test_state_media_of_an_actor_the_pack_gives_none_is_no_source(cited: Attributions) -> None:
    assert cited.of("State media said the drills went ahead.", "XYZ") is None
