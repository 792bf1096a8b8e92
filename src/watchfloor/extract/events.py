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
from typing import NamedTuple

from spacy.tokens import Span, Token

from watchfloor.annotate import PLACE, WCLASS, WEAPON
from watchfloor.extract.actors import ActorIndex, Referent, phrase_tokens
from watchfloor.extract.modality import ModalityCues, modality_of, not_an_event
from watchfloor.pack import Pack
from watchfloor.records import SYMMETRIC_TYPES, Granularity, Modality

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a pair of": 2, "several": None,
}
TARGET_PREPS = ("on", "upon", "against", "to", "with", "over", "at", "toward", "towards", "into",
                "from", "between")
SUBJECTS = ("nsubj", "nsubjpass", "csubj")
DEMONSTRATIVES = frozenset({"this", "that", "these", "those"})
# Verbs that only carry a noun trigger ("conducted a test", "imposed sanctions").
LIGHT_VERBS = frozenset({"conduct", "carry", "hold", "impose", "issue", "stage", "make", "express",
                         "voice", "launch", "resume", "begin", "start", "continue", "slap",
                         "level", "file", "lodge", "reach", "sign", "extend", "offer"})
SPEECH_TYPES = frozenset({"statement", "appeal", "accuse", "threaten", "offer", "reject"})
# Reactions aim at whoever did what they react to: "condemned the launch" is aimed at the
# launcher, "drawing condemnation from Seoul" is Seoul's, aimed at the clause's subject.
REACTIONS = frozenset({"statement", "accuse", "protest"})
REACTED_EVENT = "reacts_to"  # RawEvent.extras key: type of the event a reaction is aimed at


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Trigger lemmas from the pack's ontology, indexed for the hot loop."""

    verbs: Mapping[str, tuple[str, ...]]
    nouns: Mapping[str, tuple[str, ...]]
    objects: Mapping[str, frozenset[str]]  # type -> lemmas its trigger needs nearby
    stances: Mapping[str, str]  # trigger lemma -> stance, for statements
    cues: ModalityCues
    particles: Mapping[tuple[str, str], frozenset[str]]  # (type, verb) -> prepositions it needs
    actor_kinds: Mapping[str, frozenset[str]]  # type -> kinds of actor that can do it

    @classmethod
    def from_pack(cls, pack: Pack) -> Lexicon:
        verbs: dict[str, list[str]] = {}
        nouns: dict[str, list[str]] = {}
        objects: dict[str, frozenset[str]] = {}
        stances: dict[str, str] = {}
        particles: dict[tuple[str, str], frozenset[str]] = {}
        actor_kinds: dict[str, frozenset[str]] = {}
        for name, et in pack.event_types.items():
            for lemma, words in et.particles.items():
                particles[(name, lemma.lower())] = frozenset(w.lower() for w in words)
            if et.actor_kinds:
                actor_kinds[name] = frozenset(et.actor_kinds)
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
            particles=particles,
            actor_kinds=actor_kinds,
        )


class PhraseHit(NamedTuple):
    """A multi-word trigger from the ontology's phrases, found at its head token."""

    root: Token
    type: str
    negated: bool  # the phrase carries its own negation ("did not respond to")


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


# Inside a trigger's phrase: not its clauses, its own subject or its punctuation.
PHRASE_SKIP = frozenset({"relcl", "advcl", "ccomp", "parataxis", "nsubj", "nsubjpass", "punct",
                         "cc", "mark"})


def _phrase(tok: Token) -> list[Token]:
    """The tokens of the noun phrase or verb object phrase headed by tok."""
    return phrase_tokens(tok, PHRASE_SKIP)


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

    def __init__(self, pack: Pack, lexicon: Lexicon, actors: ActorIndex,
                 phrase_triggers: Mapping[int, PhraseHit | None] | None = None) -> None:
        self.pack = pack
        self.lex = lexicon
        self.actors = actors
        # token index -> the phrase headed there; None for a phrase's other words
        self.phrase_triggers = phrase_triggers or {}
        states = {a.code for a in pack.actors if a.kind == "state"}
        self.org_codes = frozenset(a.code for a in pack.actors
                                   if a.kind == "organisation" and a.code not in states)

    def can_act(self, ref: Referent, etype: str) -> bool:
        """Whether an actor of this kind can do this type of event (pack's actor_kinds):
        an official or a person speaking for an organisation counts as the organisation."""
        allowed = self.lex.actor_kinds.get(etype)
        if allowed is None:
            return True
        kind = "organisation" if ref.code in self.org_codes else ref.kind
        if kind == "role":
            kind = "person"
        return kind in allowed

    # --- triggers ---------------------------------------------------------------------

    def triggers(self, sent: Span) -> list[tuple[Token, str]]:
        found: list[tuple[Token, str]] = []
        for tok in sent:
            if tok.i in self.phrase_triggers:
                phrase = self.phrase_triggers[tok.i]
                # A phrase names its type outright ("reached out", "did not respond to");
                # its other words ("threats" in "posed threats") trigger nothing.
                if phrase is not None:
                    found.append((phrase.root, phrase.type))
                continue
            if tok.pos_ in ("NOUN", "PROPN") and any(
                c.dep_ == "det" and c.lower_ in DEMONSTRATIVES for c in tok.children
            ):
                continue  # "those overtures", "this test": an event named before
            lemma = tok.lemma_.lower()
            if tok.pos_ == "VERB" and lemma in self.lex.verbs:
                types = self.lex.verbs[lemma]
            elif tok.pos_ in ("NOUN", "PROPN", "ADJ") and lemma in self.lex.nouns:
                types = self.lex.nouns[lemma]
            else:
                continue
            if not_an_event(tok, self.lex.cues):
                continue
            for t in types:
                if self._licensed(tok, t, sent):
                    found.append((tok, t))
                    break
        return self._drop_light_verbs(found)

    def _licensed(self, tok: Token, etype: str, sent: Span) -> bool:
        particles = self.lex.particles.get((etype, tok.lemma_.lower()))
        if particles is not None and tok.pos_ == "VERB" and not any(
            (c.dep_ in ("prep", "prt") and c.lower_ in particles) or c.dep_ == "xcomp"
            for c in tok.children
        ):
            return False
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
            if not heads and self._reaction_noun(trig):
                for c in trig.children:
                    if c.dep_ == "prep" and c.lower_ == "from":
                        heads = [p for p in c.children if p.dep_ == "pobj"]
            if not heads and trig.head.i != trig.i and trig.dep_ in ("dobj", "attr", "pobj",
                                                                      "nsubjpass"):
                verb = trig.head if trig.dep_ != "pobj" else trig.head.head
                if verb.pos_ in ("VERB", "AUX"):
                    heads = subject_of(verb)
        refs: list[Referent] = []
        for h in heads:
            for c in [*conjuncts(h), *_of_parties(h)]:
                ref = self.actors.referent_in(c)
                if ref is not None and ref.code and all(r.code != ref.code for r in refs):
                    refs.append(ref)
        return refs, False

    def _reaction_noun(self, trig: Token) -> bool:
        lemma = trig.lemma_.lower()
        return trig.pos_ in ("NOUN", "PROPN") and any(
            t in REACTIONS for t in self.lex.nouns.get(lemma, ()))

    def reaction_target(self, trig: Token, etype: str,
                        actor_codes: set[str]) -> tuple[list[Referent], str | None]:
        """For a reaction with no target of its own: the actor of the event it reacts to,
        read off that event's phrase ("North Korea's test"), or the type of that event when
        its actor must come from the rest of the document ("condemned it", "the launch")."""
        if etype not in REACTIONS:
            return [], None
        objects: list[Token] = []
        if trig.pos_ == "VERB":
            objects = [c for c in trig.children if c.dep_ in ("dobj", "nsubjpass")]
            for c in trig.children:
                if c.dep_ == "prep" and c.lower_ in ("over", "about", "at", "to", "against"):
                    objects.extend(p for p in c.children if p.dep_ == "pobj")
        elif self._reaction_noun(trig):
            for c in trig.children:
                if c.dep_ == "prep" and c.lower_ in ("over", "about", "at", "to", "against",
                                                      "of", "with"):
                    objects.extend(p for p in c.children if p.dep_ == "pobj")
            verb = trig.head if trig.dep_ == "dobj" else (
                trig.head.head if trig.dep_ == "pobj" else None)
            if verb is not None and any(c.dep_ == "prep" and c.lower_ == "from"
                                        for c in trig.children):
                refs = [r for s in subject_of(verb) if (r := self.actors.referent_in(s))
                        and r.code and r.code not in actor_codes]
                if refs:
                    return refs[:1], None
        for obj in objects:
            lemma = obj.lemma_.lower()
            types = self.lex.nouns.get(lemma, ()) or self.lex.verbs.get(lemma, ())
            if types:
                for t in _phrase(obj):
                    ref = self.actors.by_token.get(t.i)
                    if (t.dep_ in ("poss", "compound", "amod") and ref is not None and ref.code
                            and ref.code not in actor_codes):
                        return [ref], None
                return [], types[0]
            if obj.lower_ in ("it", "this", "that", "them"):
                return [], "weapon_test"
        return [], None

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

    def weapon_of(self, trig: Token, sent: Span, etype: str, *, alone: bool = True
                  ) -> tuple[str | None, tuple[str, ...], int | None]:
        """The weapon system, classes and salvo count of a test: from the trigger's phrase,
        else, when it is the only test in its sentence, from the sentence."""
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
        if not systems and not classes and alone:
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
        triggers = self.triggers(sent)
        tests = sum(1 for _, etype in triggers if etype == "weapon_test")
        for trig, etype in triggers:
            actors, _ = self.actor_candidates(trig)
            actors = [a for a in actors if self.can_act(a, etype)]
            actor_codes = {a.code for a in actors if a.code}
            targets = self.target_candidates(trig, actor_codes)
            reacts_to = None
            if not targets:
                targets, reacts_to = self.reaction_target(trig, etype, actor_codes)
            pairs = self._pairs(etype, actors, targets)
            modality = modality_of(trig, self.lex.cues)
            hit = self.phrase_triggers.get(trig.i)
            if modality == "negated" and hit is not None and hit.negated:
                modality = "asserted"  # the negation is the event: a refusal
            system, wclass, count = self.weapon_of(trig, sent, etype, alone=tests == 1)
            span = sent.doc[min(t.i for t in trig.subtree):max(t.i for t in trig.subtree) + 1]
            if span.start < sent.start or span.end > sent.end:
                span = sent
            date = self.date_of(trig, dates)
            stance = self.lex.stances.get(trig.lemma_.lower()) if etype == "statement" else None
            for a, tg in pairs:
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
                        extras={REACTED_EVENT: reacts_to} if reacts_to else {},
                    )
                )
        return events

    @staticmethod
    def _pairs(etype: str, actors: list[Referent], targets: list[Referent]
               ) -> list[tuple[Referent | None, Referent | None]]:
        """CAMEO dyads: one event per actor and target. A meeting or agreement of conjoined
        parties with no separate target ("Kim and Trump met") is one event per pair of them,
        and of four or more (six-party talks), one between the first two named."""
        if symmetric(etype) and not targets and len(actors) >= 2:
            parties = actors if len(actors) <= 3 else actors[:2]
            return [(a, b) for i, a in enumerate(parties) for b in parties[i + 1:]]
        actor_list: list[Referent | None] = list(actors) or [None]
        target_list: list[Referent | None] = list(targets) or [None]
        return [(a, tg) for a in actor_list for tg in target_list]


def _of_parties(head: Token) -> list[Token]:
    """"the foreign ministers of South Korea, Japan and China": the parties after "of"."""
    out: list[Token] = []
    for c in head.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            for p in c.children:
                if p.dep_ == "pobj":
                    out.extend(conjuncts(p))
    return out


def symmetric(etype: str) -> bool:
    return etype in SYMMETRIC_TYPES


def _number(tok: Token) -> int | None:
    text = tok.lower_
    if text.isdigit():
        return int(text)
    value = NUMBER_WORDS.get(text)
    return value
