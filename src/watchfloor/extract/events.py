"""Events: trigger words from the pack's ontology, read through the dependency parse.

For each trigger the parse gives the actor (the verb's subject, the agent of a passive, the
possessor of a noun: "North Korea's test"), the target (the object, or the object of "on",
"against", "with", "over": "urged North Korea", "sanctions on Pyongyang"), the weapon (a pack
weapon or class inside the trigger's phrase, else in its sentence), the count ("two
short-range missiles"), the date (the nearest date span in the sentence) and the modality
(modality.py). A subject that is a pronoun takes its antecedent; a subject of several
conjoined actors gives one event per actor, an object of several targets one per target, as
CAMEO dyads do.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Span, Token

from watchfloor.annotate import PLACE, WCLASS, WEAPON
from watchfloor.extract.actors import ActorIndex, Referent
from watchfloor.extract.modality import ModalityCues, modality_of
from watchfloor.pack import Pack
from watchfloor.records import SYMMETRIC_TYPES, Granularity, Modality

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a pair of": 2, "several": None,
}
TARGET_PREPS = ("on", "upon", "against", "to", "with", "over", "at", "toward", "towards", "into",
                "from", "between")
SUBJECTS = ("nsubj", "nsubjpass", "csubj")
# Verbs that only carry a noun trigger ("conducted a test", "imposed sanctions").
LIGHT_VERBS = frozenset({"conduct", "carry", "hold", "impose", "issue", "stage", "make", "express",
                         "voice", "launch", "resume", "begin", "start", "continue", "slap",
                         "level", "file", "lodge", "reach", "sign", "extend", "offer"})
SPEECH_TYPES = frozenset({"statement", "appeal", "accuse", "threaten", "offer", "reject"})


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Trigger lemmas from the pack's ontology, indexed for the hot loop."""

    verbs: Mapping[str, tuple[str, ...]]
    nouns: Mapping[str, tuple[str, ...]]
    objects: Mapping[str, frozenset[str]]  # type -> lemmas its trigger needs nearby
    stances: Mapping[str, str]  # trigger lemma -> stance, for statements
    cues: ModalityCues

    @classmethod
    def from_pack(cls, pack: Pack) -> Lexicon:
        verbs: dict[str, list[str]] = {}
        nouns: dict[str, list[str]] = {}
        objects: dict[str, frozenset[str]] = {}
        stances: dict[str, str] = {}
        for name, et in pack.event_types.items():
            for lemma in et.verbs:
                verbs.setdefault(lemma.lower(), []).append(name)
            for lemma in et.nouns:
                nouns.setdefault(lemma.lower(), []).append(name)
            objects[name] = frozenset(o.lower() for o in et.objects)
            for lemma, stance in et.stances.items():
                stances[lemma.lower()] = stance
        return cls(
            verbs={k: tuple(v) for k, v in verbs.items()},
            nouns={k: tuple(v) for k, v in nouns.items()},
            objects=objects,
            stances=stances,
            cues=ModalityCues.from_pack(pack.modality),
        )


@dataclass(slots=True)
class DateRef:
    start_tok: int
    end_tok: int
    text: str
    start: date
    end: date
    granularity: Granularity


@dataclass(slots=True)
class RawEvent:
    """An event found in one sentence, before ids and provenance are attached."""

    type: str
    actor: str | None
    target: str | None
    modality: Modality
    trigger: Token
    span: Span
    weapon: str | None = None
    weapon_class: tuple[str, ...] = ()
    count: int | None = None
    location: str | None = None
    stance: str | None = None
    date: DateRef | None = None
    participants: tuple[str, ...] = ()
    confidence: float = 0.8
    actor_inferred: bool = False
    extras: dict[str, str] = field(default_factory=dict)


def _phrase(tok: Token) -> list[Token]:
    """The tokens of the noun phrase or verb object phrase headed by tok."""
    out: list[Token] = []
    stack = [tok]
    while stack:
        t = stack.pop()
        out.append(t)
        for c in t.children:
            if c.dep_ not in ("relcl", "advcl", "ccomp", "parataxis", "nsubj", "nsubjpass",
                              "punct", "cc", "mark"):
                stack.append(c)
    return out


def subject_of(verb: Token) -> list[Token]:
    """The subject tokens of a verb, through control and coordination."""
    for child in verb.children:
        if child.dep_ == "agent":
            return [t for t in child.children if t.dep_ == "pobj"]
    for child in verb.children:
        if child.dep_ in ("nsubj", "csubj"):
            return [child]
    for child in verb.children:
        if child.dep_ == "nsubjpass" and verb.lemma_ not in ("sanction",):
            return [child]
    head = verb.head
    if head.i == verb.i:
        return []
    if verb.dep_ == "xcomp":
        objs = [c for c in head.children if c.dep_ in ("dobj",)]
        if objs:  # object control: "urged North Korea to resume"
            return objs
        return subject_of(head)
    if verb.dep_ in ("conj", "advcl", "acl", "pcomp", "relcl") and head.pos_ in ("VERB", "AUX"):
        if verb.dep_ == "advcl" and head.dep_ == "xcomp":
            return subject_of(head.head)  # participle of the main clause, misattached
        return subject_of(head)
    return []


def conjuncts(tok: Token) -> list[Token]:
    out = [tok]
    for c in tok.conjuncts:
        if c.i > tok.i:
            out.append(c)
    return out


class EventFinder:
    """Finds events in one sentence; built once per document with its actor index."""

    def __init__(self, pack: Pack, lexicon: Lexicon, actors: ActorIndex) -> None:
        self.pack = pack
        self.lex = lexicon
        self.actors = actors

    # --- triggers ---------------------------------------------------------------------

    def triggers(self, sent: Span) -> list[tuple[Token, str]]:
        found: list[tuple[Token, str]] = []
        for tok in sent:
            lemma = tok.lemma_.lower()
            if tok.pos_ == "VERB" and lemma in self.lex.verbs:
                types = self.lex.verbs[lemma]
            elif tok.pos_ in ("NOUN", "PROPN", "ADJ") and lemma in self.lex.nouns:
                types = self.lex.nouns[lemma]
            else:
                continue
            for t in types:
                if self._licensed(tok, t, sent):
                    found.append((tok, t))
                    break
        return self._drop_light_verbs(found)

    def _licensed(self, tok: Token, etype: str, sent: Span) -> bool:
        needed = self.lex.objects.get(etype)
        if not needed:
            return True
        phrase = _phrase(tok) if tok.pos_ != "VERB" else [
            t for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "prep", "attr", "npadvmod")
            for t in c.subtree
        ]
        if tok.pos_ != "VERB":
            phrase = [*phrase, tok.head] if tok.dep_ in ("compound", "amod") else phrase
        for t in phrase:
            if t.lemma_.lower() in needed or t.ent_type_ in (WEAPON, WCLASS):
                return True
        if tok.pos_ == "VERB":
            return False
        # A bare "tests" or "launch" counts in a sentence that names a weapon.
        return any(t.ent_type_ in (WEAPON, WCLASS) or t.lemma_.lower() in needed for t in sent)

    def _drop_light_verbs(self, found: list[tuple[Token, str]]) -> list[tuple[Token, str]]:
        """"conducted a nuclear test": keep the noun, drop the verb of the same type."""
        nouns = {(t.head.i, ty) for t, ty in found if t.pos_ in ("NOUN", "PROPN")}
        return [
            (t, ty)
            for t, ty in found
            if not (t.pos_ == "VERB" and (t.i, ty) in nouns)
        ]

    # --- arguments --------------------------------------------------------------------

    def actor_candidates(self, trig: Token) -> tuple[list[Referent], bool]:
        """Referents acting, and whether they were inferred rather than read off the parse."""
        heads: list[Token] = []
        if trig.pos_ == "VERB":
            heads = subject_of(trig)
        else:
            for c in trig.children:
                if c.dep_ == "poss" or (c.dep_ in ("compound", "amod", "nmod") and
                                        self.actors.by_token.get(c.i) is not None and
                                        self.actors.by_token[c.i].kind in ("state", "organisation",
                                                                           "person")):
                    heads = [c]
                    break
            if not heads:
                for c in trig.children:
                    if c.dep_ == "prep" and c.lower_ == "by":
                        heads = [p for p in c.children if p.dep_ == "pobj"]
            if not heads and trig.head.i != trig.i and trig.dep_ in ("dobj", "attr", "pobj",
                                                                      "nsubjpass"):
                verb = trig.head if trig.dep_ != "pobj" else trig.head.head
                if verb.pos_ in ("VERB", "AUX"):
                    heads = subject_of(verb)
        refs: list[Referent] = []
        for h in heads:
            for c in conjuncts(h):
                ref = self.actors.referent_in(c)
                if ref is not None and ref.code and all(r.code != ref.code for r in refs):
                    refs.append(ref)
        return refs, False

    def target_candidates(self, trig: Token, actor_codes: set[str]) -> list[Referent]:
        slots: list[list[Token]] = []
        children = list(trig.children)
        if trig.pos_ == "VERB":
            slots.append([c for c in children if c.dep_ in ("dobj", "iobj", "dative")])
            if any(c.dep_ == "nsubjpass" for c in children) and any(
                c.dep_ == "agent" for c in children
            ):
                slots.append([c for c in children if c.dep_ == "nsubjpass"])
        preps = [c for c in children if c.dep_ == "prep" and c.lower_ in TARGET_PREPS]
        if trig.pos_ == "VERB":
            for c in children:
                if c.dep_ in ("dobj", "prt"):
                    preps.extend(p for p in c.children if p.dep_ == "prep" and
                                 p.lower_ in TARGET_PREPS)
        for p in preps:
            slots.append([t for t in p.children if t.dep_ in ("pobj", "pcomp")])
        for slot in slots:
            refs: list[Referent] = []
            for head in slot:
                for c in conjuncts(head):
                    ref = self.actors.referent_in(c)
                    if (ref is not None and ref.code and ref.code not in actor_codes and
                            all(r.code != ref.code for r in refs)):
                        refs.append(ref)
            if refs:
                return refs
        return []

    def weapon_of(self, trig: Token, sent: Span, etype: str) -> tuple[str | None,
                                                                    tuple[str, ...], int | None]:
        if etype != "weapon_test":
            return None, (), None
        phrase = _phrase(trig) if trig.pos_ != "VERB" else [
            t for c in trig.children if c.dep_ not in SUBJECTS for t in c.subtree
        ]
        tokens = phrase or list(sent)
        systems = [t for t in tokens if t.ent_type_ == WEAPON]
        classes = [t for t in tokens if t.ent_type_ == WCLASS]
        if trig.ent_type_ == WCLASS:
            classes.append(trig)
        if not systems and not classes:
            systems = [t for t in sent if t.ent_type_ == WEAPON]
            classes = [t for t in sent if t.ent_type_ == WCLASS]
        system = systems[0].ent_id_ if systems else None
        wclass: list[str] = []
        if system is not None:
            known = next((w for w in self.pack.weapons if w.name == system), None)
            if known is not None:
                wclass.extend(known.classes)
        if not wclass:
            for t in classes:
                if t.ent_id_ not in wclass:
                    wclass.append(t.ent_id_)
        count = None
        for t in tokens:
            if t.dep_ == "nummod" and t.head.lemma_.lower() in ("missile", "rocket", "projectile",
                                                                 "round", "shell"):
                count = _number(t)
                break
        return system, tuple(wclass), count

    def location_of(self, trig: Token, sent: Span) -> str | None:
        for t in sent:
            if t.ent_type_ == PLACE:
                return t.ent_id_
        return None

    def date_of(self, trig: Token, dates: Sequence[DateRef]) -> DateRef | None:
        if not dates:
            return None
        return min(dates, key=lambda d: min(abs(trig.i - d.start_tok), abs(trig.i - d.end_tok)))

    # --- the whole sentence -----------------------------------------------------------

    def find(self, sent: Span, dates: Sequence[DateRef]) -> list[RawEvent]:
        events: list[RawEvent] = []
        for trig, etype in self.triggers(sent):
            actors, _ = self.actor_candidates(trig)
            actor_codes = {a.code for a in actors if a.code}
            targets = self.target_candidates(trig, actor_codes)
            modality = modality_of(trig, self.lex.cues)
            system, wclass, count = self.weapon_of(trig, sent, etype)
            span = sent.doc[min(t.i for t in trig.subtree):max(t.i for t in trig.subtree) + 1]
            if span.start < sent.start or span.end > sent.end:
                span = sent
            date = self.date_of(trig, dates)
            stance = self.lex.stances.get(trig.lemma_.lower()) if etype == "statement" else None
            actor_list: list[Referent | None] = list(actors) or [None]
            target_list: list[Referent | None] = list(targets) or [None]
            for a in actor_list:
                for tg in target_list:
                    events.append(
                        RawEvent(
                            type=etype,
                            actor=a.code if a else None,
                            target=tg.code if tg else None,
                            modality=modality,
                            trigger=trig,
                            span=span,
                            weapon=system,
                            weapon_class=wclass,
                            count=count,
                            location=self.location_of(trig, sent),
                            stance=stance,
                            date=date,
                            participants=tuple(r.name for r in (a, tg)
                                               if r is not None and r.kind == "person"),
                        )
                    )
        return events


def symmetric(etype: str) -> bool:
    return etype in SYMMETRIC_TYPES


def _number(tok: Token) -> int | None:
    text = tok.lower_
    if text.isdigit():
        return int(text)
    value = NUMBER_WORDS.get(text)
    return value
