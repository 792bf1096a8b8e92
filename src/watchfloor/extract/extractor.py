"""The extractor: one annotated document in, one Extraction out.

Built once from settings and pack (model load, entity ruler, lexicon, date patterns); calling
it does no I/O, so it can be shipped to a Dask worker and run on batches with ``nlp.pipe``.
"""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from zoneinfo import ZoneInfo

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc as SpacyDoc
from spacy.tokens import Span, Token

from watchfloor.annotate import WEAPON, build_nlp
from watchfloor.errors import E, WatchfloorError
from watchfloor.extract.actors import ActorIndex
from watchfloor.extract.claims import WINDOW_WORDS, ClaimFinder, RawClaim
from watchfloor.extract.comments import LAST_ACT
from watchfloor.extract.dates import DateFinder, DateSpan, looks_future, resolve
from watchfloor.extract.events import (
    ANOTHER,
    BACKGROUND_DAYS,
    BEGUN,
    EARLIER,
    HALTED,
    REACTED_EVENT,
    REACTIONS,
    SPEECH_TYPES,
    TALLY,
    UNKNOWN_DOER,
    YEAR_IN,
    DateRef,
    EventFinder,
    Lexicon,
    PhraseHit,
    RawEvent,
    expand_date_lists,
    lag_after,
)
from watchfloor.extract.figures import flight_figures
from watchfloor.extract.gate import SentenceGate
from watchfloor.extract.grammar import JOINT_TYPES, clause_verb, symmetric
from watchfloor.extract.merge import merge_document_events
from watchfloor.extract.modality import outcome_of
from watchfloor.extract.quotes import QuoteFinder, RawQuote, home_state
from watchfloor.pack import Pack
from watchfloor.records import (
    Claim,
    Document,
    EventMention,
    Extraction,
    Granularity,
    Provenance,
    Quote,
    Sentence,
    TimeExpression,
    content_id,
)
from watchfloor.settings import Settings

VERSION = "0.1.0"
# "has been under sanctions since 2006": the words before the date a state began at
SINCE = re.compile(r"(?:ever\s+)?since\s+", re.IGNORECASE)
# Types that are done rather than aimed at someone: they keep no target unless the sentence
# names one.
UNDIRECTED = frozenset({"weapon_test", "military_exercise"})
# Asserted events with no date of their own are placed in the week before publication: news
# reports what just happened. The date is marked as an interval with lower confidence.
RECENT_DAYS = 7
# How many sentences after a test may name its weapon.
WEAPON_WINDOW = 3
# What a refusal refuses, or an acceptance accepts.
PROPOSALS = frozenset({"offer", "outreach", "appeal"})
ACCEPTING = frozenset({"accept"})
# Types whose target must be named: a detention with no one detained is no event we can code.
NAMED_TARGET = frozenset({"coerce"})
AIMED = "aimed"  # RawEvent.extras key: target taken from the parties of the act reacted to


@dataclass(frozen=True, slots=True)
class Extractor:
    nlp: Language
    pack: Pack
    lexicon: Lexicon
    dates: DateFinder
    phrases: PhraseMatcher

    gate: SentenceGate | None = None

    @classmethod
    def build(cls, settings: Settings, pack: Pack, *, sentence_gate: bool | None = None
              ) -> Extractor:
        """The extractor; ``sentence_gate`` overrides the setting of that name (the benchmark
        compares both)."""
        nlp = build_nlp(settings, pack)
        use_gate = settings.sentence_gate if sentence_gate is None else sentence_gate
        return cls(nlp, pack, Lexicon.from_pack(pack), DateFinder(), phrase_matcher(nlp, pack),
                   SentenceGate.build(nlp, pack) if use_gate else None)

    @property
    def version(self) -> str:
        return VERSION

    def extract(self, doc: Document) -> Extraction:
        text = self.gated_text(doc)
        if text is None:
            return Extraction(doc_id=doc.id)
        return self.extract_annotated(replace(doc, text=text), self.nlp(text))

    def gated_text(self, doc: Document) -> str | None:
        """The text the model parses: all of it, or what the sentence gate keeps (None:
        nothing that can hold an event)."""
        return doc.text if self.gate is None else self.gate.gate(doc.text)

    def extract_many(self, docs: Iterable[Document], *, batch_size: int = 32,
                     n_process: int = 1
                     ) -> Iterator[tuple[Document, Extraction | WatchfloorError]]:
        """Extract a batch. A document whose extraction fails yields the error instead, and
        the batch goes on: one odd sentence must not stop a corpus. Documents the sentence
        gate finds nothing in are not parsed: their extraction is empty."""
        # One pipe over every document, so that worker processes start once: an article the
        # gate finds nothing in goes through as an empty text (None: not to be extracted).
        pairs = ((text or "", (None if text is None else replace(d, text=text), d))
                 for d in docs for text in (self.gated_text(d),))
        for sdoc, (gated, original) in self.nlp.pipe(pairs, as_tuples=True,
                                                     batch_size=batch_size, n_process=n_process):
            result: Extraction | WatchfloorError
            try:
                result = (Extraction(doc_id=original.id) if gated is None
                          else self.extract_annotated(gated, sdoc))
            except Exception as exc:  # reported per document; the batch goes on
                result = WatchfloorError(E.W204, source=original.source or original.id,
                                         detail=f"{type(exc).__name__}: {exc}")
            yield original, result

    # --- one document -----------------------------------------------------------------

    def extract_annotated(self, doc: Document, sdoc: SpacyDoc) -> Extraction:
        run = _Run(self, doc, sdoc)
        return run.extract()


class _Run:
    """The state of extracting one document."""

    def __init__(self, ex: Extractor, doc: Document, sdoc: SpacyDoc) -> None:
        self.ex = ex
        self.doc = doc
        self.sdoc = sdoc
        self.sents: list[Span] = list(sdoc.sents)
        self.sent_index = {s.start: i for i, s in enumerate(self.sents)}
        self.tz = doc.tz or ex.pack.default_tz
        self.anchor = _anchor(doc.published)
        self.actors = ActorIndex.build(ex.pack, sdoc)
        self.state_codes = frozenset(a.code for a in ex.pack.actors if a.kind == "state")

    def _phrase_triggers(self) -> dict[int, PhraseHit | None]:
        """The ontology's multi-word triggers in this document, keyed by their head token;
        the phrase's other words map to None and trigger nothing of their own ("threats"
        in "posed threats")."""
        found: dict[int, PhraseHit | None] = {}
        for match_id, start, end in self.ex.phrases(self.sdoc):
            span = self.sdoc[start:end]
            root = span.root
            # A phrase that carries its own negation ("did not respond to") reports the
            # refusal as a fact: the negation is the event, not a denial of it.
            hit = PhraseHit(root, self.sdoc.vocab.strings[match_id],
                            any(t.dep_ == "neg" for t in span))
            found.setdefault(root.i, hit)
            for t in span:
                if t.i != root.i:
                    found.setdefault(t.i, None)
        return found

    def prov(self, sent: Span, start: int, end: int, extractor: str,
             confidence: float) -> Provenance:
        return Provenance(
            doc_id=self.doc.id,
            sentence=self.sent_index[sent.start],
            start=start,
            end=end,
            extractor=extractor,
            version=VERSION,
            pack_sha256=self.ex.pack.sha256,
            confidence=round(min(max(confidence, 0.0), 1.0), 3),
        )

    def local_day(self) -> date | None:
        if self.anchor is None:
            return None
        return self.anchor.astimezone(ZoneInfo(self.tz)).date()

    def date_refs(self) -> tuple[dict[int, list[DateRef]], list[TimeExpression]]:
        by_sent: dict[int, list[DateRef]] = {}
        times: list[TimeExpression] = []
        for span in self.ex.dates.find(self.doc.text):
            if _restated_in_utc(self.doc.text, span.start, span.end):
                continue
            tokens = self.sdoc.char_span(span.start, span.end, alignment_mode="expand")
            if tokens is None or len(tokens) == 0:
                continue
            resolved = resolve(span.text, self.anchor, self.tz) if self.anchor else None
            if resolved is None:
                continue
            sent = tokens[0].sent
            ref = DateRef(tokens.start, tokens.end, span.text, resolved.start, resolved.end,
                          resolved.granularity)
            by_sent.setdefault(sent.start, []).append(ref)
            times.append(TimeExpression(span.text, resolved.start, resolved.end,
                                        resolved.granularity,
                                        self.prov(sent, span.start, span.end, "extract.dates",
                                                  0.9)))
        for sent in self.sents:
            if sent.start in by_sent:
                by_sent[sent.start] = expand_date_lists(by_sent[sent.start], sent)
        return by_sent, times

    def extract(self) -> Extraction:
        # (sentences the gate blanked out are no sentences of the article)
        sentences = [Sentence(i, s.start_char, s.end_char, s.text) for i, s in
                     enumerate(self.sents) if s.text.strip()]
        dates, times = self.date_refs()
        home = home_state(self.ex.pack, self.doc.dateline)
        quotes = QuoteFinder(self.actors, self.ex.lexicon.cues, home=home).find(self.sdoc)
        finder = EventFinder(self.ex.pack, self.ex.lexicon, self.actors, self._phrase_triggers(),
                             home=home, today=self.local_day(),
                             quoted=[(q.start, q.end, q.speaker) for q in quotes
                                     if q.speaker is not None and q.speaker.code
                                     and not self.actors.is_expert(q.speaker)])
        claims_finder = ClaimFinder(self.ex.lexicon, self.actors, finder)
        raw_events: list[tuple[Span, RawEvent]] = []
        raw_claims: list[RawClaim] = []
        for sent in self.sents:
            sent_dates = dates.get(sent.start, [])
            raw_events.extend((sent, e) for e in finder.find(sent, sent_dates))
            raw_claims.extend(claims_finder.find(sent, sent_dates))
        self._corefer(raw_events)
        _date_from_lags(raw_events)
        self._fill_actors(raw_events)
        self._fill_targets(raw_events)
        expert_said = [(q.start, q.end) for q in quotes
                       if q.speaker is not None and self.actors.is_expert(q.speaker)]
        kept = [(sent, e) for sent, e in raw_events
                if e.actor is not None and not self._one_sided(e) and not e.extras.get(OWN_ACT)
                and not (e.modality == "asserted" and any(
                    a <= e.trigger.idx < b for a, b in expert_said))]
        mentions = self._name_weapons([self._event(sent, e) for sent, e in kept])
        distinct = frozenset(m.id for m, (_, e) in zip(mentions, kept, strict=True)
                             if e.extras.get(ANOTHER) or _listed(e, kept))
        named = frozenset(m.id for m, (_, e) in zip(mentions, kept, strict=True)
                          if e.extras.get(COREFERENT))
        tallies = frozenset(m.id for m, (_, e) in zip(mentions, kept, strict=True)
                            if e.extras.get(TALLY))
        return Extraction(
            doc_id=self.doc.id,
            sentences=sentences,
            times=times,
            events=merge_document_events(mentions, distinct, named, tallies),
            quotes=[self._quote(q) for q in quotes],
            claims=[self._claim(c) for c in raw_claims],
        )

    def _corefer(self, raw: list[tuple[Span, RawEvent]]) -> None:
        """A definite description of an event already reported is that event: "The missile
        was launched at 7:22 a.m.", "The test came days after ...", "Trump hailed the summit".
        It takes the earlier event's parties (where it names none of its own) and date, so
        that the merge makes one event of both."""
        for k, (sent, e) in enumerate(raw):
            dated = _dated_by_possessive(e.trigger)
            if not dated and not _definite(e.trigger,
                                           self.ex.lexicon.objects.get(e.type, frozenset())):
                continue
            # (not an act told only as the time of another: "came five days after the North
            # fired a missile"; "Tuesday's launch" is the one of that Tuesday)
            earlier = next((a for s, a in reversed(raw[:k])
                            if s.start < sent.start and a.type == e.type
                            and a.modality == "asserted" and a.actor is not None
                            and not a.actor_inferred and lag_after(a.trigger) is None
                            and not (dated and not _same_day(a.date, e.date))), None)
            if earlier is None:
                continue
            noun = e.trigger.pos_ in ("NOUN", "PROPN")
            if e.actor is None or noun:
                e.actor, e.target = earlier.actor, earlier.target
            if e.date is None or noun:
                e.date = earlier.date
            e.modality = earlier.modality
            e.extras[COREFERENT] = "1"

    def _fill_actors(self, raw: list[tuple[Span, RawEvent]]) -> None:
        """A weapon test with no actor in its sentence ("the tests", "the launch") is by the
        state that tests weapons most in this article, else the most named state."""
        testers = Counter(e.actor for _, e in raw if e.type == "weapon_test" and e.actor)
        states = Counter(r.code for r in self.actors.referents if r.kind == "state" and r.code)
        default = (testers or states).most_common(1)
        for k, (_, e) in enumerate(raw):
            if e.actor is None and e.extras.get(EARLIER):
                # "the fourth sanctions resolution, after measures adopted on June 2": by
                # whoever did the last such event
                like = next((a for _, a in reversed(raw[:k]) if a.type == e.type
                             and a.actor is not None and not a.extras.get(EARLIER)), None)
                if like is not None:
                    e.actor, e.target = like.actor, like.target
        for _, e in raw:
            if e.target is not None and e.target == e.actor:
                e.target = None  # "launched from waters off Wonsan": where, not at whom
            if (e.actor is None and e.type == "weapon_test" and default
                    and not e.extras.get(UNKNOWN_DOER)):
                e.actor = default[0][0]
                e.actor_inferred = True
                e.confidence = 0.5
                if e.target == e.actor:
                    e.target = None
        for sent, e in raw:
            if e.actor is None and HALTED in e.extras:
                # "the party's plenum decided to discontinue tests": whoever does the tests
                e.actor = next((a.actor for s, a in raw if s.start == sent.start
                                and a.trigger.i == int(e.extras[HALTED])), None)
                e.actor_inferred = e.actor is not None

    def _recent(self, e: RawEvent) -> bool:
        """Whether an event is dated in the week before publication, or not dated."""
        day = self.local_day()
        return e.date is None or day is None or e.date.end >= day - timedelta(days=RECENT_DAYS)

    def _fill_targets(self, raw: list[tuple[Span, RawEvent]]) -> None:
        """A reaction to an event named without its actor ("condemned the launch") is aimed
        at whoever did such events most in this article; every other directed event with no
        target in its sentence at the state the article names most ("imposed new sanctions"
        in a story about Pyongyang). Both are marked by a lower confidence."""
        testers = Counter(e.actor for _, e in raw if e.type == "weapon_test" and e.actor)
        states = Counter(r.code for r in self.actors.referents if r.kind == "state" and r.code)
        doers: dict[str, Counter[str]] = {}
        for _, e in raw:
            if e.actor is not None and not e.actor_inferred:
                doers.setdefault(e.type, Counter())[e.actor] += 1
        for k, (sent, e) in enumerate(list(raw)):
            reacted = e.extras.get(REACTED_EVENT)
            latest = reacted is not None and reacted.startswith(LAST_ACT)
            kind = reacted[len(LAST_ACT):] if latest and reacted else reacted
            if e.target is None and (latest or (reacted and (
                    symmetric(reacted) or reacted in JOINT_TYPES))):
                # "Russia said the move would harm stability": aimed at the parties of the act
                # reported last, not a speech act and not the speaker's own; "hailed the
                # summit": at both parties of the summit reported last
                acts = [(s, a) for s, a in reversed(raw[:k]) if s.start <= sent.start
                        and a.type not in SPEECH_TYPES and a.type not in REACTIONS
                        and ((latest and not kind) or a.type == kind)
                        and a.actor not in (None, e.actor) and not a.extras.get(COREFERENT)
                        # ("the move to deploy" may answer a deployment only planned)
                        and (a.modality == "asserted"
                             or (latest and kind and a.modality == "intended"))]
                # news reacts to the news: an act of this week before one told as background
                # (one the article dates to a day of this week first: "welcomed the move",
                # paragraphs after the lead, answers the lead's act, not a launch the story
                # mentions in passing)
                found = next((x for x in acts if x[1].date is not None
                              and x[1].date.granularity == "day" and self._recent(x[1])),
                             next((x for x in acts if self._recent(x[1])),
                                  acts[0] if acts else None))
                if found is not None:
                    # all the parties of that act: joint drills are one event per party
                    where, last = found
                    group = [a for s, a in raw[:k] if s.start == where.start
                             and a.type == last.type and a.trigger.i == last.trigger.i]
                    parties = list(dict.fromkeys(
                        c for a in group for c in (a.actor, a.target if symmetric(a.type)
                                                   else None)
                        if c is not None and c != e.actor))
                    e.target = parties[0] if parties else None
                    e.confidence = min(e.confidence, 0.6)
                    e.extras[AIMED] = "1"
                    for party in parties[1:]:
                        raw.append((sent, replace(e, target=party, extras=dict(e.extras))))
        for _, e in raw:
            reacted = e.extras.get(REACTED_EVENT)
            if (e.target is not None or reacted is None or reacted.startswith(LAST_ACT)
                    or e.extras.get(AIMED)):
                continue
            ranked = [c for c, _ in (doers.get(reacted) or testers or states).most_common(2)]
            if ranked and ranked[0] == e.actor and e.type in JUDGEMENTS:
                # "KCNA described the test as a self-defensive step": its own act, no reaction
                e.extras[OWN_ACT] = "1"
                continue
            usual = [c for c in ranked if c != e.actor]
            if usual:
                e.target = usual[0]
                e.confidence = min(e.confidence, 0.6)
        # A refusal with no target refuses the last proposal, overture or demand made to it;
        # an acceptance with none ("Pyongyang accepted within a day") accepts it.
        for k, (_, e) in enumerate(raw):
            if e.target is None and e.actor is not None and (e.type == "reject" or (
                    e.type == "agreement" and e.trigger.lemma_.lower() in ACCEPTING)):
                asked = next((a for _, a in reversed(raw[:k]) if a.type in PROPOSALS
                              and a.actor not in (None, e.actor)), None)
                if asked is not None:
                    e.target = asked.actor
                    e.confidence = min(e.confidence, 0.6)
        # Else only a state the article keeps coming back to; never for a detention, whose
        # victim the sentence names.
        focus = [c for c, n in states.most_common(2) if n >= 2]
        for _, e in raw:
            if (e.target is None and e.actor is not None and e.type not in UNDIRECTED
                    and e.type not in NAMED_TARGET):
                other = [c for c in focus if c != e.actor]
                if other:
                    e.target = other[0]
                    e.confidence = min(e.confidence, 0.5)

    def _name_weapons(self, mentions: list[EventMention]) -> list[EventMention]:
        """A test reported without its weapon takes the one system the next sentences name,
        when it fits the test's class ("North Korea fired a medium-range ballistic missile
        ... South Korea's military said it was a Rodong")."""
        out: list[EventMention] = []
        for m in mentions:
            if m.type != "weapon_test" or m.weapon is not None or m.modality != "asserted":
                out.append(m)
                continue
            window = self.sents[m.prov.sentence + 1:m.prov.sentence + 1 + WEAPON_WINDOW]
            named = {t.ent_id_ for sent in window for t in sent if t.ent_type_ == WEAPON}
            if len(named) == 1:
                system = self.ex.pack.weapon(next(iter(named)))
                if system is not None and (not m.weapon_class or
                                           set(system.classes) & set(m.weapon_class)):
                    classes = m.weapon_class + tuple(c for c in system.classes
                                                     if c not in m.weapon_class)
                    m = replace(m, weapon=system.name, weapon_class=classes)
            out.append(m)
        return out

    def _one_sided(self, e: RawEvent) -> bool:
        """A meeting of one state with nobody else ("convened an emergency meeting of the
        National Security Council") is a domestic affair; a body of many states (the Security
        Council) meets on its own. A detention names whom it holds, and a refusal refuses
        someone ("boycotted her trial" is no refusal of another party)."""
        if e.target is not None:
            return False
        if e.type in NAMED_TARGET or e.type == "reject":
            return True
        return symmetric(e.type) and e.actor in self.state_codes

    def _event_date(self, e: RawEvent) -> tuple[date | None, date | None, Granularity,
                                               str | None]:
        if e.date is not None:
            start, end, gran = e.date.start, e.date.end, e.date.granularity
            since = SINCE.match(e.date.text)
            if since and e.extras.get(BEGUN) and self.anchor is not None:
                # "has been under EU sanctions since 2012": imposed in 2012
                begun = resolve(e.date.text[since.end():], self.anchor, self.tz)
                if begun is not None:
                    start, end, gran = begun.start, begun.end, begun.granularity
            if self.anchor is not None and (e.modality == "intended" or (
                    e.modality == "hypothetical" and self._future_context(e.date))):
                # a plan lies ahead; so does what may happen ("could test a missile in May")
                future = resolve(e.date.text, self.anchor, self.tz, future=True)
                if future is not None:
                    start, end, gran = future.start, future.end, future.granularity
            day = self.local_day()
            if (e.modality == "asserted" and day is not None and start > day + timedelta(days=1)
                    and gran in ("day", "month") and not YEAR_IN.search(e.date.text)):
                # What happened cannot lie ahead: "tested on July 4", said in May, is last
                # year's July 4.
                with contextlib.suppress(ValueError):  # February 29
                    start, end = start.replace(year=start.year - 1), end.replace(year=end.year - 1)
            return start, end, gran, e.date.text
        day = self.local_day()
        if e.modality == "asserted" and day is not None:
            if _background(e.trigger, self.ex.lexicon.cues.report):
                # "had met three times", "reached out shortly after taking office": before the
                # news, by how much the sentence does not say
                return day - timedelta(days=BACKGROUND_DAYS), day, "interval", None
            clock = _clock_time(e.trigger)
            if clock is not None and self.anchor is not None:
                # "launched two missiles at 11:43 a.m.": a time of day with no day is the
                # story's own day, or the day before if that hour is yet to come
                now = self.anchor.astimezone(ZoneInfo(self.tz))
                hour, minute, text, _zone = clock
                when = day if (hour, minute) <= (now.hour, now.minute) else day - timedelta(1)
                return when, when, "day", text
            return day - timedelta(days=RECENT_DAYS), day, "interval", None
        return None, None, "unknown", None

    def _future_context(self, d: DateRef) -> bool:
        """Whether the words around a date put it ahead ("could launch in May") rather than
        behind ("may have tested in May")."""
        span = self.sdoc[d.start_tok:d.end_tok]
        return looks_future(self.doc.text, DateSpan(span.start_char, span.end_char, span.text))

    def _event_time(self, e: RawEvent, start: date | None, end: date | None,
                    gran: Granularity) -> str | None:
        """The moment of an act whose day is known and whose clause gives a time of day
        ("fired at 7:34 a.m."), in the zone the time is given in: the story's own, a city's
        ("10 p.m. Pyongyang time") or UTC ("2234 GMT"); ISO 8601 with the offset, so that the
        same moment reads the same in every zone (docs/REFERENCE.md)."""
        if e.modality != "asserted" or gran != "day" or start is None or start != end:
            return None
        found = _clock_time(e.trigger, with_zone=True)
        if found is None:
            return None
        hour, minute, _text, zone_words = found
        zone = self.tz
        if zone_words:
            word = zone_words.removesuffix(" time").strip("( ")
            zone = ("UTC" if word in ("GMT", "UTC") else
                    self.tz if word.lower() == "local" else
                    NAMED_ZONES.get(word) or self.ex.pack.dateline_tz(word) or "")
            if not zone:
                return None  # "EST", or a city the pack does not know
        return datetime.combine(start, dt_time(hour, minute), ZoneInfo(zone)).isoformat(
            timespec="minutes")

    def _event(self, sent: Span, e: RawEvent) -> EventMention:
        start, end, gran, date_text = self._event_date(e)
        conf = e.confidence - (0.2 if date_text is None else 0.0)
        prov = self.prov(sent, e.span.start_char, e.span.end_char, "extract.events", conf)
        distance, apogee = (flight_figures(e.trigger)
                            if e.type == "weapon_test" and e.modality == "asserted"
                            else (None, None))
        return EventMention(
            id=content_id(self.doc.id, prov.sentence, e.trigger.i, e.type, e.actor, e.target,
                          prefix="ev_"),
            type=e.type,
            actor=e.actor,
            target=e.target,
            modality=e.modality,
            trigger=e.trigger.text,
            prov=prov,
            weapon=e.weapon,
            weapon_class=e.weapon_class,
            location=e.location,
            date_start=start,
            date_end=end,
            granularity=gran,
            date_text=date_text,
            time=self._event_time(e, start, end, gran),
            count=e.count,
            stance=e.stance,
            status=(outcome_of(e.trigger, self.ex.lexicon.cues)
                    if e.modality == "asserted" and e.type in OUTCOME_TYPES else None),
            participants=e.participants,
            sentences=(prov.sentence,),
            evidence=sent.text.strip(),
            distance_km=distance,
            apogee_km=apogee,
        )

    def _quote(self, q: RawQuote) -> Quote:
        prov = self.prov(q.sentence, q.start, q.end, "extract.quotes", q.confidence)
        return Quote(
            id=content_id(self.doc.id, q.start, q.end, prefix="qt_"),
            text=q.text,
            speaker=q.speaker.text if q.speaker else None,
            speaker_actor=q.speaker.code if q.speaker else None,
            channel=q.channel,
            prov=prov,
        )

    def _claim(self, c: RawClaim) -> Claim:
        prov = self.prov(c.sentence, c.span.start_char, c.span.end_char, "extract.claims", 0.7)
        period_start = c.period.start if c.period else None
        period_end = c.period.end if c.period else None
        if c.period is not None and (c.period.granularity == "day"
                                     or not WINDOW_WORDS.search(c.period.text)):
            # "its sixth nuclear test on Sunday", "its fourth nuclear test in January": the
            # act's date, not a window it counts in ("this year", "in recent weeks")
            period_start = period_end = None
        day = self.local_day()
        if c.window is not None and day is not None:
            n, unit = c.window
            back = {"day": n, "week": 7 * n, "month": 31 * n, "year": 366 * n}[unit]
            period_start, period_end = day - timedelta(days=back), day
        return Claim(
            id=content_id(self.doc.id, c.span.start_char, c.kind, c.about, prefix="cl_"),
            kind=c.kind,  # type: ignore[arg-type]
            about=c.about,
            actor=c.actor,
            evidence=c.span.text,
            prov=prov,
            target=c.target,
            value=c.value,
            since=c.since,
            period_start=period_start,
            period_end=period_end,
        )


def phrase_matcher(nlp: Language, pack: Pack) -> PhraseMatcher:
    """Matcher for the ontology's phrases, one label per event type. Phrases that
    a type's own single-word triggers already cover are matched all the same: the phrase
    decides the type where one word is ambiguous ("reach out" is outreach, "reach" nothing)."""
    # Matched on lemmas, so "posed threats" meets "pose threat" and "does not respond" meets
    # "did not respond"; the patterns are lemmatised by the same pipeline, once, here.
    matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
    for name, et in pack.event_types.items():
        if et.phrases:
            matcher.add(name, list(nlp.pipe(et.phrases)))
    return matcher


# Reactions that judge an act: aimed at one's own act, they are no reaction at all.
JUDGEMENTS = frozenset({"statement", "accuse", "protest"})
OWN_ACT = "own_act"  # RawEvent.extras key: a reaction to the actor's own act, dropped
COREFERENT = "coreferent"  # RawEvent.extras key: a definite mention of an earlier event


def _date_from_lags(raw: list[tuple[Span, RawEvent]]) -> None:
    """"The test came five days after the North fired a missile over Japan": the firing is
    dated five days before the test, once the test has its day."""
    for sent, e in raw:
        lag = lag_after(e.trigger)
        if lag is None:
            continue
        verb, days, words = lag
        clause = clause_verb(e.trigger)
        inside = range(clause.left_edge.i, clause.right_edge.i + 1)
        if e.date is not None and e.date.start_tok in inside:
            continue  # "five days after the North fired a missile on Tuesday": its own day
        anchor = next((a.date for s, a in raw if s.start == sent.start and a is not e
                       and a.date is not None and a.date.granularity == "day"
                       and a.date.start_tok not in inside
                       and (a.trigger.i == verb.i or (a.trigger.head.i == verb.i
                                                      and a.trigger.dep_ in ("nsubj",
                                                                             "nsubjpass")))),
                      None)
        if anchor is not None:
            day = anchor.start + timedelta(days=days)
            e.date = DateRef(words.start, words.end, words.text, day, day, "day")


def _listed(e: RawEvent, kept: list[tuple[Span, RawEvent]]) -> bool:
    """Whether an event's trigger is a later item of a list of triggers of its type ("a
    nuclear test and tests of ballistic missiles", "tested ICBMs, sent missiles over Japan
    and set off a blast"): each item is an event of its own."""
    trig = e.trigger
    return trig.dep_ == "conj" and any(
        o.type == e.type and o.trigger.i == trig.head.i and o.trigger.i != trig.i
        for _, o in kept)


# Words that name the last event of a kind, told before: "its latest nuclear test".
EARLIER_WORDS = frozenset({"latest", "last", "previous", "earlier", "prior"})


def _background(trig: Token, report: frozenset[str]) -> bool:
    """Whether an event came before the news: named in an "after" phrase, or its clause in
    the past perfect ("had met", "had reached out"), the tense of what came before the news.
    Not in indirect speech after its verb of saying, where it is the past tense shifted back
    ("Trump told reporters that Kim had demanded ..." the same day); an attribution after the
    clause leaves the writer's tense alone ("The U.S. had reached out, an official said")."""
    if (trig.dep_ == "pobj" and trig.head.lower_ in ("after", "following")
            and trig.head.head.pos_ in ("VERB", "AUX")):
        return True  # "met on Wednesday, eight months after their first meeting"
    if trig.pos_ in ("NOUN", "PROPN") and any(c.dep_ == "amod" and c.lower_ in EARLIER_WORDS
                                             for c in trig.children):
        return True  # "before Pyongyang's latest nuclear test": the last one, whenever it was
    verb = trig
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    for v in (verb, verb.head):
        if any(c.dep_ == "aux" and c.lower_ == "had" for c in v.children):
            clause = v
            while clause.dep_ == "conj" and clause.head.i != clause.i:
                clause = clause.head
            return not (clause.dep_ == "ccomp" and clause.head.lemma_.lower() in report
                        and clause.i > clause.head.i)
    return False


def _definite(trig: Token, objects: frozenset[str]) -> bool:
    """"the test" (naming no party of its own), or a verb whose definite subject or object
    is the weapon: "The missile was launched", "fired the rocket"."""
    if trig.pos_ in ("NOUN", "PROPN"):
        children = list(trig.children)
        return (any(c.dep_ == "det" and c.lower_ == "the" for c in children)
                and not any(c.dep_ in ("poss", "compound", "nmod") and c.ent_type_
                            for c in children)
                and not any(c.dep_ == "prep" and c.lower_ in ("of", "by", "between")
                            for c in children)
                and trig.dep_ not in ("compound", "amod"))
    return any(c.dep_ in ("nsubjpass", "dobj") and c.lemma_.lower() in objects
               and any(d.dep_ == "det" and d.lower_ == "the" for d in c.children)
               for c in trig.children)


# Acts whose words may say how they went ("the launch failed"): EventMention.status.
OUTCOME_TYPES = frozenset({"weapon_test", "military_exercise", "military_action"})
CLOCK = re.compile(r"\b(\d{1,2})(?::(\d{2}))?\s*([ap])\.?m\b\.?", re.IGNORECASE)
# Zones named by their time's name rather than a city ("5:34 p.m. Eastern time").
NAMED_ZONES = {"Eastern": "America/New_York", "EST": "America/New_York",
               "EDT": "America/New_York", "ET": "America/New_York",
               "Pacific": "America/Los_Angeles", "PST": "America/Los_Angeles",
               "PDT": "America/Los_Angeles"}
# A time given in another zone than the story's ("10 p.m. Washington time", "0130 GMT").
OTHER_ZONE = re.compile(r"\s*\(?(?:GMT|UTC|EST|EDT|PST|PDT|ET|[A-Z][a-z]+ time)\b")


def _clock_time(trig: Token, *, with_zone: bool = False
                ) -> tuple[int, int, str, str | None] | None:
    """The time of day the trigger's own clause gives in a phrase of its own ("launched two
    missiles at 11:43 a.m."), as a 24-hour clock; not one in a clause below it. One given in
    another zone ("at 10 p.m. Washington time") is None, unless ``with_zone``, when the zone's
    words come with it."""
    clause = clause_verb(trig)
    for c in (*clause.children, *(trig.children if trig.i != clause.i else ())):
        if c.dep_ not in ("prep", "npadvmod"):
            continue
        words = trig.doc[c.left_edge.i:c.right_edge.i + 1]
        # the parser may leave "p.m." out of the phrase ("at 10:40" + "p.m." as punctuation)
        text = trig.doc.text[words.start_char:words.end_char + 6]
        found = CLOCK.search(text)
        if (found is None or not 1 <= int(found.group(1)) <= 12
                or int(found.group(2) or 0) > 59 or found.start() >= len(words.text)):
            continue  # not a time of day ("at 3:60 p.m." is a typo, not a crash)
        zone = OTHER_ZONE.match(trig.doc.text, words.start_char + found.end())
        if zone is not None and not with_zone:
            return None
        hour = int(found.group(1)) % 12 + (12 if found.group(3).lower() == "p" else 0)
        return (hour, int(found.group(2) or 0), found.group(0),
                zone.group(0).strip() if zone is not None else None)
    return None


def _dated_by_possessive(trig: Token) -> bool:
    """"Tuesday's launch", "last week's test": an act named by its day, reported before."""
    return trig.pos_ in ("NOUN", "PROPN") and any(
        c.dep_ == "poss" and c.ent_type_ == "DATE" for c in trig.children)


def _same_day(a: DateRef | None, b: DateRef | None) -> bool:
    return a is not None and b is not None and a.start <= b.end and b.start <= a.end


_UTC_ASIDE = re.compile(r"\b(?:GMT|UTC)\b")


def _restated_in_utc(text: str, start: int, end: int) -> bool:
    """"at 7:22 a.m. (2222 GMT Monday)": a date inside a bracket that restates the time in
    UTC is the previous or next day in UTC, not the day of the event where it happened."""
    opened = text.rfind("(", max(0, start - 40), start)
    if opened < 0 or ")" in text[opened:start]:
        return False
    closed = text.find(")", end, end + 40)
    return closed >= 0 and bool(_UTC_ASIDE.search(text[opened:closed]))


def _anchor(published: datetime | None) -> datetime | None:
    if published is None:
        return None
    if published.tzinfo is None:
        return published.replace(tzinfo=ZoneInfo("UTC"))
    return published
