"""Claims: the counts, ordinals and records an article states about other events.

- ordinal: "its fourth nuclear test", "the seventh missile test in recent weeks", "tested a
  nuclear device for the fourth time", "the first meeting between ..."
- first_since: "the first time it has fired a missile of that size since 2017", "its
  first launch since March 2014", "it last launched a rocket in December 2012", "has fired no
  missiles since late November"
- count: "the two had met four times since May 2017", "carried out two nuclear tests last
  year", "in 2014 released three detained Americans"
- total: "has now conducted six nuclear tests", "because of its four nuclear tests"

Each is read off the parse around an event word from the pack's ontology (the noun an ordinal
modifies, the verb a count of times modifies), so the claim's subject is an event type the
claim checker can count. The actor is that event's actor, as events.py finds it; where the
claim's own phrase names none ("It was the fifth sanctions resolution"), it is the actor of the
latest event of the same type the article reported, since such a claim sums up that event.
A since keeps the granularity the article gives: "since March 2014" is 2014-03.

The words read here (ordinals, "times", "since", "last", "now") are English grammar; the
event words come from the pack.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from spacy.tokens import Doc, Span, Token

from watchfloor.annotate import WCLASS, WEAPON
from watchfloor.extract.actors import GROUP_PRONOUNS, ActorIndex, Referent
from watchfloor.extract.dates import resolve_on
from watchfloor.extract.events import DateRef, EventFinder, Lexicon, RawEvent
from watchfloor.extract.grammar import conjuncts, subject_of
from watchfloor.records import SYMMETRIC_TYPES

ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20,
}
ORDINAL_DIGITS = re.compile(r"^(\d+)(st|nd|rd|th)$")
COUNT_WORDS = {"once": 1, "twice": 2, "thrice": 3}
CARDINALS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
             "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
             "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
             "twenty": 20, "dozen": 12}
YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")
MAX_COUNT = 999  # larger numbers are quantities (troops, dollars), not counts of events

# The dependency relations under which an ordinal qualifies a noun or stands for one.
ORDINAL_DEPS = frozenset({"amod", "nummod", "attr", "npadvmod", "appos", "conj", "nsubj",
                          "dobj", "pobj", "nsubjpass", "ROOT"})
# Words that stand for two parties that met, for symmetric event types.
PAIR_WORDS = frozenset({"pair", "two", "both", "leaders", "sides", "they", "their", "them",
                        "countries", "nations", "governments", "men", "neighbours",
                        "neighbors"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
# Subjects of a copula that point back to an event, not to an actor: "It was the fifth ...".
EVENT_PRONOUNS = frozenset({"it", "this", "that", "which"})
# "since its first nuclear test" marks where a span of time starts, not a record.
TEMPORAL_PREPS = frozenset({"since"})
# Adverbs that make a count a running total: "has now conducted six nuclear tests".
TOTAL_ADVERBS = frozenset({"now", "so far", "altogether", "in all", "in total", "total",
                           "to date", "ever"})
# Period nouns a relative clause can hang on: "a year in which it tested three missiles".
PERIOD_NOUNS = frozenset({"year", "decade", "years", "decades"})
DURATION_UNITS = frozenset({"year", "decade", "month", "week", "day", "century"})
# Modifiers that name acts just reported rather than count them ("its two latest launches").
EARLIER_WORDS = frozenset({"latest", "last", "recent", "previous", "past", "earlier"})
# Words that make a date a window to count in ("this year", "in recent weeks", "so far this
# month") rather than the day or month of the act ("its fourth nuclear test in January").
WINDOW_WORDS = re.compile(r"\b(?:this|past|last|recent|previous|so far|since|coming|"
                          r"running|straight)\b", re.IGNORECASE)


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
    # "its fifth launch in 10 days": a window counted back from the publication day, which
    # this stage does not know (the extractor turns it into the period)
    window: tuple[int, str] | None = None


def ordinal_value(tok: Token) -> int | None:
    word = tok.lower_
    if word in ORDINALS:
        return ORDINALS[word]
    m = ORDINAL_DIGITS.match(word)
    return int(m.group(1)) if m else None


def cardinal_value(tok: Token) -> int | None:
    word = tok.lower_.replace(",", "")
    if word.isdigit():
        return int(word)
    return CARDINALS.get(word)


def since_text(start: date, end: date, granularity: str) -> str:
    """A since value at the granularity the article gives: 2014, 2014-03 or 2014-03-07."""
    if granularity == "day" or (granularity == "week" and start == end):
        return start.isoformat()
    if granularity == "month":
        return f"{start.year:04d}-{start.month:02d}"
    if granularity == "year":
        return f"{start.year:04d}"
    if start == end:
        return start.isoformat()
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.year:04d}-{start.month:02d}"
    return f"{start.year:04d}"


def _span_of(tokens: Iterable[Token], sent: Span) -> Span:
    idx = [t.i for t in tokens if sent.start <= t.i < sent.end]
    if not idx:
        return sent
    return sent.doc[min(idx):max(idx) + 1]


class ClaimFinder:
    def __init__(self, lexicon: Lexicon, actors: ActorIndex, events: EventFinder) -> None:
        self.lex = lexicon
        self.actors = actors
        self.events = events
        self._doc_events: list[RawEvent] | None = None
        self._focus: Counter[str] | None = None
        self._records: set[tuple[str, str | None, str | None]] = set()

    # --- the lexicon ------------------------------------------------------------------

    def _type_of(self, tok: Token) -> str | None:
        lemma = tok.lemma_.lower()
        if tok.pos_ == "VERB":
            table = self.lex.verbs
        elif tok.pos_ in ("NOUN", "PROPN"):
            table = self.lex.nouns
        else:
            return None
        types = table.get(lemma, ())
        if tok.pos_ == "VERB":  # "put forces on alert" is no launch; "the test" is a test
            return next((t for t in types if self.events.licensed(tok, t, tok.sent)), None)
        return types[0] if types else None

    def _object_type(self, tok: Token) -> str | None:
        """The event type whose objects name this word ("rocket", "missile"): the event a
        clause about such a thing reports."""
        if tok.pos_ not in ("NOUN", "PROPN"):
            return None
        lemma = tok.lemma_.lower()
        for etype, needed in self.lex.objects.items():
            if needed and (lemma in needed or tok.ent_type_ in (WEAPON, WCLASS)):
                return etype
        return None

    # --- the document's events, for claims whose own phrase names no actor ------------

    def _events(self, doc: Doc) -> list[RawEvent]:
        if self._doc_events is None:
            found: list[RawEvent] = []
            for s in doc.sents:
                found.extend(self.events.find(s, [], back_references=True))
            self._doc_events = found
        return self._doc_events

    def _state_counts(self) -> Counter[str]:
        """How often the article names each state (by name: the people of the other side
        of a meeting are often named more than their state)."""
        if self._focus is None:
            self._focus = Counter(r.code for r in self.actors.referents
                                  if r.code and r.kind == "state")
        return self._focus

    def _recent_event(self, about: str, trig: Token, *, pair: bool = False) -> RawEvent | None:
        """The latest event of this type with an actor (and a target, for a pair), reported
        in this sentence (other than at trig) or before it."""
        best: RawEvent | None = None
        sent_end = trig.sent.end
        for e in self._events(trig.doc):
            if e.type != about or e.actor is None or e.trigger.i == trig.i:
                continue
            if pair and (e.target is None or e.target == e.actor):
                continue
            if e.trigger.i >= sent_end:
                break
            best = e
        return best

    def _default_actor(self, about: str) -> str | None:
        """Who does this type of event most in the article; for weapon tests with none, the
        most named state (as the extractor does for events)."""
        counts = Counter(e.actor for e in self._events(self.actors.doc)
                         if e.type == about and e.actor)
        if counts:
            return counts.most_common(1)[0][0]
        if about == "weapon_test":
            states = Counter(r.code for r in self.actors.referents
                             if r.kind == "state" and r.code)
            if states:
                return states.most_common(1)[0][0]
        return None

    def _order(self, codes: Sequence[str]) -> tuple[str | None, str | None]:
        """Two parties of a symmetric event as (actor, target): the article's main state is
        the other side of its meetings, so it goes second; otherwise reading order."""
        if not codes:
            return None, None
        if len(codes) == 1:
            return codes[0], None
        first, second = codes[0], codes[1]
        counts = self._state_counts()
        top = counts.most_common(1)
        if top and first == top[0][0] and counts[first] > counts[second]:
            return second, first
        return first, second

    # --- actors ---------------------------------------------------------------------

    def _codes_in(self, tok: Token) -> list[str]:
        """Distinct actor codes named in the phrase headed by tok and its conjuncts, in
        reading order (no clauses): "Trump and Chinese President Xi Jinping"."""
        codes: list[str] = []
        heads = conjuncts(tok)
        toks: list[Token] = []
        for h in heads:
            stack = [h]
            while stack:
                t = stack.pop()
                toks.append(t)
                stack.extend(c for c in t.children
                             if c.dep_ not in ("relcl", "acl", "advcl", "ccomp", "appos",
                                               "parataxis", "prep"))
        for t in sorted(toks, key=lambda x: x.i):
            ref = self.actors.by_token.get(t.i)
            if ref is None and t.lower_ in ("it", "its", "he", "she", "his", "her"):
                ref = self.actors.referent_in(t)
            if (ref is not None and ref.code and ref.code not in codes
                    and ref.kind in ("state", "organisation", "person", "role")):
                codes.append(ref.code)
        return codes

    def _pair_before(self, tok: Token) -> list[str]:
        """"the pair", "the two leaders", "they": the last two parties named before tok,
        people first, else states."""
        for kinds in (("person",), ("state", "organisation")):
            found: list[Referent] = []
            for ref in reversed(self.actors.referents):
                if ref.start >= tok.i or ref.kind not in kinds or not ref.code:
                    continue
                if all(p.code != ref.code for p in found):
                    found.append(ref)
                if len(found) == 2:
                    return [r.code for r in reversed(found) if r.code]
        return []

    def _party_heads(self, trig: Token) -> list[Token]:
        heads: list[Token] = []
        if trig.pos_ == "VERB":
            for subj in subject_of(trig):
                if subj.lower_ in RELATIVE_PRONOUNS and trig.dep_ == "relcl":
                    subj = trig.head
                heads.append(subj)
            heads.extend(c for c in trig.children if c.dep_ in ("dobj",))
            for c in trig.children:
                if c.dep_ == "prep" and c.lower_ in ("with", "between"):
                    heads.extend(p for p in c.children if p.dep_ == "pobj")
        else:
            if trig.dep_ == "dobj" and trig.head.pos_ == "VERB":
                heads.extend(self._subjects(trig.head))  # "Seoul and Washington held talks"
            heads.extend(c for c in trig.children if c.dep_ == "poss")
            for c in trig.children:
                if c.dep_ == "prep" and c.lower_ in ("between", "with", "of"):
                    heads.extend(p for p in c.children if p.dep_ == "pobj")
            heads.extend(c for c in trig.children if c.dep_ in ("compound", "amod", "nmod")
                         and self.actors.by_token.get(c.i) is not None)
        return heads

    def _parties(self, trig: Token) -> list[str]:
        """The actors of a meeting or agreement, in reading order."""
        codes: list[str] = []
        for h in self._party_heads(trig):
            if h.lower_ in PAIR_WORDS or any(c.lower_ in PAIR_WORDS and c.dep_ == "nummod"
                                             for c in h.children):
                for code in self._pair_before(h):
                    if code not in codes:
                        codes.append(code)
                continue
            for code in self._codes_in(h):
                if code not in codes:
                    codes.append(code)
        return codes

    def _actor(self, trig: Token, about: str) -> tuple[str | None, str | None]:
        """The claim's actor and target, read off the event word trig."""
        if about in SYMMETRIC_TYPES:
            parties = self._parties(trig)
            if len(parties) >= 2:
                return self._order(parties)
            if len(parties) == 1:
                recent = self._recent_event(about, trig, pair=True)
                other = None
                if recent is not None:
                    other = next((c for c in (recent.actor, recent.target)
                                  if c and c != parties[0]), None)
                return self._order([parties[0], other] if other else parties)
            recent = self._recent_event(about, trig, pair=True) or self._recent_event(about, trig)
            if recent is not None:
                return self._order([c for c in (recent.actor, recent.target) if c])
            return self._default_actor(about), None
        heads = self._actor_heads(trig)
        actor: str | None = None
        pronoun = False
        for h in heads:
            for c in conjuncts(h):
                pronoun = c.lower_ in GROUP_PRONOUNS
                ref = self.actors.referent_in(c)
                code = ref.code if ref is not None else None
                if pronoun:
                    code = self._doer_before(c, about) or code
                if code:
                    actor = code
                    break
            if actor is not None:
                break
        if actor is None or pronoun:
            # "North Korea fired a missile, ..., its first launch since May": the verb that
            # reports the same kind of event says whose; else that of the same sentence's event.
            governing = self._governing_actor(trig, about)
            if governing is not None:
                return governing, self._target(trig, governing)
            same = self._recent_event(about, trig)
            if same is not None and same.actor and (
                actor is None or same.trigger.sent.start == trig.sent.start
            ):
                actor = same.actor
        if actor is None:
            actor = self._default_actor(about)
        return actor, self._target(trig, actor)

    def _target(self, trig: Token, actor: str | None) -> str | None:
        targets = self.events.target_candidates(trig, {actor} if actor else set())
        return targets[0].code if targets else None

    def _doers(self, about: str) -> Counter[str]:
        return Counter(e.actor for e in self._events(self.actors.doc)
                       if e.type == about and e.actor)

    def _doer_before(self, pron: Token, about: str) -> str | None:
        """"its four nuclear tests": of the states and organisations named shortly before the
        pronoun, the one that does this type of event most in the article (the nearest of
        equals)."""
        doers = self._doers(about)
        first = pron.sent.start
        floor = pron.doc[first - 1].sent.start if first > 0 else 0
        best: str | None = None
        for ref in reversed(self.actors.referents):
            if ref.start >= pron.i or ref.start < floor:
                continue
            if ref.kind in ("state", "organisation") and ref.code and doers[ref.code] > (
                doers[best] if best else 0
            ):
                best = ref.code
        return best

    def _governing_actor(self, trig: Token, about: str) -> str | None:
        for verb in trig.ancestors:
            if verb.pos_ != "VERB" or self._type_of(verb) != about:
                continue
            for subj in self._subjects(verb):
                if subj.lower_ in EVENT_PRONOUNS or subj.i > trig.i:
                    continue
                for c in conjuncts(subj):
                    ref = self.actors.referent_in(c)
                    if ref is not None and ref.code:
                        return ref.code
        return None

    def _actor_heads(self, trig: Token) -> list[Token]:
        if trig.pos_ == "VERB":
            heads = []
            for subj in subject_of(trig):
                if subj.lower_ in RELATIVE_PRONOUNS and trig.dep_ == "relcl":
                    subj = trig.head
                heads.append(subj)
            return heads
        for c in trig.children:
            if c.dep_ == "poss":
                return [c]
        for c in trig.children:
            if c.dep_ in ("compound", "amod", "nmod") and self.actors.by_token.get(c.i):
                return [c]
        for c in trig.children:
            if c.dep_ == "prep" and c.lower_ == "by":
                return [p for p in c.children if p.dep_ == "pobj"]
        head = trig.head
        if trig.dep_ == "pobj":
            head = head.head
        if trig.dep_ in ("dobj", "pobj", "nsubjpass") and head.pos_ == "VERB":
            return [s for s in self._subjects(head)]
        if trig.dep_ in ("attr", "appos") and head.lemma_ == "be":
            return [s for s in self._subjects(head) if s.lower_ not in EVENT_PRONOUNS]
        return []

    def _subjects(self, verb: Token) -> list[Token]:
        out: list[Token] = []
        for subj in subject_of(verb):
            if subj.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                subj = verb.head
            out.append(subj)
        return out

    # --- dates ------------------------------------------------------------------------

    def _period(self, tok: Token, dates: Sequence[DateRef]) -> DateRef | None:
        sub = {t.i for t in tok.subtree}
        for c in tok.children:
            if c.dep_ == "conj":
                # "its fourth nuclear test and its first since February 2013": the date of a
                # coordinated phrase is that phrase's
                sub -= {t.i for t in c.subtree}
        if tok.dep_ in ("attr", "dobj") and tok.head.i != tok.i:
            # "was its seventh missile test in recent weeks": the parser may hang the period
            # on the verb whose complement the counted event is
            for c in tok.head.children:
                if c.dep_ in ("prep", "npadvmod") and c.i > tok.i:
                    sub |= {t.i for t in c.subtree}
        for d in dates:
            if d.start_tok in sub:
                return d
        return None

    def _date_value(self, ref: DateRef, dates: Sequence[DateRef]) -> str:
        start, end, gran = ref.start, ref.end, str(ref.granularity)
        words = ref.text.split()
        if words and words[0].lower() in ("since", "in", "on", "at", "during", "by"):
            inner = resolve_on(" ".join(words[1:]), ref.end)
            if inner is not None and inner.start == ref.start:
                start, end, gran = inner.start, inner.end, str(inner.granularity)
        if gran == "month":
            # "since September last year": the year is in the next date span.
            nxt = next((d for d in dates if d.start_tok == ref.end_tok), None)
            if nxt is not None and nxt.granularity == "year":
                start = date(nxt.start.year, start.month, 1)
                end = start
        return since_text(start, end, gran)

    def _date_in(self, tokens: Iterable[Token], dates: Sequence[DateRef]) -> DateRef | None:
        idx = {t.i for t in tokens}
        for d in dates:
            if any(i in idx for i in range(d.start_tok, d.end_tok)):
                return d
        return None

    def _since_scope(self, since_tok: Token) -> list[Token]:
        if since_tok.dep_ == "mark" or since_tok.dep_ == "advmod":
            return list(since_tok.head.subtree)
        return list(since_tok.subtree)

    def _since_value(self, since_tok: Token, dates: Sequence[DateRef]) -> str | None:
        scope = self._since_scope(since_tok)
        ref = self._date_in([since_tok, *scope], dates)
        if ref is not None:
            return self._date_value(ref, dates)
        years = [t.text for t in scope if YEAR.match(t.text)]
        return years[0] if years else None

    def _since_for(self, tok: Token, anchor: Token, sent: Span) -> Token | None:
        """The "since" that belongs to the ordinal tok (or the event word anchor): in their
        phrases, or opening a phrase or clause of the clause they sit in."""
        own = {t.i for t in anchor.subtree} | {t.i for t in tok.subtree}
        chain = {tok.i, anchor.i} | {a.i for a in tok.ancestors} | {a.i for a in anchor.ancestors}
        for t in sent:
            if t.i > tok.i and t.lower_ != "since" and ordinal_value(t) is not None:
                return None  # "its fourth test and its first since ...": the later ordinal's
            if t.i <= tok.i or t.lower_ != "since":
                continue
            if t.i in own:
                return t
            gov = t.head.head if t.dep_ == "mark" else t.head
            if gov.i in chain or t.head.i in chain:
                return t
        return None

    # --- the whole sentence -----------------------------------------------------------

    def find(self, sent: Span, dates: Sequence[DateRef]) -> list[RawClaim]:
        out: list[RawClaim] = []
        for tok in sent:
            claim: RawClaim | None = None
            value = ordinal_value(tok)
            if value is not None and tok.dep_ in ORDINAL_DEPS:
                claim = self._ordinal(tok, value, sent, dates)
            elif tok.lower_ in ("times", "time") or tok.lower_ in COUNT_WORDS:
                claim = self._count(tok, sent, dates)
            elif tok.dep_ == "nummod":
                claim = self._tally(tok, sent, dates)
            elif tok.lower_ == "last":
                claim = self._last(tok, sent, dates)
            elif tok.pos_ == "VERB":
                claim = self._none_since(tok, sent, dates)
            if claim is not None:
                out.append(claim)
        return self._new_records(_dedupe(out))

    def _new_records(self, claims: list[RawClaim]) -> list[RawClaim]:
        """A record stated again later in the article ("its first launch since October", then
        "its last launch, in October") is one claim."""
        out: list[RawClaim] = []
        for c in claims:
            if c.kind == "first_since":
                key = (c.about, c.actor, c.since)
                if key in self._records:
                    continue
                self._records.add(key)
            out.append(c)
        return out

    # --- ordinals ---------------------------------------------------------------------

    def _anchor(self, tok: Token, sent: Span) -> tuple[Token | None, str | None, bool]:
        """The event word an ordinal counts, its type, and whether the ordinal qualifies it
        directly ("its fourth test", "for the fourth time", "the fifth of its tests") rather
        than standing for it ("and its first since ...")."""
        head = tok.head
        if tok.dep_ in ("amod", "nummod") and head.lower_ in ("time", "times"):
            clause = self._time_clause(head)
            if clause is None:
                return None, None, True
            about = self._type_of(clause)
            if about is not None:
                return clause, about, True
            for t in clause.subtree:
                about = self._type_of(t)
                if about is not None:
                    return t, about, True
            for t in clause.subtree:
                about = self._object_type(t)
                if about is not None and t.dep_ in ("nsubj", "nsubjpass", "dobj"):
                    return t, about, True
            return None, None, True
        if tok.dep_ in ("amod", "nummod"):
            noun = head
            while noun.dep_ == "compound" and noun.head.i != noun.i:
                about = self._type_of(noun)
                if about is not None:
                    return noun, about, False
                noun = noun.head
            about = self._type_of(noun)
            if about is not None:
                return noun, about, False
            # "tested its second ICBM": the noun is the object of an event verb.
            if noun.dep_ == "dobj" and self._type_of(noun.head) is not None:
                return noun.head, self._type_of(noun.head), False
            return None, None, False
        # "the fifth and largest of its nuclear tests": the ordinal counts a plural of events.
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                for p in c.children:
                    if p.dep_ == "pobj" and p.tag_ in ("NNS", "NNPS") and self._type_of(p):
                        return p, self._type_of(p), True
        # The ordinal stands alone: "its fourth nuclear test and its first since ...",
        # "The test, the first since ...": it counts the event word it is joined to.
        if tok.dep_ in ("conj", "appos") and self._type_of(head) is not None:
            return head, self._type_of(head), False
        for t in reversed(list(sent.doc[sent.start:tok.i])):
            about = self._type_of(t)
            if about is not None and t.pos_ in ("NOUN", "PROPN"):
                return t, about, False
        return None, None, False

    def _time_clause(self, time: Token) -> Token | None:
        """The verb of "for the first time" (its head) or of "the first time X did Y"."""
        if time.dep_ == "pobj" and time.head.lower_ == "for":
            verb = time.head.head  # "tested it for the first time", "talks for the 2nd time"
            return verb if verb.pos_ in ("VERB", "AUX") or self._type_of(verb) else None
        for c in time.children:
            if c.dep_ in ("relcl", "acl") and c.pos_ in ("VERB", "AUX"):
                return c
        for c in time.children:
            if c.dep_ == "prep":
                for p in c.subtree:
                    if p.dep_ in ("relcl", "acl", "ccomp") and p.pos_ in ("VERB", "AUX"):
                        return p
        if time.head.pos_ in ("VERB", "AUX"):
            # "the first time since 2009 that a rocket had crossed": the clause is a sibling.
            for c in time.head.children:
                if c.i > time.i and c.dep_ in ("ccomp", "advcl", "relcl", "acl"):
                    return c
        return None

    def _anaphoric(self, tok: Token, noun: Token) -> bool:
        """"the second flight showed ...": an ordinal that picks out one of the events just
        listed (a bare "the Nth X" doing something), not a count of the actor's events."""
        if noun.dep_ not in ("nsubj", "nsubjpass") or noun.head.lemma_ == "be":
            return False
        dets = [c.lower_ for c in noun.children if c.dep_ == "det"]
        if dets != ["the"]:
            return False
        return not any(
            c.dep_ in ("prep", "poss", "acl", "relcl", "npadvmod", "appos")
            or (c.dep_ in ("compound", "amod", "nmod") and self.actors.by_token.get(c.i))
            for c in noun.children
        )

    def _window(self, noun: Token) -> tuple[int, str] | None:
        """ "its fifth launch in 10 days", "the third test within a month": the count's window,
        as a number of days, weeks, months or years."""
        for c in noun.children:
            if c.dep_ != "prep" or c.lower_ not in ("in", "within", "over"):
                continue
            for p in c.children:
                unit = p.lemma_.lower()
                if p.dep_ != "pobj" or unit not in DURATION_UNITS - {"decade", "century"}:
                    continue
                counts = [cardinal_value(d) for d in p.children
                          if d.dep_ in ("nummod", "det") or d.lower_ in ("a", "an")]
                n = next((v for v in counts if v), None)
                if n is None and any(d.lower_ in ("a", "an") for d in p.children):
                    n = 1
                if n is not None:
                    return n, unit
        return None

    def _first_in_years(self, tok: Token, noun: Token) -> bool:
        """"their first talks in more than two years": a first-since counted back from the
        publication day, which this stage does not know; not an ordinal."""
        if ordinal_value(tok) != 1:
            return False
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "for"):
                for p in c.children:
                    if p.dep_ == "pobj" and p.lemma_.lower() in DURATION_UNITS and any(
                        d.dep_ in ("nummod", "amod", "quantmod") for d in p.children
                    ):
                        return True
        return False

    def _in_temporal_phrase(self, noun: Token) -> bool:
        cur = noun
        for _ in range(3):
            if cur.dep_ == "pobj" and cur.head.lower_ in TEMPORAL_PREPS:
                return True
            if cur.head.i == cur.i:
                break
            cur = cur.head
        return False

    def _ordinal(self, tok: Token, value: int, sent: Span,
                 dates: Sequence[DateRef]) -> RawClaim | None:
        anchor, about, direct = self._anchor(tok, sent)
        if anchor is None or about is None:
            if value == 1:
                return self._first_since_fallback(tok, sent, dates)
            return None
        since_tok = self._since_for(tok, anchor, sent)
        since = self._since_value(since_tok, dates) if since_tok is not None else None
        if since_tok is None or since is None:
            if not (direct or tok.dep_ in ("amod", "nummod")):
                return None  # a bare "the first" with nothing to count from
            if self._anaphoric(tok, anchor) or self._first_in_years(tok, tok.head) or (
                self._first_in_years(tok, anchor)
            ):
                return None
            if value == 1 and any(c.dep_ == "det" and c.lower_ in ("a", "an")
                                  for c in tok.head.children):
                return None  # "a first launch": one of several just reported
            if value == 1 and self._in_temporal_phrase(anchor):
                return None  # "since its first nuclear test" dates something else
        actor, target = self._actor(anchor, about)
        period = self._period(anchor, dates) if since_tok is None else None
        if value == 1 and since is not None:
            assert since_tok is not None
            span = _span_of([tok, anchor, since_tok, *self._since_scope(since_tok)], sent)
            return RawClaim("first_since", about, actor, target, None, since, None, span, sent)
        span = _span_of([tok, tok.head, anchor], sent)
        window = self._window(anchor) if period is None and since is None else None
        return RawClaim("ordinal", about, actor, target, value, since, period, span, sent,
                        window)

    def _first_since_fallback(self, tok: Token, sent: Span,
                              dates: Sequence[DateRef]) -> RawClaim | None:
        """"the first ... since": the event word between the two."""
        since_tok = self._since_for(tok, tok, sent)
        if since_tok is None:
            return None
        since = self._since_value(since_tok, dates)
        if since is None:
            return None
        trig, about = None, None
        for t in sent:
            if tok.i < t.i < since_tok.i and self._type_of(t) is not None:
                trig, about = t, self._type_of(t)
                break
        if trig is None or about is None:
            return None
        actor, target = self._actor(trig, about)
        return RawClaim("first_since", about, actor, target, None, since, None,
                        _span_of([tok, since_tok, *self._since_scope(since_tok)], sent), sent)

    # --- "last" and "no ... since" ----------------------------------------------------

    def _last(self, tok: Token, sent: Span, dates: Sequence[DateRef]) -> RawClaim | None:
        """"it last launched a rocket in December 2012", "its last nuclear test, in 2016"."""
        if tok.dep_ == "advmod" and tok.head.pos_ == "VERB":
            trig = tok.head
            scope = [t for c in trig.children if c.dep_ in ("prep", "npadvmod")
                     for t in c.subtree]
        elif tok.dep_ == "amod" and tok.head.pos_ in ("NOUN", "PROPN"):
            trig = tok.head
            scope = [t for c in trig.children if c.dep_ in ("prep", "npadvmod", "appos")
                     for t in c.subtree]
        else:
            return None
        about = self._type_of(trig)
        if about is None:
            return None
        ref = self._date_in(scope, dates)
        if ref is None:
            return None
        actor, target = self._actor(trig, about)
        return RawClaim("first_since", about, actor, target, None, self._date_value(ref, dates),
                        None, _span_of([tok, trig, *scope], sent), sent)

    def _none_since(self, verb: Token, sent: Span, dates: Sequence[DateRef]) -> RawClaim | None:
        """"has fired no missiles since late November", "has not met since 2019"; and "had
        never tested it before", a first."""
        about = self._type_of(verb)
        if about is None:
            return None
        negated = any(c.dep_ == "neg" or c.lower_ in ("never",) for c in verb.children) or any(
            c.dep_ == "dobj" and any(d.lower_ == "no" and d.dep_ == "det" for d in c.children)
            for c in verb.children
        )
        if not negated:
            return None
        since_tok = next((c for c in verb.children if c.lower_ == "since"), None)
        if since_tok is None:
            # "had never tested this model before": a first.
            if any(c.lower_ == "never" for c in verb.children) and any(
                c.lower_ == "before" and c.dep_ == "advmod" for c in verb.children
            ):
                actor, target = self._actor(verb, about)
                return RawClaim("ordinal", about, actor, target, 1, None, None,
                                _span_of(_clause(verb), sent), sent)
            return None
        since = self._since_value(since_tok, dates)
        if since is None:
            return None
        actor, target = self._actor(verb, about)
        span = _span_of([verb, *[t for c in verb.children if c.dep_ not in ("punct",)
                                 and c.i <= since_tok.i for t in c.subtree],
                         *self._since_scope(since_tok)], sent)
        return RawClaim("first_since", about, actor, target, None, since, None, span, sent)

    # --- counts -----------------------------------------------------------------------

    def _count(self, tok: Token, sent: Span, dates: Sequence[DateRef]) -> RawClaim | None:
        """"met three times", "twice this year"."""
        if tok.lower_ in COUNT_WORDS:
            if tok.lower_ == "once" and (tok.dep_ != "advmod" or tok.i < tok.head.i):
                return None  # "at once", "once they met", "had once tested": not a count
            value: int | None = COUNT_WORDS[tok.lower_]
        else:
            nums = [c for c in tok.children if c.dep_ == "nummod"]
            if not nums:
                return None
            value = cardinal_value(nums[0])
        verb = tok.head
        # "twice this year" is sometimes parsed as a modifier of "year": climb to the verb.
        for _ in range(2):
            if verb.pos_ == "VERB" or verb.dep_ not in ("npadvmod", "pobj", "prep", "advmod"):
                break
            verb = verb.head
        if value is None or verb.pos_ != "VERB":
            return None
        about = self._type_of(verb)
        trig = verb
        if about is None:
            # A verb that carries an event noun: "put its forces on alert twice".
            for c in verb.children:
                nouns = [c] if c.dep_ == "dobj" else [
                    p for p in c.children if p.dep_ == "pobj"] if c.dep_ == "prep" else []
                for n in nouns:
                    if self._type_of(n) is not None:
                        trig, about = verb, self._type_of(n)
                        break
                if about is not None:
                    break
        if about is None:
            return None
        actor, target = self._actor(trig, about)
        return RawClaim(self._count_kind(verb, None), about, actor, target, value, None,
                        self._period(verb, dates), _span_of(_clause(verb), sent), sent)

    def _count_kind(self, verb: Token | None, noun: Token | None) -> str:
        if noun is not None and any(c.dep_ == "poss" for c in noun.children):
            return "total"  # "its four nuclear tests"
        if verb is not None:
            words = {c.lower_ for c in verb.children if c.dep_ in ("advmod", "npadvmod", "prep")}
            phrases = {" ".join(t.lower_ for t in c.subtree) for c in verb.children
                       if c.dep_ in ("advmod", "prep")}
            if words & TOTAL_ADVERBS or phrases & TOTAL_ADVERBS:
                return "total"
        return "count"

    def _tally(self, num: Token, sent: Span, dates: Sequence[DateRef]) -> RawClaim | None:
        """"carried out two nuclear tests", "has now conducted six nuclear tests", "in 2014
        released three detained Americans"."""
        value = cardinal_value(num)
        if value is None or value < 2 or value > MAX_COUNT or YEAR.match(num.text):
            return None
        noun = num.head
        if noun.tag_ not in ("NNS", "NNPS"):
            return None
        if any(c.dep_ == "amod" and c.lower_ in EARLIER_WORDS for c in noun.children):
            return None  # "its two latest launches": the acts just reported, not a total
        about = self._type_of(noun)
        verb: Token | None = None
        if about is not None:
            trig = noun
            verb = noun.head if noun.dep_ in ("dobj", "nsubjpass", "pobj") else None
            if verb is not None and noun.dep_ == "pobj":
                verb = verb.head
            if verb is not None and verb.pos_ != "VERB":
                verb = None
        elif noun.dep_ == "dobj" and self._type_of(noun.head) is not None:
            # Several things an event verb acted on, over a period of a year or more: several
            # events ("tested three ICBMs" in a year), not one salvo.
            verb = noun.head
            trig = verb
            about = self._type_of(verb)
            if not self._long_period(verb, dates):
                return None
        else:
            return None
        assert about is not None
        actor, target = self._actor(trig, about)
        return RawClaim(self._count_kind(verb, noun), about, actor, target, value, None,
                        self._period(verb or noun, dates), _span_of(_clause(verb or noun), sent),
                        sent)

    def _long_period(self, verb: Token, dates: Sequence[DateRef]) -> bool:
        if verb.dep_ == "relcl" and verb.head.lemma_.lower() in PERIOD_NOUNS:
            return True
        clause = verb
        while clause.dep_ in ("conj",) and clause.head.i != clause.i:
            clause = clause.head
        if clause.dep_ == "relcl" and clause.head.lemma_.lower() in PERIOD_NOUNS:
            return True
        ref = self._date_in(clause.subtree, dates)
        if ref is None:
            return False
        return ref.granularity == "year" or (ref.end - ref.start).days > 62


def _clause(head: Token) -> list[Token]:
    """The tokens of head's phrase, without clauses set off by commas."""
    out: list[Token] = []
    stack = [head]
    while stack:
        t = stack.pop()
        out.append(t)
        stack.extend(c for c in t.children
                     if c.dep_ not in ("advcl", "parataxis", "punct", "cc") and
                     not (c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")))
    return out


def _dedupe(claims: list[RawClaim]) -> list[RawClaim]:
    seen: set[tuple[str, str, int | None, str | None, str | None]] = set()
    out: list[RawClaim] = []
    for c in claims:
        key = (c.kind, c.about, c.value, c.since, c.actor)
        if key in seen:
            continue
        seen.add(key)
        out.append(c)
    return out
