"""Claims: the counts, ordinals and records an article states about other events.

- ordinal: "its fourth nuclear test", "the seventh missile test in recent weeks"
- first_since: "the first time Pyongyang has tested a weapon that powerful since 2017"
- count: "the pair had met three times since June 2018"
- total: "has launched five such rockets"

Each is read off the parse around an event word from the pack's ontology (the noun an ordinal
modifies, the verb a count of times modifies), so the claim's subject is an event type the
claim checker can count. The actor is that event's actor, as events.py finds it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Span, Token

from watchfloor.extract.actors import ActorIndex, Referent
from watchfloor.extract.events import DateRef, EventFinder, Lexicon, conjuncts, subject_of

ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20,
}
ORDINAL_DIGITS = re.compile(r"^(\d+)(st|nd|rd|th)$")
COUNT_WORDS = {"once": 1, "twice": 2, "thrice": 3}
CARDINALS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
             "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")


@dataclass(slots=True)
class RawClaim:
    kind: str
    about: str
    actor: str | None
    target: str | None
    value: int | None
    since: str | None
    period: DateRef | None
    span: Span
    sentence: Span


def ordinal_value(tok: Token) -> int | None:
    word = tok.lower_
    if word in ORDINALS:
        return ORDINALS[word]
    m = ORDINAL_DIGITS.match(word)
    return int(m.group(1)) if m else None


def cardinal_value(tok: Token) -> int | None:
    if tok.lower_.isdigit():
        return int(tok.lower_)
    return CARDINALS.get(tok.lower_)


class ClaimFinder:
    def __init__(self, lexicon: Lexicon, actors: ActorIndex, events: EventFinder) -> None:
        self.lex = lexicon
        self.actors = actors
        self.events = events

    def _type_of(self, tok: Token) -> str | None:
        lemma = tok.lemma_.lower()
        table = self.lex.verbs if tok.pos_ == "VERB" else self.lex.nouns
        types = table.get(lemma, ())
        return types[0] if types else None

    def _actor(self, trig: Token) -> tuple[Referent | None, Referent | None]:
        refs, _ = self.events.actor_candidates(trig)
        actor = refs[0] if refs else None
        targets = self.events.target_candidates(trig, {actor.code} if actor and actor.code
                                                else set())
        return actor, targets[0] if targets else None

    def _since(self, sent: Span, after: int) -> tuple[str | None, Token | None]:
        for t in sent:
            if t.i > after and t.lower_ == "since":
                years = [c for c in t.subtree if YEAR.match(c.text)]
                if years:
                    return years[0].text, t
        return None, None

    def _period(self, tok: Token, dates: Sequence[DateRef]) -> DateRef | None:
        sub = {t.i for t in tok.subtree}
        for d in dates:
            if d.start_tok in sub:
                return d
        return None

    def find(self, sent: Span, dates: Sequence[DateRef]) -> list[RawClaim]:
        out: list[RawClaim] = []
        for tok in sent:
            value = ordinal_value(tok)
            if value is not None and tok.dep_ in ("amod", "nummod", "advmod", "attr", "npadvmod"):
                claim = self._ordinal(tok, value, sent, dates)
                if claim is not None:
                    out.append(claim)
            if tok.lower_ == "times" or tok.lower_ in COUNT_WORDS:
                claim = self._count(tok, sent, dates)
                if claim is not None:
                    out.append(claim)
        return out

    def _ordinal(self, tok: Token, value: int, sent: Span,
                 dates: Sequence[DateRef]) -> RawClaim | None:
        noun = tok.head
        if value == 1:
            return self._first_since(tok, noun, sent)
        about = self._type_of(noun)
        if about is None:
            return None
        actor, target = self._actor(noun)
        if actor is None and noun.head.pos_ in ("AUX", "VERB"):
            for subj in subject_of(noun.head):
                actor = self.actors.referent_in(subj)
        return RawClaim("ordinal", about, actor.code if actor else None,
                        target.code if target else None, value, None,
                        self._period(noun, dates), noun.sent[tok.i - noun.sent.start:noun.i
                                                             - noun.sent.start + 1]
                        if noun.i >= tok.i else sent, sent)

    def _first_since(self, tok: Token, noun: Token, sent: Span) -> RawClaim | None:
        since, since_tok = self._since(sent, tok.i)
        if since is None or since_tok is None:
            return None
        trig = since_tok.head
        about = self._type_of(trig)
        if about is None:
            # "the first time Pyongyang has tested ..." : the verb sits in a clause on "time"
            for t in sent:
                if tok.i < t.i < since_tok.i and self._type_of(t) is not None:
                    trig, about = t, self._type_of(t)
                    break
        if about is None:
            return None
        actor, target = self._actor(trig)
        return RawClaim("first_since", about, actor.code if actor else None,
                        target.code if target else None, None, since, None,
                        sent.doc[tok.i:since_tok.i + 2], sent)

    def _count(self, tok: Token, sent: Span, dates: Sequence[DateRef]) -> RawClaim | None:
        if tok.lower_ in COUNT_WORDS:
            value: int | None = COUNT_WORDS[tok.lower_]
            verb = tok.head
        else:
            nums = [c for c in tok.children if c.dep_ == "nummod"]
            if not nums:
                return None
            value = cardinal_value(nums[0])
            verb = tok.head
        if value is None or verb.pos_ != "VERB":
            return None
        about = self._type_of(verb)
        if about is None:
            return None
        actors = self._pair(verb)
        actor = actors[0] if actors else None
        target = actors[1] if len(actors) > 1 else None
        if target is None:
            actor, target = self._actor(verb)
        period = self._period(verb, dates)
        return RawClaim("count", about, actor.code if actor else None,
                        target.code if target else None, value, None, period,
                        sent.doc[min(t.i for t in verb.subtree):max(t.i for t in verb.subtree)
                                 + 1], sent)

    def _pair(self, verb: Token) -> list[Referent]:
        """"the pair", "the two leaders", "they": the last two people named before."""
        for subj in subject_of(verb):
            if subj.lower_ in ("pair", "two", "leaders", "they", "sides"):
                people: list[Referent] = []
                for ref in reversed(self.actors.referents):
                    if ref.start >= subj.i:
                        continue
                    if ref.kind == "person" and ref.code and all(p.code != ref.code
                                                                 for p in people):
                        people.append(ref)
                    if len(people) == 2:
                        return list(reversed(people))
            refs = [self.actors.referent_in(c) for c in conjuncts(subj)]
            found = [r for r in refs if r is not None and r.code]
            if len(found) >= 2:
                return found
        return []
