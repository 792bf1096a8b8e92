"""Near-duplicate articles: reprints link to their original, independent reports do not.

Every text here was written for these tests (an invented launch, invented outlets and
reporters); none is copied from a real article.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone

import pytest

from watchfloor.consolidate import (
    DEFAULT_THRESHOLD,
    ArticleText,
    DuplicateLink,
    find_near_duplicates,
    jaccard,
    shingle_set,
)

# The wire story, paragraph by paragraph, so that edited copies can be built from it.
WIRE_HEADLINE = "North Korea fires ballistic missile off east coast, South Korean military says"
WIRE_DATELINE = "SEOUL, March 14 (Harbour Wire) -"
WIRE_PARAGRAPHS = [
    "North Korea fired a short-range ballistic missile into the sea off its east coast on "
    "Tuesday morning, South Korea's Joint Chiefs of Staff said, its third launch in less than a "
    "month as Seoul and Washington prepared for their annual spring drills.",
    "The missile was launched from the Sunan area of Pyongyang at about 7:40 a.m. and flew some "
    "600 km before falling outside Japan's exclusive economic zone, the Joint Chiefs said in a "
    "message to reporters.",
    "“Our military has stepped up surveillance and vigilance against further launches and "
    "maintains full readiness while closely sharing information with the United States and "
    "Japan,” the Joint Chiefs said.",
    "Japan's defence ministry said it had detected the launch and that there were no reports of "
    "damage to ships or aircraft. Officials in Tokyo called an emergency meeting of senior staff "
    "soon after the missile came down.",
    "Analysts said the flight resembled that of the KN-23, a solid-fuel missile that flies on a "
    "low, manoeuvring path meant to evade missile defences. Pyongyang has tested several "
    "versions of it since 2019.",
    "The launch came a day after North Korean state media denounced the coming Freedom Shield "
    "exercises as a rehearsal for invasion and warned that the allies would pay dearly for "
    "their provocations.",
    "The U.S. Indo-Pacific Command said it was aware of the launch and was consulting closely "
    "with its allies, adding that it posed no immediate threat to U.S. personnel, territory or "
    "allies.",
    "North Korea has carried out a record number of missile tests over the past two years, "
    "including intercontinental ballistic missiles that could reach the U.S. mainland.",
    "U.N. Security Council resolutions ban Pyongyang from any use of ballistic missile "
    "technology, but Russia and China have blocked efforts to tighten sanctions since 2022.",
]
WIRE_CREDIT = "(Reporting by Min-ji Park; Editing by Tom Hale)"


def _article(*blocks: str) -> str:
    return "\n\n".join(blocks)


WIRE = _article(WIRE_HEADLINE, WIRE_DATELINE, *WIRE_PARAGRAPHS, WIRE_CREDIT)

# A paper's reprint: its own headline, dateline and credit line, the Indo-Pacific Command
# paragraph trimmed, the sentence on Japan's ministry reworded.
REPRINT = _article(
    "Pyongyang test-fires missile days before allied drills",
    "By Harbour Wire | Published March 14, 2023, 9:12 a.m.",
    *WIRE_PARAGRAPHS[:3],
    "Tokyo's defence ministry confirmed it had tracked the missile and said no ships or aircraft "
    "were reported damaged. Officials in Tokyo called an emergency meeting of senior staff soon "
    "after the missile came down.",
    *WIRE_PARAGRAPHS[4:6],
    *WIRE_PARAGRAPHS[7:],
    "Copyright 2023 Harbour Wire. All rights reserved.",
)

# Another outlet's own report of the same launch: the same facts, names and numbers, and the
# military's statement quoted word for word, as independent reports quote the same statement.
INDEPENDENT = _article(
    "North Korea launches missile as US and South Korea ready spring exercises",
    "TOKYO -",
    "North Korea test-fired a ballistic missile toward the waters east of the Korean Peninsula "
    "early Tuesday, according to South Korea's military, marking Pyongyang's third weapons "
    "launch in under four weeks.",
    "The short-range missile lifted off from the Sunan district of the North Korean capital "
    "around 7:40 a.m. and travelled roughly 600 kilometres, the Joint Chiefs of Staff in Seoul "
    "said. It came down beyond the exclusive economic zone that Japan claims.",
    "“Our military has stepped up surveillance and vigilance against further launches and "
    "maintains full readiness while closely sharing information with the United States and "
    "Japan,” the Joint Chiefs said in a statement.",
    "Japanese defence officials confirmed that they had tracked the missile and said there were "
    "no immediate reports of harm to vessels or planes in the area.",
    "Experts who reviewed the reported flight data said it matched the KN-23, a solid-fuel "
    "weapon known for flying at low altitude and changing course mid-flight to complicate "
    "interception. The North first showed the missile in 2019.",
    "The launch followed a Monday commentary in the North's state media that condemned the "
    "Freedom Shield drills, which the allies begin next week, and threatened that Seoul and "
    "Washington would pay dearly.",
    "Washington's Indo-Pacific Command said it was consulting with Seoul and Tokyo and judged "
    "that the launch posed no immediate threat to American personnel or territory.",
    "Pyongyang is barred by United Nations resolutions from developing ballistic missiles, yet "
    "it has tested them at an unprecedented pace since 2022, with Moscow and Beijing shielding "
    "it from new sanctions.",
    "By Akiko Mori, Eastern Daily",
)

# The same agency's story of another launch, recycling its two background paragraphs and its
# credit line word for word, as agencies do.
OTHER_LAUNCH = _article(
    "North Korea fires two cruise missiles toward Yellow Sea",
    "SEOUL, April 2 (Harbour Wire) -",
    "North Korea launched two cruise missiles over the Yellow Sea on Sunday evening, South "
    "Korea's military said, days after leader Kim Jong Un called for more weapons to be "
    "deployed along the coast.",
    "The missiles were fired from near the port city of Nampo and flew for about two hours "
    "before striking an island target, according to an assessment shared by officials in Seoul.",
    "Cruise missiles are not banned under U.N. resolutions in the way ballistic missiles are, "
    "but analysts say the North is building an arsenal meant to strike targets across the South "
    "at low altitude.",
    "South Korea's unification ministry urged Pyongyang to stop raising tensions and return to "
    "dialogue, while the defence ministry said it was analysing the flight data with Washington.",
    *WIRE_PARAGRAPHS[7:],
    WIRE_CREDIT,
)

# A paper that printed only the top half of the wire story, cut from the bottom.
TOP_HALF = _article(WIRE_HEADLINE, WIRE_DATELINE, *WIRE_PARAGRAPHS[:4])

T0 = datetime(2023, 3, 14, 0, 0, tzinfo=UTC)


def _doc(doc_id: str, text: str, minutes: int | None, order: int = 0) -> ArticleText:
    published = None if minutes is None else T0 + timedelta(minutes=minutes)
    return ArticleText(id=doc_id, text=text, published=published, order=order)


def _similarity(a: str, b: str) -> float:
    return jaccard(shingle_set(a), shingle_set(b))


# --- the measurements behind the default threshold -------------------------------------------


def test_default_threshold_separates_a_reprint_from_independent_reports() -> None:
    reprint = _similarity(WIRE, REPRINT)
    independent = _similarity(WIRE, INDEPENDENT)
    other_launch = _similarity(WIRE, OTHER_LAUNCH)
    # The values quoted next to DEFAULT_THRESHOLD; if the texts change, update both.
    assert round(reprint, 3) == 0.621
    assert round(independent, 3) == 0.059
    assert round(other_launch, 3) == 0.126
    assert round(_similarity(WIRE, TOP_HALF), 3) == 0.494
    assert max(independent, other_launch) < DEFAULT_THRESHOLD <= reprint


def test_neardup_copy_cut_to_its_top_half_links_only_under_a_lower_threshold() -> None:
    docs = [_doc("wire", WIRE, 0), _doc("top-half", TOP_HALF, 30)]
    assert find_near_duplicates(docs) == []
    assert find_near_duplicates(docs, threshold=0.45) == [
        DuplicateLink(doc_id="top-half", original_id="wire", similarity=0.494)
    ]


# --- behaviour ---------------------------------------------------------------------------------


@pytest.mark.parametrize("order", list(itertools.permutations(range(4))))
def test_neardup_reprint_links_to_earlier_wire_story_whatever_the_input_order(
        order: tuple[int, ...]) -> None:
    docs = [
        _doc("wire", WIRE, 0, order=3),
        _doc("reprint", REPRINT, 45, order=0),
        _doc("independent", INDEPENDENT, 30, order=1),
        _doc("other-launch", OTHER_LAUNCH, 60 * 24 * 19, order=2),
    ]
    links = find_near_duplicates([docs[i] for i in order])
    assert links == [DuplicateLink(doc_id="reprint", original_id="wire", similarity=0.621)]


def test_neardup_independent_reports_of_one_launch_are_not_linked() -> None:
    docs = [_doc("wire", WIRE, 0), _doc("independent", INDEPENDENT, 5)]
    assert find_near_duplicates(docs) == []
    # Not even at a threshold well under the default.
    assert find_near_duplicates(docs, threshold=0.2) == []


def test_neardup_agency_story_of_another_launch_with_recycled_background_is_not_linked() -> None:
    docs = [_doc("wire", WIRE, 0), _doc("other-launch", OTHER_LAUNCH, 60 * 24 * 19)]
    assert find_near_duplicates(docs) == []


def test_neardup_original_is_the_earliest_published_not_the_first_ingested() -> None:
    docs = [_doc("reprint", REPRINT, 45, order=0), _doc("wire", WIRE, 0, order=1)]
    assert [link.original_id for link in find_near_duplicates(docs)] == ["wire"]


def test_neardup_unknown_publication_time_sorts_after_any_known_time() -> None:
    docs = [_doc("wire", WIRE, None, order=0), _doc("reprint", REPRINT, 45, order=1)]
    assert find_near_duplicates(docs) == [
        DuplicateLink(doc_id="wire", original_id="reprint", similarity=0.621)
    ]


def test_neardup_same_time_falls_back_to_ingest_order_then_id() -> None:
    by_order = [_doc("b", WIRE, 0, order=0), _doc("a", REPRINT, 0, order=1)]
    assert [link.original_id for link in find_near_duplicates(by_order)] == ["b"]
    by_id = [_doc("b", WIRE, None, order=0), _doc("a", REPRINT, None, order=0)]
    assert [link.original_id for link in find_near_duplicates(by_id)] == ["a"]


def test_neardup_naive_and_aware_times_compare_naive_read_as_utc() -> None:
    seoul = timezone(timedelta(hours=9))
    docs = [
        # 09:00 in Seoul is 00:00 UTC, an hour after the naive 23:00 UTC the evening before.
        ArticleText(id="aware", text=WIRE, published=datetime(2023, 3, 14, 9, 0, tzinfo=seoul),
                    order=0),
        ArticleText(id="naive", text=REPRINT, published=datetime(2023, 3, 13, 23, 0), order=1),
    ]
    assert [link.original_id for link in find_near_duplicates(docs)] == ["naive"]


# A chain: B is A with two paragraphs rewritten, C is B with two more rewritten. A~B and B~C
# pass the threshold, A~C does not; all three still form one group, rooted at the earliest.
_REWRITES = [
    "Pyongyang's state news agency made no mention of the launch in its morning bulletin, "
    "which led instead with a report on spring planting on collective farms.",
    "A spokesman for the Pentagon said Washington remained committed to the defence of its two "
    "allies and urged the North to engage in talks without preconditions.",
    "Since the start of the year the North has fired ballistic and cruise missiles on eleven "
    "separate days, according to a count kept by officials in Seoul.",
    "Diplomats in New York said a closed-door meeting of the Security Council on the launches "
    "was unlikely before the end of the month.",
]
CHAIN_A = _article(WIRE_HEADLINE, *WIRE_PARAGRAPHS)
CHAIN_B = _article(WIRE_HEADLINE, *WIRE_PARAGRAPHS[:5], *_REWRITES[:2], *WIRE_PARAGRAPHS[7:])
CHAIN_C = _article(WIRE_HEADLINE, *WIRE_PARAGRAPHS[:3], *_REWRITES, *WIRE_PARAGRAPHS[7:])


def test_neardup_chain_resolves_to_the_earliest_member() -> None:
    assert _similarity(CHAIN_A, CHAIN_B) >= DEFAULT_THRESHOLD
    assert _similarity(CHAIN_B, CHAIN_C) >= DEFAULT_THRESHOLD
    assert _similarity(CHAIN_A, CHAIN_C) < DEFAULT_THRESHOLD
    docs = [_doc("c", CHAIN_C, 120), _doc("b", CHAIN_B, 60), _doc("a", CHAIN_A, 0)]
    links = find_near_duplicates(docs)
    assert [(link.doc_id, link.original_id) for link in links] == [("b", "a"), ("c", "a")]
    # The similarity is that of the copy and its original, under the threshold for c.
    assert links[1].similarity == round(_similarity(CHAIN_A, CHAIN_C), 3)


def test_neardup_chain_rooted_in_its_middle_member() -> None:
    docs = [_doc("a", CHAIN_A, 60), _doc("b", CHAIN_B, 0), _doc("c", CHAIN_C, 120)]
    links = find_near_duplicates(docs)
    assert [(link.doc_id, link.original_id) for link in links] == [("a", "b"), ("c", "b")]


def test_neardup_exact_copy_under_another_id_links_with_similarity_one() -> None:
    docs = [_doc("copy", WIRE, 10), _doc("wire", WIRE, 0)]
    assert find_near_duplicates(docs) == [
        DuplicateLink(doc_id="copy", original_id="wire", similarity=1.0)
    ]


def test_neardup_same_id_given_twice_counts_once() -> None:
    docs = [_doc("wire", WIRE, 0), _doc("wire", WIRE, 0), _doc("reprint", REPRINT, 45)]
    assert find_near_duplicates(docs) == [
        DuplicateLink(doc_id="reprint", original_id="wire", similarity=0.621)
    ]


def test_neardup_same_id_twice_keeps_the_earlier_record_whatever_the_order() -> None:
    # "wire" is ingested twice, once with an earlier time; that time makes it the original.
    early, late = _doc("wire", WIRE, 0, order=5), _doc("wire", WIRE, 90, order=6)
    reprint = _doc("reprint", REPRINT, 45, order=1)
    for docs in ([early, late, reprint], [late, early, reprint], [reprint, late, early]):
        assert [link.original_id for link in find_near_duplicates(docs)] == ["wire"]


def test_neardup_same_id_with_different_texts_is_an_error() -> None:
    with pytest.raises(ValueError, match="'wire' is given twice with different texts"):
        find_near_duplicates([_doc("wire", WIRE, 0), _doc("wire", REPRINT, 45)])


@pytest.mark.parametrize("blank", ["", "   \n\n ", "— … “” ?!", "\u200b"])
def test_neardup_text_without_words_is_skipped(blank: str) -> None:
    docs = [_doc("blank-1", blank, 0), _doc("blank-2", blank, 5),
            _doc("wire", WIRE, 10), _doc("reprint", REPRINT, 45)]
    assert find_near_duplicates(docs) == [
        DuplicateLink(doc_id="reprint", original_id="wire", similarity=0.621)
    ]
    assert find_near_duplicates([_doc("blank", blank, 0)]) == []
    assert find_near_duplicates([]) == []


def test_neardup_short_texts_are_one_shingle_and_link_only_when_the_same_words() -> None:
    assert shingle_set("Missile launched.") == frozenset({"missile launched"})
    docs = [
        _doc("flash", "North Korea fires missile", 0),
        _doc("flash-copy", "NORTH KOREA FIRES MISSILE!", 1),
        _doc("flash-other", "North Korea fires missiles", 2),
        # A longer text holding the short one is not its copy.
        _doc("story", "North Korea fires missile, Seoul says, the third launch this month", 3),
    ]
    assert find_near_duplicates(docs) == [
        DuplicateLink(doc_id="flash-copy", original_id="flash", similarity=1.0)
    ]


def test_neardup_normalisation_folds_case_quotes_punctuation_and_width() -> None:
    plain = shingle_set("Kim's KN-23 missile \"flew\" 600 km, they said", n=3)
    styled = shingle_set("KIM’S  ＫＮ－２３ missile “flew”\n600 km — they said…", n=3)
    assert plain == styled
    assert "kims kn 23" in plain


def test_neardup_shuffled_input_gives_the_same_links() -> None:
    docs = [
        _doc("wire", WIRE, 0), _doc("reprint", REPRINT, 45), _doc("copy", WIRE, 50),
        _doc("independent", INDEPENDENT, 30), _doc("other-launch", OTHER_LAUNCH, 9000),
        _doc("a", CHAIN_A, 200), _doc("b", CHAIN_B, 100), _doc("c", CHAIN_C, None),
        _doc("top-half", TOP_HALF, 70),
    ]
    expected = find_near_duplicates(docs)
    # One group under the wire story; the top half (0.494) stays out of it.
    assert [(link.doc_id, link.original_id) for link in expected] == [
        ("a", "wire"), ("b", "wire"), ("c", "wire"), ("copy", "wire"), ("reprint", "wire")
    ]
    rng = random.Random(20230314)
    for _ in range(20):
        shuffled = docs[:]
        rng.shuffle(shuffled)
        assert find_near_duplicates(shuffled) == expected


_IN_ANOTHER_PROCESS = """
import json, sys
from watchfloor.consolidate import ArticleText, find_near_duplicates
docs = [ArticleText(id=d["id"], text=d["text"], published=None, order=d["order"])
        for d in json.load(sys.stdin)]
print(json.dumps([[x.doc_id, x.original_id, x.similarity] for x in find_near_duplicates(docs)]))
"""


def test_neardup_same_links_in_processes_with_different_hash_seeds() -> None:
    docs = [{"id": f"doc-{i}", "text": text, "order": i}
            for i, text in enumerate([WIRE, REPRINT, INDEPENDENT, CHAIN_A, CHAIN_B, CHAIN_C])]
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run([sys.executable, "-c", _IN_ANOTHER_PROCESS], input=json.dumps(docs),
                             capture_output=True, text=True, env=env, check=True)
        outputs.append(json.loads(run.stdout))
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) == 4  # reprint and chain members onto the wire story, one group


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"threshold": 0.0}, "threshold 0.0 is not in"),
    ({"threshold": 1.5}, "threshold 1.5 is not in"),
    ({"num_perm": 1}, "num_perm 1 is under 2"),
    ({"shingle": 0}, "shingle 0 is under 1"),
])
def test_neardup_parameters_out_of_range_are_refused(kwargs: dict[str, float],
                                                     message: str) -> None:
    with pytest.raises(ValueError, match=message):
        find_near_duplicates([], **kwargs)  # type: ignore[arg-type]


# --- scale --------------------------------------------------------------------------------------

_SYLLABLES = ["ka", "ri", "mon", "sul", "pa", "dong", "hae", "ju", "won", "gil", "bo", "san",
              "chon", "yang", "ne", "mi", "to", "gang", "ri", "su"]
_TEMPLATES = [
    "{p} said on {d} that {q} units near {pl} had moved {n} launchers toward the coast.",
    "Officials in {pl} reported that the {w} flew about {n} kilometres before landing.",
    "The {w} was the {o} test this year, according to a count by {q} analysts.",
    "{p} of the {q} institute said the launch was meant to send a message to {pl}.",
    "Satellite images taken on {d} showed {n} vehicles at a site outside {pl}.",
    "The ministry in {pl} called the {w} a provocation and demanded that {p} answer for it.",
    "Analysts including {p} said the {w} could carry a warhead of about {n} kilograms.",
    "Residents of {pl} were told to stay indoors for {n} minutes on {d}.",
]


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _generated_article(rng: random.Random) -> str:
    sentences = []
    for _ in range(14):
        template = rng.choice(_TEMPLATES)
        sentences.append(template.format(
            p=f"{_name(rng)} {_name(rng)}", q=_name(rng), pl=_name(rng),
            w=f"{_name(rng)}-{rng.randint(1, 40)} missile", n=rng.randint(2, 2000),
            d=f"{rng.choice(['Monday', 'Tuesday', 'Friday', 'Sunday'])} {rng.randint(1, 28)}",
            o=rng.choice(["fourth", "seventh", "ninth", "twelfth", "first"]),
        ))
    return " ".join(sentences)


def test_neardup_two_thousand_distinct_articles_give_no_false_link() -> None:
    rng = random.Random(14)
    texts = [_generated_article(rng) for _ in range(2000)]
    docs = [ArticleText(id=f"gen-{i:04d}", text=t, published=None, order=i)
            for i, t in enumerate(texts)]
    assert find_near_duplicates(docs) == []


def test_neardup_planted_reprints_are_all_found_among_two_thousand_articles() -> None:
    rng = random.Random(15)
    texts = [_generated_article(rng) for _ in range(2000)]
    docs = [ArticleText(id=f"gen-{i:04d}", text=t, published=None, order=i)
            for i, t in enumerate(texts)]
    planted = []
    for k, i in enumerate(range(0, 2000, 100)):
        # One sentence swapped for a new one, as an editor would.
        sentences = texts[i].split(". ")
        sentences[len(sentences) // 2] = "An editor added this sentence about the launch"
        docs.append(ArticleText(id=f"copy-{k:02d}", text=". ".join(sentences), published=None,
                                order=5000 + k))
        planted.append((f"copy-{k:02d}", f"gen-{i:04d}"))
    links = find_near_duplicates(docs)
    assert sorted((link.doc_id, link.original_id) for link in links) == sorted(planted)
    assert all(link.similarity >= DEFAULT_THRESHOLD for link in links)


def test_neardup_copies_just_over_the_threshold_are_all_found() -> None:
    # Three of fourteen sentences rewritten, the opening two kept as copies keep them: Jaccard
    # 0.54 to 0.69, median 0.62, like the reprint above. datasketch's own band split for 0.5 (25
    # bands of 5) finds 173 of these 200; the split chosen for recall must find them all.
    rng = random.Random(16)
    docs = []
    for i in range(200):
        original = _generated_article(rng)
        sentences = original.split(". ")
        for j in rng.sample(range(2, len(sentences)), 3):
            sentences[j] = _generated_article(rng).split(". ")[0]
        copy = ". ".join(sentences)
        assert _similarity(original, copy) >= DEFAULT_THRESHOLD
        docs += [ArticleText(id=f"original-{i:03d}", text=original, published=None, order=2 * i),
                 ArticleText(id=f"copy-{i:03d}", text=copy, published=None, order=2 * i + 1)]
    links = find_near_duplicates(docs)
    assert [(link.doc_id, link.original_id) for link in links] == [
        (f"copy-{i:03d}", f"original-{i:03d}") for i in range(200)
    ]


def test_short_stories_sharing_only_background_are_not_copies() -> None:
    # two agencies' own reports of one launch, each closing with the same long background
    # paragraph: most shingles shared, openings not
    background = (" The North has fired more than a dozen missiles this year, defying United "
                  "Nations resolutions that ban it from developing ballistic missile technology, "
                  "and has threatened to strike the United States and its allies in the region "
                  "if they move against it. Analysts say each launch teaches its engineers "
                  "something new about the range and reliability of its rockets. ") * 2
    a = ("SEOUL - North Korea fired a ballistic missile into the sea off its east coast on "
         "Sunday morning, South Korea's military said." + background)
    b = ("TOKYO - Japan lodged a protest after a North Korean missile splashed down in waters "
         "near its coast on Sunday, the government said." + background)
    assert _similarity(a, b) >= DEFAULT_THRESHOLD
    assert find_near_duplicates([ArticleText("a", a, None, 0), ArticleText("b", b, None, 1)]) == []
