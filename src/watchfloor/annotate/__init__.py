"""Annotate: build the spaCy pipeline once from settings and the domain pack.

The stock en_core_web_sm model knows no weapon names, tags "Biden’s" as a place and keeps the
curly "’s" inside entities. An entity ruler built from the pack, placed after the statistical
NER and allowed to overwrite it, fixes all three: pack actors, weapon systems, weapon classes,
outlets and places become entities with our own labels and the pack's canonical name as the
entity id, and a small component trims possessive endings off any entity that remains. Another,
before the parser, ends every sentence at a paragraph break.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from watchfloor.errors import E, WatchfloorError
from watchfloor.pack import Pack
from watchfloor.settings import Settings

# Entity labels our ruler assigns; the entity's ent_id_ holds the key into the pack.
ACTOR = "WF_ACTOR"  # ent_id_ = "<actor index>"
WEAPON = "WF_WEAPON"  # ent_id_ = canonical system name
WCLASS = "WF_WCLASS"  # ent_id_ = weapon class
OUTLET = "WF_OUTLET"  # ent_id_ = outlet name
PLACE = "WF_PLACE"  # ent_id_ = place name

EXPECTED_MODEL = {"version": "3.8.0", "spacy_git_version": "5010fcbd3"}

POSSESSIVE_ENDINGS = ("’s", "'s", "’", "'")


@Language.component("wf_trim_possessive")
def trim_possessive(doc: Doc) -> Doc:
    """Drop a trailing possessive token from every entity ("North Korea’s" -> "North Korea")."""
    ents: list[Span] = []
    for ent in doc.ents:
        if len(ent) > 1 and ent[-1].text in POSSESSIVE_ENDINGS:
            ent = Span(doc, ent.start, ent.end - 1, label=ent.label, kb_id=ent.kb_id)
        ents.append(ent)
    doc.ents = ents
    return doc


CLOSING_QUOTES = ('"', "”", "’", "'")


@Language.component("wf_paragraphs")
def paragraphs(doc: Doc) -> Doc:
    """Fix sentence boundaries the parser gets wrong at paragraph breaks, before it runs.

    A paragraph break (a blank line, as cleaning separates paragraphs) always ends a
    sentence: without this the parser runs a paragraph that
    ends in a quotation on into the next one. The break's white space, and a closing quotation
    mark right after a sentence's final stop ('significant."'), stay with the sentence they
    close instead of starting the next.
    """
    for i in range(1, len(doc)):
        token, prev = doc[i], doc[i - 1]
        if token.is_space:
            token.is_sent_start = False
        elif prev.is_space and prev.text.count("\n") >= 2:
            token.is_sent_start = True
        elif (token.text in CLOSING_QUOTES and prev.text in (".", "!", "?")
              and not prev.whitespace_
              and (token.whitespace_ or i + 1 == len(doc) or doc[i + 1].is_space)):
            token.is_sent_start = False
    return doc


def _phrase(text: str) -> str:
    # Patterns are matched on the token texts the tokenizer makes; normalising the curly
    # apostrophe lets one alias match both spellings.
    return text.replace("’", "'")


def ruler_patterns(pack: Pack) -> list[dict[str, Any]]:
    """Entity-ruler patterns for every name the pack knows, case-sensitive as written."""
    patterns: list[dict[str, Any]] = []

    def add(label: str, ent_id: str, names: tuple[str, ...]) -> None:
        for name in names:
            for variant in {name, _phrase(name), name.replace("'", "’")}:
                patterns.append({"label": label, "pattern": variant, "id": ent_id})

    for i, actor in enumerate(pack.actors):
        add(ACTOR, str(i), actor.aliases + actor.demonyms)
    for system in pack.weapons:
        add(WEAPON, system.name, (*system.aliases, system.name))
    for term in pack.weapon_classes:
        # Class phrases are descriptions ("short-range ballistic missile"): match any case.
        for phrase in term.phrases:
            for variant in {phrase, phrase.lower(), phrase.capitalize()}:
                patterns.append({"label": WCLASS, "pattern": variant, "id": term.weapon_class})
    for outlet in pack.outlets:
        add(OUTLET, outlet.name, (*outlet.aliases, outlet.name))
    for place in pack.places:
        add(PLACE, place.name, (*place.aliases, place.name))
    return patterns


@dataclass(frozen=True, slots=True)
class ModelInfo:
    name: str
    version: str
    spacy_git_version: str


def load_model(settings: Settings) -> Language:
    try:
        return spacy.load(settings.model)
    except OSError as exc:
        raise WatchfloorError(E.W201, model=settings.model) from exc


def model_info(nlp: Language) -> ModelInfo:
    meta = nlp.meta
    return ModelInfo(
        name=f"{meta.get('lang', '')}_{meta.get('name', '')}",
        version=str(meta.get("version", "")),
        spacy_git_version=str(meta.get("spacy_git_version", "")),
    )


def build_nlp(settings: Settings, pack: Pack) -> Language:
    """Load the model named in settings and add the pack's entity ruler. Done once per run."""
    nlp = load_model(settings)
    nlp.add_pipe("wf_paragraphs", before="parser")
    ruler = nlp.add_pipe(
        "entity_ruler",
        name="wf_ruler",
        after="ner",
        config={"overwrite_ents": True, "validate": False},
    )
    ruler.add_patterns(ruler_patterns(pack))  # type: ignore[attr-defined]
    nlp.add_pipe("wf_trim_possessive", after="wf_ruler")
    return nlp
