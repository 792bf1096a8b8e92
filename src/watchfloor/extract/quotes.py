"""Quotes: every quoted passage with its speaker, the speaker's actor and the channel.

The speaker comes from the parse, not from a fixed "X said" pattern. Sentences are read cut at
paragraph breaks (the parser sometimes runs one over a break). For each quote the finder tries,
in order:
1. the verbs of saying above the quote, the outermost first, since that is the one the writer
   heard: in "Trump told reporters that Kim had demanded that sanctions be lifted “in their
   entirety”" the words are Trump's, and in "The Joint Chiefs said the military was watching,
   saying “...”" they are the Joint Chiefs'. The climb stops at a relative or coordinate
   clause with a subject of its own ("Trump threatened ..., and Kim called him a “dotard”");
2. the verbs of saying hung below the quote ("“...,” he said" parsed with the quote as root),
   then the other verbs of saying in its sentence, nearest first;
3. any verb above or below the quote that has a subject ("hailed the launch as “...”");
4. for a quote that is a sentence of its own, a verb of saying with no complement in the next
   sentence ("“Why wait?” | Lee, head of ..., said on Friday."); and the
   sentence before, when it ends in a colon ("Trump replied on Twitter:") or when the quote's
   sentence has no clause of its own (a sentence the parser cut short);
5. the attributed quote nearest in the same paragraph, looking back first (a quote that runs
   on after "he said.").
An outlet that speaks ("Yonhap said") is a speaker, but below a person it is the channel
("KCNA said Kim told ..."), and one met through "according to" gives way to any speaker a
later step finds ("“...,” he replied, according to Reuters."). A short phrase in quotation
marks that no step attributes is a term set off ("“decapitation strikes”"), not a quote, and
so is a title ("the “North Korea Sanctions and Policy Enhancement Act”").

A subject becomes a speaker as follows:
- a pronoun takes its antecedent: a subject of its own sentence outside its own clause and
  outside quotes ("Obama joined Park ... over what he called"), else a subject of the nearest
  sentence before it that names a candidate (a pronoun resolved before counts as its
  referent); a name inside the pronoun's own clause ("Referring to Kim, he said") is not its
  antecedent, a possessor is ("In Biden's speech, he said");
- a relative pronoun ("who", "which") takes the noun its clause modifies;
- a pack actor, outlet, role phrase or person at the subject, else in its apposition ("the
  country's top newspaper, the People's Daily"), else inside its phrase, is the speaker;
- a name that the model's entity recogniser missed ("said Han Do-yoon, a fellow at ...") is a
  person, as is a name that starts with an ambiguous pack alias ("Kim Seo-yeon" is not "Kim");
  a bare surname is the full name with it that the article has used most ("Kim");
- a document noun ("the statement said", "the study said") speaks for its issuer: the actor in
  its own phrase, the subject of the verb that issued it ("said in a statement"), or the
  issuer of an earlier mention of the same noun;
- a media noun ("the agency", "state media") is the outlet named before, a state-media outlet
  for "state ...", else the state the article names most;
- an ambiguous pack alias that actors.py left unresolved is the actor of the state the article
  names most, and a short form of a name given before ("the Joint Chiefs") takes its actor.

Speakers with no actor code are completed. A person the pack does not know takes the state
named in their title or apposition, the preposition that ties it to them ranking "at" before
"of" ("a professor of North Korean studies at a university in Seoul" -> KOR, not PRK), else
the home state of the article (``home_state`` of its dateline) when the caller gives one. A
role phrase with no state takes the outlet in its phrase ("a presenter on Korean Central
Television" -> PRK), else the state of the nearest earlier phrase whose head is one of its
modifiers ("a military official" after "South Korea's military") or its own head ("the
official" after "an official of the South Korean navy"), else the home state.

The channel is the outlet the quote came through, nearest to the speaker first: the speaker
itself when it is an outlet ("KCNA said"), an outlet in the speaker's phrase ("the statement
carried by KCNA"), then the outlets hung on the verb of saying ("told Yonhap", "said on
Twitter", "said in an interview with Reuters", "according to the Yonhap News Agency"), or an
unnamed one there ("according to Russian state media"). The whole chain is kept in
``RawQuote.via``; the Quote record has one channel field, so it gets the nearest. A speaker
keeps their channel for later quotes that name none, unless the later quote names an
audience that is not an outlet ("told reporters").
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from watchfloor.annotate import ACTOR, OUTLET, PLACE
from watchfloor.extract.actors import DETACHED, ActorIndex, Referent, phrase_tokens
from watchfloor.extract.modality import ModalityCues
from watchfloor.pack import Pack

MAX_ATTRIBUTION_GAP = 2  # sentences between a bare quote and the quote it takes its speaker from
PRONOUN_LOOKBACK = 4  # sentences a pronoun looks back for its antecedent
SCARE_WORDS = 3  # an unattributed quote this short is a term set off, not a quote

# Quotation marks: a double quote opens with “ or " and closes with ” or " (pages mix them:
# “a big blunder."); it does not run across a paragraph break. Single curly quotes count when
# the closing mark is not an apostrophe inside a word.
QUOTE_RE = re.compile(r"[“\"]([^“”\"\n]{2,}?)[”\"]|‘([^’\n]{3,}?)’(?![a-z])")
TRAILING = " ,;:\u2014\u2013-"  # the sentence's punctuation after a quote ("...," he said)

# --- generic English word lists (the pack holds domain words: outlets, role nouns) ----------

# Verbs that introduce or frame what someone said; the pack's "report" cues are added to them.
SPEECH_VERBS = frozenset({
    "say", "tell", "add", "state", "declare", "announce", "claim", "report", "write", "note",
    "explain", "insist", "warn", "call", "describe", "urge", "vow", "pledge", "promise",
    "threaten", "accuse", "condemn", "denounce", "dismiss", "brand", "label", "term", "dub",
    "reply", "respond", "react", "retort", "tweet", "post", "quote", "cite", "ask", "argue",
    "suggest", "acknowledge", "admit", "deny", "predict", "stress", "emphasise", "emphasize",
    "voice", "express", "criticise", "criticize", "praise", "hail", "blast", "slam", "mock",
    "demand", "appeal", "reiterate", "repeat", "confirm", "assert", "conclude", "recall",
    "remark", "comment", "agree", "boast", "complain", "concede", "contend", "maintain",
    "proclaim", "inform", "assure", "caution", "signal", "wonder", "characterise",
    "characterize", "refer", "speak", "highlight",
})
SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
GROUP_PRONOUNS = frozenset({"it", "they", "them"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
# Nouns for a text that speaks for whoever issued it ("the statement said").
SOURCE_NOUNS = frozenset({
    "statement", "report", "study", "commentary", "editorial", "article", "communique",
    "declaration", "document", "letter", "message", "dispatch", "announcement", "broadcast",
    "bulletin", "release", "notice", "memo", "memorandum", "survey", "analysis", "assessment",
    "review", "post", "tweet", "speech", "address", "resolution",
})
# Nouns for a news organisation that the article does not name here ("the agency said").
MEDIA_NOUNS = frozenset({
    "media", "medium", "television", "tv", "radio", "newspaper", "agency", "broadcaster",
    "daily", "outlet", "press", "channel", "station", "mouthpiece", "paper",
})
STATE_MODIFIERS = frozenset({"state", "official", "government", "state-run", "state-owned",
                             "state-controlled", "party"})
# Prepositions that give a person's affiliation, strongest first.
AFFILIATION_PREPS = ("at", "with", "from", "for", "of", "in")
# Words a title in quotation marks may leave in lower case ("Sanctions and Policy Act").
TITLE_SMALL_WORDS = frozenset({"a", "an", "and", "the", "of", "on", "in", "for", "to", "at",
                               "by", "with", "or", "de", "la"})
# Clauses of a verb of saying that hold what was said or another event, not its channel.
NOT_CHANNEL = frozenset({"ccomp", "conj", "parataxis", "relcl", "xcomp", "csubj"})
# Named-entity labels that are not people, for names the pack does not know.
NOT_PEOPLE = frozenset({"ORG", "GPE", "LOC", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART",
                        "LAW", "LANGUAGE", "DATE", "TIME", "MONEY", "QUANTITY", "PERCENT",
                        "CARDINAL", "ORDINAL", OUTLET, PLACE})
ALL_KINDS = ("person", "outlet", "state", "organisation", "role")
# A personal name: two or more capitalised words, the parts after a hyphen maybe not.
NAME_RE = re.compile(r"^[A-Z][\w'’]+(?:(?: |-)[A-Za-z][\w'’]*)+$")


# Forms of saying the tagger may take for a noun ("..., President Moon Jae-in said of the
# talks" tagged said/NOUN): with a subject of their own, they are the verb of saying.
SAID_FORMS = frozenset({"said", "says", "told", "added", "stated", "wrote", "declared"})


def _verbal(tok: Token) -> bool:
    """A verb, or a form of saying mistagged as a noun that the parser gave a subject."""
    return tok.pos_ in ("VERB", "AUX") or (
        tok.lower_ in SAID_FORMS and any(c.dep_ in SUBJECT_DEPS for c in tok.children))


@dataclass(slots=True)
class RawQuote:
    start: int  # character offsets of the quoted text, marks excluded
    end: int
    text: str
    sentence: Span
    speaker: Referent | None
    channel: str | None
    confidence: float
    via: tuple[str, ...] = ()  # the outlets it came through, nearest the speaker first
    audience: bool = False  # the attribution names an audience that is no outlet
    fallback: Referent | None = None  # an outlet to fall back on ("according to KCNA")
    unit: int = -1  # index of its sentence, cut at paragraph breaks


@dataclass(slots=True)
class _Found:
    speaker: Referent
    via: list[str] = field(default_factory=list)  # outlets met while resolving the speaker
    verb: Token | None = None  # the verb of saying
    weak: bool = False  # an outlet met through "according to": a channel unless none better


def quote_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in QUOTE_RE.finditer(text):
        g = next(i for i in (1, 2) if m.group(i) is not None)
        spans.append((m.start(g), m.end(g)))
    return spans


def clean_quote(text: str) -> str:
    """The quoted words without the white space and the sentence's own punctuation around them:
    a comma before the closing mark belongs to the sentence ("...," he said), a full stop,
    question or exclamation mark to the quote."""
    return text.strip().strip(TRAILING).strip()


def looks_like_title(text: str) -> bool:
    """A name in quotation marks (a law, a book, an operation), not something said: three or
    more words, every word but the small ones capitalised, and no sentence ending."""
    if text.rstrip().endswith((".", "!", "?")):
        return False
    words = re.findall(r"[^\W\d_][\w'’.-]*", text)
    big = [w for w in words if w.lower() not in TITLE_SMALL_WORDS]
    if len(big) < 2 or len(words) < 3:
        return False
    return all(w[0].isupper() for w in big) and not all(w.isupper() for w in big)


def home_state(pack: Pack, dateline: str | None) -> str | None:
    """The state of an article's dateline city ("SEOUL" -> KOR), when the pack names the city
    as an actor's alias: the home of the people an article quotes without an affiliation."""
    if not dateline:
        return None
    city = re.split(r"[,/(]", dateline, maxsplit=1)[0].strip(" -–—:")
    for name in (city, city.title()):
        for actor in pack.actors_named(name):
            if actor.kind == "state" and name not in actor.ambiguous:
                return actor.code
    return None


def _root(doc: Doc, start: int, end: int) -> Token:
    """The token of doc[start:end] whose head lies outside it."""
    for i in range(start, end):
        if not start <= doc[i].head.i < end or doc[i].head.i == i:
            return doc[i]
    return doc[end - 1]


def _distance(verb: Token, inside: range) -> int:
    return min(abs(verb.i - inside.start), abs(verb.i - inside.stop))


def _recode(ref: Referent, code: str | None) -> Referent:
    return Referent(ref.start, ref.end, ref.text, code, ref.name, ref.kind)


class QuoteFinder:
    """Finds the quotes of the one document its ActorIndex was built on. ``home`` is the state
    of the article's dateline (``home_state``), for people quoted with no affiliation."""

    def __init__(self, actors: ActorIndex, cues: ModalityCues, home: str | None = None) -> None:
        self.actors = actors
        self.pack = actors.pack
        self.doc = actors.doc
        self.home = home
        self.speech = SPEECH_VERBS | frozenset(w for w in cues.report if " " not in w)
        self.channels: dict[tuple[str | None, str], tuple[str, ...]] = {}
        self.quoted: set[int] = set()  # token indices inside any quote
        self.state_media = frozenset(o.name for o in self.pack.outlets if o.state_media)
        self.outlet_country = {o.name: o.country for o in self.pack.outlets}
        self.roles = frozenset(self.pack.role_nouns)
        self.state_counts: Counter[str] = Counter(
            r.code for r in actors.referents if r.kind == "state" and r.code
        )
        # Sentences cut at paragraph breaks (the parser sometimes runs one over a break), the
        # paragraph of every token, and the unit of every token.
        self.units: list[Span] = []
        self.para_of: list[int] = []
        self.unit_of: list[int] = []
        para = 0
        doc = self.doc
        for sent in doc.sents:
            start = sent.start
            for t in sent:
                if t.is_space and "\n" in t.text:  # a break: the unit before it ends here
                    if t.i > start:
                        self.units.append(doc[start : t.i])
                    start = t.i + 1
                    para += 1
                    self.unit_of.append(max(len(self.units) - 1, 0))
                else:  # the unit that holds t is the next one to be appended
                    self.unit_of.append(len(self.units))
                self.para_of.append(para)
            if sent.end > start:
                self.units.append(doc[start : sent.end])
        self.resolved: dict[int, tuple[Referent, tuple[str, ...]]] = {}  # pronoun -> referent
        self.refs: list[Referent] = []
        for ref in actors.referents:
            self.refs.append(self._fix_person(ref) if ref.kind == "person" else ref)

    # --- the quotes of one document -----------------------------------------------------

    def find(self, doc: Doc) -> list[RawQuote]:
        if doc is not self.doc:
            raise ValueError("QuoteFinder.find needs the document its ActorIndex was built on")
        text = doc.text
        spans: list[tuple[int, int, Span]] = []
        for start, end in quote_spans(text):
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            spans.append((start, end, span))
            self.quoted.update(range(span.start, span.end))
        out: list[RawQuote] = []
        for start, end, span in spans:
            raw = text[start:end]
            words = clean_quote(raw)
            if len(words) < 2 or looks_like_title(words):
                continue
            inside = range(span.start, span.end)
            sent = self.units[self.unit_of[span.start]]
            found, confidence = self._attribute(sent, inside)
            begin = start + raw.find(words)
            q = RawQuote(begin, begin + len(words), words, doc[span.start].sent, None, None,
                         confidence, unit=self.unit_of[span.start])
            if found is not None:
                if found.weak:
                    q.fallback = found.speaker
                else:
                    q.speaker = found.speaker
                q.via = self._chain(sent, found)
                q.audience = found.verb is not None and self._has_audience(found.verb)
            out.append(q)
        self._borrow_speakers(doc, out)
        for q in out:
            if q.speaker is None and q.fallback is not None:
                q.speaker = q.fallback
        # A short phrase in quotation marks that nobody is said to have said is a term set
        # off ("computer-simulated “decapitation strikes”"), not a quote.
        out = [q for q in out if q.speaker is not None or len(q.text.split()) > SCARE_WORDS]
        self._stick_channels(out)
        return out

    # --- attribution --------------------------------------------------------------------

    def _attribute(self, sent: Span, inside: range) -> tuple[_Found | None, float]:
        found = self._attribute_in(sent, inside)
        if found is not None and not found[0].weak:
            return found
        alone = not self._has_clause(sent)
        index = self.unit_of[sent.start]
        if alone and index + 1 < len(self.units):
            # "“Why wait?” | Lee Min-ho, head of ..., said on Friday."
            nxt = self.units[index + 1]
            if self._same_paragraph(sent, nxt):
                for verb in nxt:
                    if (self._is_speech(verb) and verb.i not in self.quoted
                            and not any(c.dep_ in ("ccomp", "dobj", "xcomp", "parataxis")
                                        for c in verb.children)):
                        found_next = self._speaker_of_verb(verb)
                        if found_next is not None:
                            return found_next, 0.7
        none: tuple[_Found | None, float] = found or (None, 0.5)
        if index == 0:
            return none
        prev = self.units[index - 1]
        if not self._same_paragraph(prev, sent):
            return none
        # "Trump replied on Twitter:" + the quote as a sentence of its own, or a sentence the
        # parser cut short ("... at 10 a.m. | Pyongyang time and called the test “...”")
        if prev.text.rstrip().endswith(":") or alone:
            verbs = sorted((t for t in prev if t.pos_ in ("VERB", "AUX")
                            and t.i not in self.quoted), key=lambda v: -v.i)
            for speech_only in (True, False):
                for verb in verbs:
                    if speech_only and not self._is_speech(verb):
                        continue
                    found_prev = self._speaker_of_verb(verb)
                    if found_prev is not None:
                        return found_prev, 0.6
        return none

    def _same_paragraph(self, a: Span, b: Span) -> bool:
        lo, hi = sorted((a, b), key=lambda s: s.start)
        return "\n" not in self.doc.text[lo.end_char : hi.start_char]

    def _has_clause(self, sent: Span) -> bool:
        """The sentence has a verb with a subject of its own outside quotes."""
        return any(
            t.pos_ in ("VERB", "AUX") and t.i not in self.quoted
            and any(c.dep_ in SUBJECT_DEPS for c in t.children)
            for t in sent
        )

    def _attribute_in(self, sent: Span, inside: range) -> tuple[_Found, float] | None:
        """The speaker from the quote's own sentence. An outlet met through "according to"
        gives way to a speaker a later step finds ("he replied, according to Reuters"); it
        comes back marked ``weak`` when no step finds one, for the caller to fall back on."""
        governors = self._governors(inside)
        attached = self._attached(sent, inside)
        weak: _Found | None = None
        # The outermost verb of saying above the quote is the one the writer heard; an outlet
        # up there ("KCNA said Kim told ...") is the channel of a speaker below it.
        speech = [f for v in governors if self._is_speech(v)
                  and (f := self._speaker_of_verb(v)) is not None]
        strong = [f for f in speech if not f.weak]
        people = [f for f in strong if f.speaker.kind != "outlet"]
        if people or strong:
            found = (people or strong)[-1]
            for f in speech:
                found.via.extend(n for n in f.via if n not in found.via)
            return found, 0.9
        if speech:
            weak = speech[-1]
        others = sorted(
            (t for t in sent if t.i not in self.quoted and _verbal(t)
             and t not in governors and t not in attached),
            key=lambda v: _distance(v, inside),
        )
        tiers: list[tuple[list[Token], bool, float]] = [
            (attached, True, 0.9),
            (others, True, 0.8),
            (governors, False, 0.7),
            (attached, False, 0.7),
        ]
        for verbs, speech_only, confidence in tiers:
            if not speech_only and weak is not None:
                break
            for verb in verbs:
                if speech_only and not self._is_speech(verb):
                    continue
                candidate = self._speaker_of_verb(verb)
                if candidate is None:
                    continue
                if not candidate.weak:
                    if weak is not None:
                        candidate.via.extend(n for n in weak.via if n not in candidate.via)
                    return candidate, confidence
                weak = weak or candidate
        return (weak, 0.6) if weak is not None else None

    def _is_speech(self, verb: Token) -> bool:
        return (verb.lemma_.lower() in self.speech or verb.lower_ == "according"
                or verb.lower_ in SAID_FORMS)

    def _governors(self, inside: range) -> list[Token]:
        """The verbs above the quote in its paragraph, nearest first, up to the first relative
        or coordinate clause with a subject of its own: "Analysts said the North, which called
        it “a success”, ..." and "Trump threatened ..., and Kim called him a “dotard”" are
        the North's and Kim's words."""
        doc = self.doc
        out: list[Token] = []
        seen: set[int] = set()
        para = self.para_of[inside.start]
        for i in inside:
            tok = doc[i]
            if tok.head.i in inside:
                continue
            cur = tok
            for _ in range(10):
                if cur.head.i == cur.i or self.para_of[cur.head.i] != para:
                    break
                if cur.dep_ in ("relcl", "acl", "conj") and cur.pos_ in ("VERB", "AUX") and any(
                        c.dep_ in SUBJECT_DEPS for c in cur.children):
                    break
                cur = cur.head
                if cur.i in inside or cur.i in seen:
                    continue
                seen.add(cur.i)
                if _verbal(cur) and cur.i not in self.quoted:
                    out.append(cur)
        return out

    def _attached(self, sent: Span, inside: range) -> list[Token]:
        """Verbs outside the quote that the parser hung below it ("“...,” he said" parsed
        with the quote as the root), nearest first."""
        out = []
        for t in sent:
            if t.i in self.quoted or not _verbal(t):
                continue
            cur = t
            for _ in range(10):
                if cur.head.i == cur.i:
                    break
                cur = cur.head
                if cur.i in inside:
                    out.append(t)
                    break
                if cur.i in self.quoted:
                    break
        return sorted(out, key=lambda v: _distance(v, inside))

    def _has_audience(self, verb: Token) -> bool:
        """The verb names who heard it and that is not an outlet ("told reporters")."""
        if verb.lemma_.lower() != "tell":
            return False
        return any(c.dep_ in ("dobj", "dative") and c.ent_type_ != OUTLET
                   for c in verb.children)

    # --- from a verb to its speaker ----------------------------------------------------

    def _speaker_of_verb(self, verb: Token) -> _Found | None:
        found: _Found | None = None
        if verb.lower_ == "according":  # "..., according to a senior official"
            for prep in verb.children:
                if prep.lower_ == "to":
                    for obj in prep.children:
                        if obj.dep_ == "pobj" and found is None:
                            found = self._speaker_of(obj)
        else:
            for subj in self._subjects(verb):
                found = self._speaker_of(subj)
                if found is not None:
                    break
        if found is not None:
            found.verb = verb
            found.weak = verb.lower_ == "according" and found.speaker.kind == "outlet"
        return found

    def _subjects(self, verb: Token, depth: int = 0) -> list[Token]:
        """The subject tokens of a verb, through participles, control and coordination. For
        "quoted by Reuters as saying" the speaker is the passive subject, not the agent, and
        for "KCNA quoted Kim as saying" the object."""
        if depth > 5:
            return []
        kids = list(verb.children)
        if verb.lemma_.lower() in ("quote", "cite"):
            passive = [c for c in kids if c.dep_ == "nsubjpass"]
            if passive:
                return passive
        for c in kids:
            if c.dep_ == "agent":
                objs = [t for t in c.children if t.dep_ == "pobj"]
                if objs:
                    return objs
        for dep in SUBJECT_DEPS:
            subs = [c for c in kids if c.dep_ == dep]
            if subs:
                return subs
        head = verb.head
        if head.i == verb.i:
            return []
        if verb.dep_ == "pcomp" and head.pos_ == "ADP":  # "quoted as saying"
            quoting = head.head
            if quoting.lemma_.lower() in ("quote", "cite"):  # "KCNA quoted Kim as saying"
                quoted = [c for c in quoting.children if c.dep_ == "dobj"]
                if quoted:
                    return quoted
            return self._subjects(quoting, depth + 1)
        if verb.dep_ == "xcomp":
            objs = [c for c in head.children if c.dep_ == "dobj"]
            return objs or self._subjects(head, depth + 1)
        if verb.dep_ in ("acl", "relcl") and head.pos_ in ("NOUN", "PROPN"):
            return [head]  # "a statement saying ..."
        if verb.dep_ in ("conj", "advcl", "acl", "pcomp", "parataxis") and head.pos_ in (
            "VERB", "AUX"
        ):
            return self._subjects(head, depth + 1)
        return []

    def _speaker_of(self, tok: Token) -> _Found | None:
        """The speaker named by a subject token, completed with an actor code."""
        if tok.lower_ in RELATIVE_PRONOUNS and tok.head.dep_ == "relcl":
            tok = tok.head.head
        word = tok.lower_
        if word in PERSON_PRONOUNS:
            ref = self._antecedent(tok, ("person", "role"))
            return self._complete(ref) if ref is not None else None
        if word in GROUP_PRONOUNS:
            kinds: tuple[str, ...] = ("state", "organisation", "outlet")
            if word != "it":
                kinds = (*kinds, "role")
            ref = self._antecedent(tok, kinds)
            return self._complete(ref) if ref is not None else None
        if tok.pos_ == "PRON":
            return None
        ref = self._ref_at(tok)
        if ref is None and tok.ent_type_ not in NOT_PEOPLE | {ACTOR}:
            ref = self._new_person(tok)
        if ref is None or ref.kind == "role":  # "A spokesman ..., Geng Shuang, said"
            named = self._appos_ref(tok)
            if named is not None and (ref is None or named.kind == "person"):
                ref = named
        lemma = tok.lemma_.lower()
        if ref is None and lemma not in SOURCE_NOUNS:
            ref = self.actors.referent_in(tok, kinds=ALL_KINDS)
            if ref is not None and ref.kind == "person":
                ref = self._ref_at(self.doc[ref.start]) or ref
        if ref is not None:
            return self._complete(ref)
        if lemma in SOURCE_NOUNS:
            return self._source(tok)
        if lemma in MEDIA_NOUNS:
            return self._media(tok, tok)
        ambiguous = self._ambiguous_alias(tok)
        if ambiguous is not None:
            return _Found(ambiguous)
        if tok.pos_ == "PROPN":
            return self._short_form(tok)
        return None

    def _appos_ref(self, tok: Token) -> Referent | None:
        """The referent an apposition of tok names, nearest first ("North Korea's backer, the
        country's top newspaper, the People's Daily")."""
        level = [c for c in tok.children if c.dep_ == "appos"]
        for _ in range(3):
            for t in level:
                ref = self._ref_at(t)
                if ref is not None:
                    return ref
            level = [c for t in level for c in t.children if c.dep_ == "appos"]
        return None

    def _ref_at(self, tok: Token) -> Referent | None:
        """The referent that covers tok, with this finder's corrections to people."""
        for ref in self.refs:
            if ref.start > tok.i:
                break
            if ref.start <= tok.i < ref.end and (
                ref.kind != "role" or tok.lemma_.lower() not in SOURCE_NOUNS
            ):
                return ref
        return None

    def _complete(self, ref: Referent) -> _Found:
        """The speaker with the best actor code we can give it."""
        if ref.kind == "person":
            return _Found(self._person(ref))
        if ref.kind == "outlet":
            return _Found(ref, [ref.name])
        if ref.kind == "role":
            return self._role(ref)
        return _Found(ref)

    # --- pronouns -----------------------------------------------------------------------

    def _antecedent(self, tok: Token, kinds: tuple[str, ...]) -> Referent | None:
        """The referent a pronoun points to: a subject first, in its own sentence (outside
        its own clause and outside quotes), then in the sentences before, nearest first,
        counting only sentences that are not all quotation. A pronoun resolved before stands
        for its referent ("“...,” he replied. ... “...,” he said")."""
        found = self._antecedent_in(tok, kinds)
        if found is not None:
            self.resolved[tok.i] = (found, kinds)
        return found

    def _antecedent_in(self, tok: Token, kinds: tuple[str, ...]) -> Referent | None:
        doc = self.doc
        blocked: set[int] = set()
        if tok.dep_ in SUBJECT_DEPS:
            blocked = {t.i for t in tok.head.subtree if t.dep_ != "poss"}
        index = self.unit_of[tok.i]
        looked = 0
        while looked <= PRONOUN_LOOKBACK and index >= 0:
            sent = self.units[index]
            index -= 1
            if all(t.i in self.quoted or t.is_punct or t.is_space for t in sent):
                continue
            looked += 1
            cands = [
                r for r in self.refs
                if sent.start <= r.start < sent.end and r.kind in kinds
                and r.start < tok.i and r.start not in self.quoted
                and _root(doc, r.start, r.end).i not in blocked
            ]
            cands = self._prefer_people(cands)
            for i, (ref, ref_kinds) in self.resolved.items():
                if sent.start <= i < min(sent.end, tok.i) and ref_kinds == kinds:
                    cands.append(Referent(i, i + 1, ref.text, ref.code, ref.name, ref.kind))
            cands.sort(key=lambda r: r.start)
            if cands:
                subjects = [r for r in cands if self._is_subject(r)]
                pick = subjects[0] if subjects else cands[-1]
                return self.resolved[pick.start][0] if pick.start in self.resolved else pick
        return None

    def _is_subject(self, ref: Referent) -> bool:
        root = _root(self.doc, ref.start, ref.end)
        while root.dep_ in ("compound", "appos", "conj") and root.head.i != root.i:
            root = root.head
        return root.dep_ in SUBJECT_DEPS

    def _prefer_people(self, cands: list[Referent]) -> list[Referent]:
        """A role that is the apposition of a named person ("Kim Seo-yeon, an analyst at
        ...") is the person, not a second candidate."""
        people = [r for r in cands if r.kind == "person"]
        if not people:
            return cands
        out = []
        for r in cands:
            if r.kind == "role":
                root = _root(self.doc, r.start, r.end)
                if root.dep_ == "appos" and any(p.start <= root.head.i < p.end for p in people):
                    continue
            out.append(r)
        return out

    # --- people -------------------------------------------------------------------------

    def _name_piece(self, i: int) -> int:
        """How many tokens from i on continue a personal name: a capitalised word, or a
        hyphen written without spaces and the word after it ("Seo-yeon", "Do-yoon"); 0 when
        none. The tagger often gets the parts of Korean names wrong, so the part of speech
        is not asked."""
        doc = self.doc
        if i >= len(doc) or i in self.actors.by_token or doc[i].ent_type_ in NOT_PEOPLE:
            return 0
        t = doc[i]
        if t.text[:1].isupper() and t.text.isalpha() and t.lemma_.lower() not in self.roles:
            return 1
        if (t.text == "-" and i > 0 and not doc[i - 1].whitespace_ and not t.whitespace_
                and i + 1 < len(doc) and doc[i + 1].text.isalpha()):
            return 2
        return 0

    def _name_end(self, start: int) -> int:
        """The end of a personal name that starts at token start, its parts hung on one
        head to the right ("Kim Seo-yeon")."""
        end = start + 1
        while (step := self._name_piece(end)) and self.doc[end - 1].head.i >= end:
            end += step
        return end

    def _fix_person(self, ref: Referent) -> Referent:
        """Correct a person that an ambiguous pack alias made: "Kim Seo-yeon" is someone the
        pack does not know, and a bare "Kim" is the full name the article has used most."""
        doc = self.doc
        if ref.end - ref.start != 1 or doc[ref.start].ent_type_ != ACTOR:
            return ref
        end = self._name_end(ref.start)
        if end > ref.end:
            text = doc[ref.start : end].text
            return Referent(ref.start, end, text, None, text, "person")
        word = ref.text
        counts: Counter[str] = Counter()
        last: dict[str, Referent] = {}
        for other in self.refs:
            if other.kind == "person" and len(other.text.split()) > 1 and (
                word in other.text.replace("-", " ").split()
            ):
                counts[other.name] += 1
                last[other.name] = other
        if not counts:
            return ref
        best = max(counts, key=lambda n: (counts[n], last[n].start))
        chosen = last[best]
        return Referent(ref.start, ref.end, ref.text, chosen.code, chosen.name, "person")

    def _new_person(self, tok: Token) -> Referent | None:
        """A person the entity recogniser missed: a subject that is a name of two or more
        capitalised words ("said Han Do-yoon, a fellow at ...")."""
        doc = self.doc
        start = tok.i
        while start > 0 and start - 1 <= doc[start - 1].head.i <= tok.i and (
            self._name_piece(start - 1)
        ):
            start -= 1
        end = start + 1
        while end <= tok.i and (step := self._name_piece(end)):
            end += step
        text = doc[start:end].text
        if end != tok.i + 1 or not NAME_RE.match(text) or not self._name_piece(start):
            return None
        ref = Referent(start, end, text, None, text, "person")
        bisect.insort(self.refs, ref, key=lambda r: r.start)
        return ref

    def _person(self, ref: Referent) -> Referent:
        """A person with the state of their affiliation, as the article gives it."""
        actor = self.pack.actor(ref.name)
        if actor is not None and actor.kind == "person":
            return ref
        first = next((r for r in self.refs if r.kind == "person" and r.name == ref.name), ref)
        code = self._affiliation(first) or self.home
        return _recode(ref, code)

    def _affiliation(self, person: Referent) -> str | None:
        """The state named in a person's apposition or title, affiliation prepositions first:
        "a professor of North Korean studies at a university in Seoul" -> KOR."""
        doc = self.doc
        span = doc[person.start : person.end]
        roots = [t for t in span if not person.start <= t.head.i < person.end]
        phrases: list[Token] = roots[:1]
        phrases += [c for t in span for c in t.children if c.dep_ == "appos"]
        phrases += [t.head for t in roots if t.dep_ == "appos"]
        by_prep: dict[str, list[str]] = {}
        plain: list[str] = []
        for head in phrases:
            for t in phrase_tokens(head):
                if person.start <= t.i < person.end or t.i in self.quoted:
                    continue
                code = self._code_at(t)
                if code is None:
                    continue
                prep = None  # the preposition that ties the phrase to the person
                for a in t.ancestors:
                    if a.i == head.i:
                        break
                    if a.dep_ == "prep":
                        prep = a.lower_
                if prep in AFFILIATION_PREPS:
                    by_prep.setdefault(prep, []).append(code)
                else:
                    plain.append(code)
        for prep in AFFILIATION_PREPS:
            if prep in by_prep:
                return by_prep[prep][0]
        if plain:
            return plain[0]
        # where the apposition's own clause puts them ("who watched in a cafe in Seoul")
        for head in phrases[1:]:
            for t in head.subtree:
                if t.i not in self.quoted and (code := self._code_at(t)) is not None:
                    return code
        return None

    def _code_at(self, tok: Token) -> str | None:
        ref = self.actors.by_token.get(tok.i)
        if ref is not None and ref.kind in ("state", "organisation", "outlet") and ref.code:
            return ref.code
        if tok.ent_type_ == PLACE:
            place = self.pack.place(tok.ent_id_)
            if place is not None:
                return place.country
        return None

    # --- roles, documents and media ----------------------------------------------------

    def _role(self, ref: Referent) -> _Found:
        """A role phrase, with the state of its outlet or of an earlier phrase like it when
        its own phrase names none."""
        doc = self.doc
        head = _root(doc, ref.start, ref.end)
        via: list[str] = []
        for t in phrase_tokens(head):
            other = self.actors.by_token.get(t.i)
            if other is not None and other.kind == "outlet" and other.name not in via:
                via.append(other.name)
        lemma = head.lemma_.lower()
        after = self.actors.by_token.get(ref.end)  # "the state news agency KCNA"
        if lemma in MEDIA_NOUNS and after is not None and after.kind == "outlet":
            via.insert(0, after.name)
        if via and lemma in MEDIA_NOUNS:
            code = self.outlet_country.get(via[0])
            return _Found(Referent(ref.start, ref.end, ref.text, code, via[0], "outlet"), via)
        if ref.code is not None:
            return _Found(ref, via)
        if via:
            return _Found(_recode(ref, self.outlet_country.get(via[0])), via)
        mods = {c.lower_ for c in head.children if c.dep_ not in ("det", "punct", "prep")}
        if lemma in MEDIA_NOUNS and not mods - STATE_MODIFIERS - {"news"}:
            media = self._media(head, head)
            if media is not None:
                return _Found(_recode(ref, media.speaker.code), media.via)
        for t in phrase_tokens(head)[1:]:
            if t.dep_ == "pobj" and t.lemma_.lower() in MEDIA_NOUNS:
                media = self._media(t, head)
                if media is not None:
                    return _Found(_recode(ref, media.speaker.code), media.via)
        return _Found(_recode(ref, self._like_before(ref, head) or self.home))

    def _like_before(self, ref: Referent, head: Token) -> str | None:
        """The state of the nearest earlier phrase with one of this role's modifiers as its
        head ("a military official" after "South Korea's military"), else with the role's own
        head noun ("the official" after "an official of the South Korean navy")."""
        doc = self.doc
        lemma = head.lemma_.lower()
        mods = {c.lemma_.lower() for c in head.children if c.dep_ in ("compound", "amod")}
        mods |= {g.lemma_.lower() for c in head.children if c.dep_ == "compound"
                 for g in c.children if g.dep_ == "compound"}
        same: str | None = None
        related: str | None = None
        for other in self.refs:
            if other.start >= ref.start:
                break
            if other.code is None or other.start in self.quoted:
                continue
            other_head = _root(doc, other.start, other.end).lemma_.lower()
            if other.kind in ("role", "organisation") and other_head == lemma:
                same = other.code
            elif other_head in mods and other.kind in ("role", "organisation"):
                related = other.code
        return related or same

    def _source(self, noun: Token) -> _Found | None:
        """The issuer of a statement, report or study."""
        own = self._issuer(noun)
        if own is not None:
            return own
        lemma = noun.lemma_.lower()
        for t in reversed(self.doc[: noun.i]):
            if t.lemma_.lower() == lemma and t.pos_ == "NOUN" and t.i not in self.quoted:
                found = self._issuer(t)
                if found is not None:
                    return found
        return None

    def _issuer(self, noun: Token) -> _Found | None:
        via = [r.name for t in noun.subtree
               if (r := self.actors.by_token.get(t.i)) is not None and r.kind == "outlet"]
        for c in noun.children:
            if c.dep_ in ("poss", "compound", "amod", "nmod") or (
                c.dep_ == "prep" and c.lower_ in ("of", "from", "by")
            ):
                ref = self.actors.referent_in(c, kinds=ALL_KINDS)
                if ref is not None:
                    found = self._complete(ref)
                    found.via.extend(v for v in via if v not in found.via)
                    return found
        verb = noun.head
        if noun.dep_ == "pobj" and verb.dep_ == "prep":  # "said in a statement"
            verb = verb.head
        elif noun.dep_ != "dobj":  # "issued a statement"
            verb = noun
        if verb is not noun and verb.pos_ in ("VERB", "AUX"):
            for subj in self._subjects(verb):
                if subj.i == noun.i or subj.lemma_.lower() in SOURCE_NOUNS:
                    continue
                by_verb = self._speaker_of(subj)
                if by_verb is not None:
                    by_verb.via.extend(v for v in via if v not in by_verb.via)
                    return by_verb
        if via:
            code = self.outlet_country.get(via[0])
            return _Found(Referent(noun.i, noun.i + 1, via[0], code, via[0], "outlet"), via)
        return None

    def _media(self, noun: Token, phrase: Token) -> _Found | None:
        """A news organisation named by a common noun: "the agency", "state media"."""
        mods = {c.lower_ for c in noun.children if c.dep_ in ("amod", "compound", "nmod")}
        for c in noun.children:
            if c.dep_ in ("poss", "amod", "compound"):
                ref = self.actors.referent_in(c, kinds=("state",))
                if ref is not None and ref.code:
                    return _Found(self._phrase_ref(phrase, ref.code))
        outlets = [r for r in self.refs if r.kind == "outlet"]
        if mods & STATE_MODIFIERS:
            state = [r for r in outlets if r.name in self.state_media]
            before = [r for r in state if r.start < noun.i]
            pick = before[-1] if before else (state[0] if state else None)
            if pick is not None:
                return _Found(self._phrase_ref(phrase, pick.code), [pick.name])
            if self.state_counts:
                return _Found(self._phrase_ref(phrase, self.state_counts.most_common(1)[0][0]))
            return None
        before = [r for r in outlets if r.start < noun.i]
        if before:
            return _Found(before[-1], [before[-1].name])
        return None

    def _phrase_ref(self, head: Token, code: str | None) -> Referent:
        span = self.doc[self._phrase_start(head) : head.i + 1]
        text = span[1:].text if span[0].lower_ in ("a", "an", "the") and len(span) > 1 \
            else span.text
        return Referent(span.start, span.end, text, code, text, "role")

    @staticmethod
    def _phrase_start(head: Token) -> int:
        return min(t.i for t in head.subtree if t.dep_ not in DETACHED and t.i <= head.i)

    def _ambiguous_alias(self, tok: Token) -> Referent | None:
        """A pack alias that actors.py left unresolved because it is ambiguous ("the Joint
        Chiefs of Staff"): the one actor it names, or the one of the state the article names
        most."""
        if tok.ent_type_ != ACTOR or tok.i in self.actors.by_token:
            return None
        ent = next((e for e in self.doc.ents if e.start <= tok.i < e.end), None)
        if ent is None:
            return None
        return self._alias_referent(ent.text, ent.start, ent.end)

    def _alias_referent(self, alias: str, start: int, end: int) -> Referent | None:
        named = self.pack.actors_named(alias)
        if not named:
            return None
        codes = {a.code for a in named}
        if len(codes) == 1:
            code = next(iter(codes))
        else:
            ranked = [c for c, _ in self.state_counts.most_common() if c in codes]
            if not ranked:
                return None
            code = ranked[0]
        actor = next(a for a in named if a.code == code)
        return Referent(start, end, self.doc[start:end].text, code, actor.name, actor.kind)

    def _short_form(self, tok: Token) -> _Found | None:
        """A short form of a name the article gave in full ("the Joint Chiefs" after "the
        Joint Chiefs of Staff"): that name's actor."""
        doc = self.doc
        words = [t.text for t in sorted(phrase_tokens(tok), key=lambda t: t.i)
                 if t.pos_ == "PROPN"]
        if not words:
            return None
        name = " ".join(words)
        for ent in reversed([e for e in doc.ents if e.end <= tok.i]):
            if name not in ent.text or ent.start in self.quoted:
                continue
            ref = self.actors.by_token.get(ent.start)
            if ref is not None and ref.code:
                return self._complete(ref)
            alias = self._alias_referent(ent.text, ent.start, ent.end)
            if alias is not None:
                return _Found(Referent(tok.i, tok.i + 1, name, alias.code, alias.name,
                                       alias.kind))
        return None

    # --- channels -----------------------------------------------------------------------

    def _chain(self, sent: Span, found: _Found) -> tuple[str, ...]:
        """The outlets a quote came through, nearest the speaker first: those met on the way
        to the speaker, those hung on the verb of saying ("told Yonhap", "said on Twitter",
        "according to Reuters"), else an unnamed one there ("according to state media")."""
        via = list(found.via)
        unnamed: list[str] = []
        verb = found.verb
        if verb is not None:
            stack = [c for c in verb.children if c.dep_ not in NOT_CHANNEL]
            if verb.head.i != verb.i and verb.head.lower_ == "according":
                stack.append(verb.head)
            stack.extend(t for t in sent if t.lower_ == "according" and t.i not in self.quoted)
            seen: set[int] = set()
            while stack:
                t = stack.pop(0)
                if t.i in seen or t.i in self.quoted:
                    continue
                seen.add(t.i)
                if t.ent_type_ == OUTLET:
                    ref = self.actors.by_token.get(t.i)
                    name = ref.name if ref is not None else t.ent_id_
                    if name and name not in via:
                        via.append(name)
                elif t.dep_ == "pobj" and t.lemma_.lower() in MEDIA_NOUNS:
                    start = self._phrase_start(t)
                    span = self.doc[start : t.i + 1]
                    if span[0].lower_ in ("a", "an", "the"):
                        span = span[1:]
                    unnamed.append(span.text)
                stack.extend(c for c in t.children if c.dep_ not in ("relcl", "ccomp"))
        return tuple(via or unnamed[:1])

    def _stick_channels(self, quotes: list[RawQuote]) -> None:
        """A speaker's channel carries over to their later quotes that name none."""
        for q in quotes:
            if q.speaker is None:
                continue
            key = (q.speaker.code, q.speaker.name)
            if q.via:
                self.channels[key] = q.via
            elif not q.audience:
                q.via = self.channels.get(key, ())
            q.channel = q.via[0] if q.via else None

    # --- quotes with no attribution of their own -------------------------------------

    def _borrow_speakers(self, doc: Doc, quotes: list[RawQuote]) -> None:
        """A quote with no speaker of its own takes the nearest attributed quote's speaker in
        the same paragraph, looking back first."""
        text = doc.text

        def same_paragraph(a: RawQuote, b: RawQuote) -> bool:
            lo, hi = sorted((a.start, b.start))
            return "\n" not in text[lo:hi]

        for i, q in enumerate(quotes):
            if q.speaker is not None:
                continue
            for j in [*range(i - 1, -1, -1), *range(i + 1, len(quotes))]:
                other = quotes[j]
                gap = abs(other.unit - q.unit)
                if (other.speaker is not None and same_paragraph(q, other)
                        and gap <= MAX_ATTRIBUTION_GAP):
                    q.speaker = other.speaker
                    q.via = q.via or other.via
                    q.fallback = None
                    q.audience = other.audience
                    q.confidence = 0.6
                    break
