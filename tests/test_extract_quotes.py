"""Quotes: their speaker (as the article names them), the speaker's actor and the channel.

Every sentence here is written for these tests; none is taken from an article.
"""

from __future__ import annotations

from datetime import UTC, datetime

from watchfloor.extract.actors import ActorIndex
from watchfloor.extract.extractor import Extractor
from watchfloor.extract.quotes import (
    QuoteFinder,
    RawQuote,
    clean_quote,
    home_state,
    looks_like_title,
    quote_spans,
)
from watchfloor.records import Document, Quote


def quotes(extractor: Extractor, text: str) -> list[Quote]:
    doc = Document(
        id=Document.make_id(text),
        text=text,
        source="<test>",
        published=datetime(2019, 5, 10, 3, 0, tzinfo=UTC),
        tz="Asia/Seoul",
    )
    return extractor.extract(doc).quotes


def raw_quotes(extractor: Extractor, text: str, home: str | None) -> list[RawQuote]:
    sdoc = extractor.nlp(text)
    finder = QuoteFinder(ActorIndex.build(extractor.pack, sdoc), extractor.lexicon.cues,
                         home=home)
    return finder.find(sdoc)


def one(found: list[Quote], start: str) -> Quote:
    hits = [q for q in found if q.text.startswith(start)]
    assert len(hits) == 1, [q.text for q in found]
    return hits[0]


# --- the speaker of the clause that reports the quote ----------------------------------------


def test_quotes_after_saying_belong_to_the_subject_of_the_main_verb(
    extractor: Extractor,
) -> None:
    q = one(quotes(extractor, "South Korea's Joint Chiefs of Staff said the army was tracking "
                              "the boats, saying \"our units stay on full alert.\""), "our units")
    assert q.speaker_actor == "KOR"
    assert q.speaker is not None and "Joint Chiefs" in q.speaker


def test_quotes_a_statement_speaks_for_the_body_that_issued_it(extractor: Extractor) -> None:
    text = ("North Korea's foreign ministry issued a statement on Sunday. \"The new sanctions "
            "amount to a declaration of war,\" the statement said.")
    q = one(quotes(extractor, text), "The new sanctions")
    assert q.speaker_actor == "PRK"


def test_quotes_the_writer_hears_the_outermost_speaker(extractor: Extractor) -> None:
    text = ("Joe Biden told reporters that Kim Jong Un had asked for \"a full lifting of "
            "sanctions\" before any freeze.")
    q = one(quotes(extractor, text), "a full lifting")
    assert (q.speaker, q.speaker_actor) == ("Joe Biden", "USA")


def test_quotes_a_coordinate_clause_keeps_its_own_speaker(extractor: Extractor) -> None:
    text = ("Donald Trump mocked Kim Jong Un in a speech last spring, and Kim called him "
            "\"a frightened old man\" a week later.")
    q = one(quotes(extractor, text), "a frightened old man")
    assert q.speaker_actor == "PRK"


def test_quotes_a_verb_that_is_not_of_saying_still_gives_its_subject(
    extractor: Extractor,
) -> None:
    q = one(quotes(extractor, "Kim Jong Un hailed the launch as \"a historic leap\" for the "
                              "country."), "a historic leap")
    assert q.speaker_actor == "PRK"


def test_quotes_an_outlet_quoting_someone_is_the_channel(extractor: Extractor) -> None:
    text = ("Kim Jong Un visited the launch site. The state news agency KCNA quoted Kim as "
            "saying the engine test was \"a great success for our scientists\".")
    q = one(quotes(extractor, text), "a great success")
    assert (q.speaker_actor, q.channel) == ("PRK", "KCNA")
    assert q.speaker is not None and q.speaker.startswith("Kim")


def test_quotes_a_named_spokesman_is_named(extractor: Extractor) -> None:
    text = ("A spokesman for China's foreign ministry, Geng Shuang, said: \"We oppose any "
            "unilateral sanctions.\"")
    q = one(quotes(extractor, text), "We oppose any unilateral")
    assert (q.speaker, q.speaker_actor) == ("Geng Shuang", "CHN")


# --- pronouns and quotes that run on ------------------------------------------------------


def test_quotes_he_is_the_person_named_before_with_their_affiliation(
    extractor: Extractor,
) -> None:
    text = ("Mark Ellison, a researcher at a policy institute in Seoul, said the timing was "
            "no accident. \"They have been preparing this for weeks,\" he said.")
    q = one(quotes(extractor, text), "They have been preparing")
    assert (q.speaker, q.speaker_actor) == ("Mark Ellison", "KOR")


def test_quotes_a_name_in_the_pronouns_own_clause_is_not_its_antecedent(
    extractor: Extractor,
) -> None:
    text = ("Donald Trump spoke at the White House on Monday. Referring to Xi Jinping, he "
            "said: \"He is a very good friend of mine.\"")
    q = one(quotes(extractor, text), "He is a very good friend")
    assert q.speaker_actor == "USA"


def test_quotes_a_bare_quote_takes_the_speaker_of_the_one_before(extractor: Extractor) -> None:
    text = "\"We will not back down,\" said Moon Jae-in. \"Peace needs strength behind it.\""
    found = quotes(extractor, text)
    assert [q.speaker_actor for q in found] == ["KOR", "KOR"]
    assert one(found, "Peace needs").speaker == "Moon Jae-in"


def test_quotes_the_sentence_before_a_colon_gives_the_speaker(extractor: Extractor) -> None:
    text = "Donald Trump answered on Twitter the same night:\n\"They will regret it!\""
    text = text.replace("\n", " ")
    q = one(quotes(extractor, text), "They will regret it!")
    assert (q.speaker_actor, q.channel) == ("USA", "Twitter")


def test_quotes_a_name_that_starts_with_a_pack_alias_is_someone_else(
    extractor: Extractor,
) -> None:
    text = ("Kim Jong Un watched the launch from a hill. \"It was a routine test,\" said Kim "
            "Min-ji, an analyst at a research institute in Seoul.")
    q = one(quotes(extractor, text), "It was a routine test")
    assert q.speaker is not None and q.speaker.startswith("Kim Min")
    assert q.speaker_actor == "KOR"


def test_quotes_affiliation_beats_the_subject_of_study(extractor: Extractor) -> None:
    text = ("\"The engine is new,\" said Lee Jae-won, a professor of North Korean studies at a "
            "university in Seoul.")
    q = one(quotes(extractor, text), "The engine is new")
    assert q.speaker_actor == "KOR"


# --- roles ------------------------------------------------------------------------------------


def test_quotes_the_official_is_the_official_named_before(extractor: Extractor) -> None:
    text = ("An official from South Korea's defence ministry briefed reporters in Seoul. "
            "\"The launcher moved overnight,\" the official said.")
    q = one(quotes(extractor, text), "The launcher moved")
    assert q.speaker_actor == "KOR"


def test_quotes_a_military_official_belongs_to_the_military_named_before(
    extractor: Extractor,
) -> None:
    text = ("South Korea's military raised its alert level on Friday. \"We saw two flashes "
            "near the coast,\" a military official said.")
    q = one(quotes(extractor, text), "We saw two flashes")
    assert q.speaker_actor == "KOR"


def test_quotes_a_presenter_speaks_for_the_state_of_the_broadcaster(
    extractor: Extractor,
) -> None:
    text = "A presenter on Korean Central Television called the test \"a perfect success.\""
    q = one(quotes(extractor, text), "a perfect success")
    assert q.speaker_actor == "PRK"
    assert q.channel == "KRT"


# --- channels ---------------------------------------------------------------------------------


def test_quotes_told_an_outlet_is_the_channel(extractor: Extractor) -> None:
    text = "\"The drills will go ahead,\" a South Korean defence official told Yonhap."
    q = one(quotes(extractor, text), "The drills will go ahead")
    assert (q.speaker_actor, q.channel) == ("KOR", "Yonhap")


def test_quotes_according_to_an_outlet_is_the_channel_not_the_speaker(
    extractor: Extractor,
) -> None:
    text = "Kim Jong Un called the launch \"a great victory\", according to KCNA."
    q = one(quotes(extractor, text), "a great victory")
    assert (q.speaker, q.speaker_actor, q.channel) == ("Kim Jong Un", "PRK", "KCNA")


def test_quotes_quoted_by_an_outlet_as_saying(extractor: Extractor) -> None:
    text = "Wang Yi was quoted by Xinhua as saying \"dialogue is the only way forward\"."
    q = one(quotes(extractor, text), "dialogue is the only way")
    assert (q.speaker, q.speaker_actor, q.channel) == ("Wang Yi", "CHN", "Xinhua")


def test_quotes_an_outlet_that_speaks_is_speaker_and_channel(extractor: Extractor) -> None:
    text = "KCNA said the joint drills were \"a rehearsal for invasion\"."
    q = one(quotes(extractor, text), "a rehearsal for invasion")
    assert (q.speaker_actor, q.channel) == ("PRK", "KCNA")


def test_quotes_the_agency_carrying_a_statement_is_its_channel(extractor: Extractor) -> None:
    text = ("North Korea's army said in a statement that it was ready. \"Our guns are "
            "loaded,\" said the statement, carried by KCNA.")
    q = one(quotes(extractor, text), "Our guns are loaded")
    assert (q.speaker_actor, q.channel) == ("PRK", "KCNA")


def test_quotes_a_speaker_keeps_their_channel_until_an_audience_is_named(
    extractor: Extractor,
) -> None:
    text = ("\"Talks are still possible,\" Joe Biden said in an interview with Reuters.\n\n"
            "\"We are patient,\" Biden said.\n\n"
            "\"Nothing is agreed yet,\" Biden told reporters later.")
    found = quotes(extractor, text)
    assert [q.channel for q in found] == ["Reuters", "Reuters", None]
    assert {q.speaker_actor for q in found} == {"USA"}


def test_quotes_an_unnamed_outlet_is_named_as_the_article_names_it(
    extractor: Extractor,
) -> None:
    text = ("Asked about the visit, Vladimir Putin said, \"We came here to work,\" according to "
            "Russian state media.")
    q = one(quotes(extractor, text), "We came here to work")
    assert q.speaker_actor == "RUS"
    assert q.channel == "Russian state media"


def test_quotes_the_chain_of_outlets_is_kept_nearest_first(extractor: Extractor) -> None:
    found = raw_quotes(extractor, "KCNA said Kim Jong Un told the meeting that \"the enemy "
                                  "will pay dearly\", according to Yonhap.", None)
    assert len(found) == 1
    assert found[0].speaker is not None and found[0].speaker.code == "PRK"
    assert found[0].via[:2] == ("KCNA", "Yonhap")


# --- people with no affiliation in the text --------------------------------------------------


def test_quotes_an_unaffiliated_person_takes_the_home_state(extractor: Extractor) -> None:
    text = ("\"The market shrugged it off,\" said Ellen Marsh, a fund manager at Harbor "
            "Capital.")
    assert [q.speaker.code for q in raw_quotes(extractor, text, "KOR") if q.speaker] == ["KOR"]
    assert [q.speaker.code for q in raw_quotes(extractor, text, None) if q.speaker] == [None]


def test_quotes_home_state_from_the_dateline(extractor: Extractor) -> None:
    pack = extractor.pack
    assert home_state(pack, "SEOUL") == "KOR"
    assert home_state(pack, "WASHINGTON") == "USA"
    assert home_state(pack, "BEIJING/SEOUL") == "CHN"
    assert home_state(pack, "ATLANTIS") is None
    assert home_state(pack, "UNITED NATIONS") is None  # a body, not a state
    assert home_state(pack, None) is None


# --- what is a quote --------------------------------------------------------------------------


def test_quotes_mixed_marks_and_the_quote_keeps_its_own_full_stop(extractor: Extractor) -> None:
    text = "South Korea's foreign ministry called the test “a reckless provocation.\""
    found = quotes(extractor, text)
    q = one(found, "a reckless provocation")
    assert q.text == "a reckless provocation."
    assert q.speaker_actor == "KOR"
    assert text[q.prov.start : q.prov.end] == q.text


def test_quotes_a_title_in_quotation_marks_is_not_a_quote(extractor: Extractor) -> None:
    text = "The Senate passed the \"North Korea Shipping Review Act\" by a wide margin."
    assert quotes(extractor, text) == []


def test_quotes_a_short_term_nobody_said_is_not_a_quote(extractor: Extractor) -> None:
    text = "The plan includes \"decoy launches\" among other measures."
    assert quotes(extractor, text) == []


def test_quote_spans_and_clean_quote() -> None:
    text = "He said “one two,” then \"three four\" and ‘five six seven’ but not the North’s."
    spans = [text[a:b] for a, b in quote_spans(text)]
    assert spans == ["one two,", "three four", "five six seven"]
    assert clean_quote(" one two, ") == "one two"
    assert clean_quote("Why limit it?") == "Why limit it?"
    assert quote_spans("\"open\n\nclose\"") == []


def test_looks_like_title() -> None:
    assert looks_like_title("North Korea Sanctions and Policy Enhancement Act")
    assert not looks_like_title("It Won't Happen!")
    assert not looks_like_title("a complete success")
    assert not looks_like_title("Fire")


def test_quotes_a_said_the_tagger_takes_for_a_noun_still_names_the_speaker(
    extractor: Extractor,
) -> None:
    # en_core_web_sm tags this "said" as a noun; the parser still gives it its subject
    text = ("North Korea fired a missile on Monday. \"We will try again,\" South Korean "
            "President Moon Jae-in said of the stalled talks.")
    assert [(q.speaker, q.speaker_actor) for q in quotes(extractor, text)] == [
        ("Moon Jae-in", "KOR")]
