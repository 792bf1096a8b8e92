"""Events: trigger words from the pack's ontology, read through the dependency parse.

For each trigger the parse gives the actor (the verb's subject, the agent of a passive, the
possessor of a noun: "North Korea's test"; a passive subject is the one acted on), the target
(the object, or the object of "on", "against", "with", "over": "urged North Korea", "sanctions
on Pyongyang"; for a speech act, whom its clause is about), the weapon (a pack weapon or class
inside the trigger's phrase, else in its sentence), the count ("two short-range missiles"),
the date (the date of the trigger's own clause, else of a clause governing it; a list of
dates, "on May 4 and May 9", is one test per date) and the modality (modality.py).

Who: a pronoun takes its antecedent; conjoined actors, "South Korean and U.S. forces", "both
countries", "the three leaders" give one event per actor and per target, as CAMEO dyads do;
a state's news agency speaks for it.

What is no event: words naming an event reported before ("this test", "its first such
launch", "It was the second test this year"), words describing something else ("the test
site"), habits, standing measures ("in violation of sanctions"), what is halted at someone's
request, and anything asserted in an expert's quotation.

Events with no trigger word of their own, comments made through a verb of saying and names
put on an act or an actor, are read in comments.py; the grammar both use is in grammar.py.
"""

from __future__ import annotations

import calendar
import contextlib
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from itertools import pairwise
from types import MappingProxyType
from typing import NamedTuple, TypeVar

from spacy.tokens import Doc, Span, Token

from watchfloor.annotate import ACTOR, PLACE, WCLASS, WEAPON
from watchfloor.extract.actors import (
    FIRST_PERSON,
    PRIVATE_PEOPLE,
    ActorIndex,
    Referent,
    generic_group,
)
from watchfloor.extract.comments import (
    ACT_WORDS,
    CALLING_VERBS,
    HOSTILITY,
    LAST_ACT,
    SpeechActs,
)
from watchfloor.extract.grammar import (
    CONTROL_ON,
    JOINT_TYPES,
    PHRASE_SKIP,
    SUBJECTS,
    clause_verb,
    conjuncts,
    hops,
    modifier_parties,
    number_of,
    of_parties,
    phrase_of,
    subject_of,
    symmetric,
    whose_antecedent,
)
from watchfloor.extract.modality import (
    ModalityCues,
    infinitive,
    modality_of,
    not_an_event,
    relative_object,
    weighed_plan,
)
from watchfloor.pack import Conflict, Pack
from watchfloor.records import Granularity, Modality

TARGET_PREPS = ("on", "upon", "against", "to", "with", "over", "at", "toward", "towards", "into",
                "from", "between")
PARTNER_PREPS = ("with", "between", "to")
AIMING_PREPS = ("to", "on", "upon", "against", "toward", "towards")  # not "from": the source
LOCATIVE = frozenset({"in", "at", "near", "outside", "inside"})
DEMONSTRATIVES = frozenset({"this", "that", "these", "those"})
# Verbs that only carry a noun trigger ("conducted a test", "imposed sanctions").
LIGHT_VERBS = frozenset({"conduct", "carry", "hold", "impose", "issue", "stage", "make", "express",
                         "voice", "launch", "resume", "begin", "start", "continue", "slap",
                         "level", "file", "lodge", "reach", "sign", "extend", "offer"})
# Words that rank an event among others of its kind: "its first launch since May".
RANKS = frozenset({"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "latest",
                   "last", "previous", "longest", "biggest", "largest"})
# "said in a statement", "told in an interview": the vehicle of a report, not an event.
VEHICLES = frozenset({"statement", "comment", "remark", "interview", "commentary", "message"})
# Phrasal verbs that mean something else than the verb: "China has signed on" (joined),
# "called off the drills" (cancelled).
OTHER_SENSE = frozenset({("sign", "on"), ("sign", "up"), ("call", "off"), ("fire", "up"),
                         ("talk", "up"), ("talk", "down")})
# "both countries", "the two leaders": the last two parties named.
PAIR_NOUNS = frozenset({"country", "nation", "side", "leader", "government", "state", "ally",
                        "neighbour", "neighbor", "party", "minister", "envoy", "delegation",
                        "negotiator", "military", "army", "navy", "korea", "koreas"})
# Nouns of these types name their actor with "of": "at the request of Japan", "a meeting
# of the Security Council" (a condemnation "of the test" names what it is aimed at).
OF_ACTOR_TYPES = frozenset({"appeal", "meeting"})
SPEECH_TYPES = frozenset({"statement", "appeal", "accuse", "threaten", "offer", "reject"})
# Reactions aim at whoever did what they react to: "condemned the launch" is aimed at the
# launcher, "drawing condemnation from Seoul" is Seoul's, aimed at the clause's subject.
REACTIONS = frozenset({"statement", "accuse", "protest", "reject"})
REACTED_EVENT = "reacts_to"  # RawEvent.extras key: type of the event a reaction is aimed at
EARLIER = "earlier"  # RawEvent.extras key: an earlier event of the kind a sentence counts
UNKNOWN_DOER = "unknown_doer"  # RawEvent.extras key: a subject named but not an actor we know
# RawEvent.extras key: "has been under sanctions since 2006", "has been held since
# January": a state that began at its "since" date, which dates the act that began it
BEGUN = "begun"
HALTED = "halted"  # RawEvent.extras key: the trigger index of one's own act a concession halts
TALLY = "tally"  # RawEvent.extras key: "its four nuclear tests": many acts counted as one
ANOTHER = "another"  # RawEvent.extras key: "a second missile", "another launch": a new event
# What declining to do is no refusal of anyone: "declined to comment", "to go into details".
SAYING = frozenset({"comment", "elaborate", "say", "discuss", "give", "provide", "go", "identify",
                    "specify", "confirm", "disclose", "answer", "speculate", "name", "detail"})
# Verbs of the ontology's statement phrases that judge their subject ("posed a threat"): the
# statement is the reporter's, aimed at the subject.
ASSESSMENTS = frozenset({"pose"})
# Who arrests, detains and tries people, named without their state: the dateline's.
AUTHORITIES = frozenset({"police", "authority", "prosecutor", "court", "investigator"})
# Types whose passive subject is the one it is done to: "a pastor was arrested".
NAMED_VICTIM = frozenset({"coerce"})
# Verbs that are a test only with the weapon as their object: "the North flew the rocket".
NEEDS_OBJECT = frozenset({"fly", "send", "put"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC", "WF_PLACE"})
DIRECTIONS = frozenset({"over", "into", "toward", "towards", "across"})
# Verbs whose subject is never the weapon: "a second missile fired minutes later" is a
# passive the parser reads as active.
ONLY_TRANSITIVE = frozenset({"fire", "launch"})
# Types whose object is the weapon, never a target: a test is aimed only "at", "over" or
# "toward" someone.
AIMED_BY_PREPOSITION = frozenset({"weapon_test", "military_exercise"})
# Purposes whose object a coercive act is aimed at: "sanctions to punish North Korea".
PURPOSE_VERBS = frozenset({"deter", "counter", "contain", "punish", "pressure", "isolate",
                           "starve", "squeeze", "penalise", "penalize"})
# Verbs by which an act brings others' reactions: "prompting criticism", "drew condemnation".
CAUSE_VERBS = frozenset({"prompt", "provoke", "draw", "spark", "trigger", "attract", "cause",
                         "invite", "earn", "bring", "elicit"})
# Verbs by which a party takes a stand on another's act: "China opposes the deployment",
# "Seoul welcomed the sanctions" (the act's doer is not the subject)
JUDGING_VERBS = frozenset({"oppose", "protest", "condemn", "denounce", "criticise",
                           "criticize", "welcome", "support", "back", "applaud", "hail",
                           "slam", "decry", "deplore", "fear", "resist", "question",
                           "doubt", "praise", "endorse", "regret", "lament",
                           # "threatened to answer the drills with a strike": someone else's
                           "answer", "retaliate", "punish", "deter"})
# A state's own people and bodies, whose meetings are its own affair: "an emergency meeting of
# the National Security Council", "a meeting of senior aides".
DOMESTIC_BODIES = frozenset({"council", "cabinet", "committee", "adviser", "advisor", "aide",
                             "official", "minister", "commander", "politburo", "commission",
                             "staff", "lawmaker", "parliament", "assembly", "party",
                             "presidium", "secretariat"})
# Verbs by which a clause names the parties of talks: "negotiations that involved ...".
INVOLVING = frozenset({"involve", "include", "bring"})
# Nouns of a military posture, which is one only as "on (high) alert".
POSTURES = frozenset({"alert"})
# Acts of force: one tried is one done ("tried to launch a missile" launched it).
FORCE_TYPES = frozenset({"weapon_test", "military_exercise", "military_action", "coerce"})
# What a report dates only by the report itself ("KCNA reported on Friday") came that day or
# up to this many days before.
REPORT_LAG_DAYS = 2
# How far back an act told as background may lie: undated and in the past perfect ("had met
# three times"), or in the past perfect under a dated report ("said on Friday it had detained").
BACKGROUND_DAYS = 365
# "shortly after taking office": within this many days of the start of a leader's term
OFFICE_DAYS = 180
# Verbs that hand a measure to the one it is done to: "given a life sentence".
GIVING = frozenset({"give", "hand"})
# Verbs whose subject bears the coercive act their object names: "Iran faces sanctions".
RECEIVE_VERBS = frozenset({"face", "draw", "incur", "suffer", "evade", "escape", "avoid",
                           "weather", "endure", "receive", "risk", "dodge"})
# "has been under sanctions since 2006", "remains under an arms embargo"
UNDER_VERBS = frozenset({"be", "remain", "stay", "come", "fall", "live", "labor", "labour",
                         "chafe", "struggle"})
# Purposes whose "on" names the target: "sanctions to inflict pain on North Korea".
INFLICT_VERBS = frozenset({"inflict", "impose", "exert", "heap"})
# Acts a party may threaten another with.
COERCIVE = frozenset({"sanction", "military_action"})
# Speech acts a speaker can make by saying what an act is: "said the launch was a breach".
CHARGES = frozenset({"statement", "accuse", "threaten"})
# Verbs of a type only when several parties do them together.
JOINT_ONLY: Mapping[str, frozenset[str]] = {"agreement": frozenset({"decide"})}
# States of mind that, said of a party, are its statement on what caused them: "Japan is
# worried about the launch", "Seoul was alarmed by the test" (as a predicate only: "the parties
# concerned" are no one's concern).
STATES_OF_MIND = frozenset({"concerned", "worried", "alarmed", "disappointed", "dismayed",
                            "outraged", "appalled", "troubled"})
# What one can offer that is no proposal: "offered no sign that Beijing would go further",
# "offered no explanation".
SIGN_NOUNS = frozenset({"sign", "indication", "evidence", "proof", "hint", "clue", "detail",
                        "explanation", "reason", "comment", "insight"})
# People a state holds: "still holding three U.S. citizens".
CAPTIVES = PRIVATE_PEOPLE | {"hostage", "captive", "soldier", "american"}
TIME_UNITS = frozenset({"day", "week", "month", "year", "hour"})
# Orders to make ready for force: told in public, a threat.
ORDERING = frozenset({"order", "instruct", "instruction", "command", "directive"})
RETRYING = frozenset({"attempt", "try"})  # "its previous attempt", "will try again"
# What an attempt is called that tells it is one of a series of launches.
RETRY_WORDS = frozenset({"previous", "earlier", "last", "latest", "first", "second", "third",
                         "fourth", "fifth", "failed", "unsuccessful", "successful", "recent",
                         "prior"})
FORCE_VERBS = frozenset({"fight", "attack", "strike", "use", "annihilate", "destroy"})
READINESS = frozenset({"ready", "prepared", "prepare", "poised", "standby"})
ARMS = frozenset({"weapon", "force", "missile", "arsenal", "nuke", "bomb"})
MISSILE_WORDS = frozenset({"missile", "projectile"})
SPACE_LAUNCH = "space_launch"
# Meeting verbs whose object is the topic, not the other party.
TOPICAL = frozenset({"discuss"})
# Giving something up: vowing never to is refusing the demand that one should.
YIELDING = frozenset({"abandon", "renounce", "surrender", "relinquish", "give", "scrap"})
# Words of deploying forces or weapons, whose owner deploys them when no one else is named.
DEPLOYING = frozenset({"deploy", "deployment", "station", "stationing", "redeploy",
                       "redeployment"})
# Verbs that open negotiations: "opened formal talks on the system".
OPENING_VERBS = frozenset({"open", "begin", "start", "launch"})
# Verbs that say a war ended in a truce or treaty: "the Korean War ended in a truce".
WAR_ENDINGS = frozenset({"end", "conclude", "halt", "close", "stop", "finish"})
# Talks someone is urged to hold, or offered, are what the appeal asks for or the offer
# proposes, coded in the appeal or offer alone, as CAMEO codes an appeal or offer to meet or
# negotiate (026, 036): "urged Pyongyang to resume talks", "proposed talks with Seoul".
ASKED_FOR = frozenset({"meeting", "negotiation_status"})
ASKING_TYPES = frozenset({"appeal", "offer"})
# Words that stand for an earlier event of the kind counted: "after one on Jan. 6".
COUNTED_WORDS = frozenset({"one", "measure", "attempt", "round"})
RELATIVES = frozenset({"that", "which", "who", "whom"})
SERIES_WORDS = frozenset({"number", "series", "string", "spate", "flurry", "barrage", "wave",
                          "round", "volley", "succession", "slew"})
MANY_WORDS = frozenset({"multiple", "several", "many", "numerous", "various", "repeated"})
OTHER_WORDS = frozenset({"second", "third", "fourth", "another", "other", "new", "further"})


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
    # (type, verb) -> lemmas one of which its object must hold
    verb_objects: Mapping[tuple[str, str], frozenset[str]] = field(
        default_factory=lambda: MappingProxyType({}))

    @classmethod
    def from_pack(cls, pack: Pack) -> Lexicon:
        verbs: dict[str, list[str]] = {}
        nouns: dict[str, list[str]] = {}
        objects: dict[str, frozenset[str]] = {}
        stances: dict[str, str] = {}
        particles: dict[tuple[str, str], frozenset[str]] = {}
        actor_kinds: dict[str, frozenset[str]] = {}
        verb_objects: dict[tuple[str, str], frozenset[str]] = {}
        for name, et in pack.event_types.items():
            for lemma, words in et.verb_objects.items():
                verb_objects[(name, lemma.lower())] = frozenset(words)
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
            verb_objects=verb_objects,
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
    group: int = -1  # dates of one list ("on May 4 and May 9") share a group; -1 alone


# Words that may stand between the members of a list of dates: "on May 4 and May 9",
# "on Sept. 25, 28 and 29 and on Oct. 1", "in December 2012 and February 2016".
DATE_LIST_GLUE = frozenset({",", "and", "on", "in", "or", "then", "again"})
# Types whose events happen once per date: a list of dates is a list of events.
DISCRETE_TYPES = frozenset({"weapon_test", "military_action"})
YEAR_IN = re.compile(r"\b(?:1[89]|20)\d\d\b")  # a year written out in a date


def expand_date_lists(refs: list[DateRef], sent: Span) -> list[DateRef]:
    """Complete lists of dates that the date grammar reads one member at a time.

    "Sept. 25, 28 and 29": bare day numbers after a day take its month and year.
    "in August and September 2017": a month or day with no year takes the year of the
    member after it, when nothing but list words stands between them.
    """
    doc = sent.doc
    refs = sorted(refs, key=lambda r: r.start_tok)
    out: list[DateRef] = []
    for k, ref in enumerate(refs):
        nxt = refs[k + 1] if k + 1 < len(refs) else None
        words = " ".join(t.lower_ for t in doc[ref.end_tok:min(ref.end_tok + 3, sent.end)])
        earlier = [r for r in out if YEAR_IN.search(r.text)]
        if (earlier and not YEAR_IN.search(ref.text)
                and (words.startswith("of that year") or words.startswith("that year"))):
            # "detained on Jan. 2, 2016, and sentenced in March of that year"
            with contextlib.suppress(ValueError):
                year = earlier[-1].start.year
                ref = DateRef(ref.start_tok, ref.end_tok, ref.text,
                              ref.start.replace(year=year), ref.end.replace(year=year),
                              ref.granularity)
        if (nxt is not None and ref.granularity in ("day", "month")
                and not YEAR_IN.search(ref.text) and YEAR_IN.search(nxt.text)
                and _glued(doc, ref.end_tok, nxt.start_tok)):
            year = nxt.start.year
            try:
                start = ref.start.replace(year=year)
                end = ref.end.replace(year=year)
            except ValueError:  # February 29 in a common year
                start, end = ref.start, ref.end
            if end <= nxt.start:
                ref = DateRef(ref.start_tok, ref.end_tok, ref.text, start, end, ref.granularity)
        out.append(ref)
        if ref.granularity != "day":
            continue
        i = ref.end_tok
        limit = nxt.start_tok if nxt is not None else sent.end
        while i < limit:
            j = i
            while j < limit and doc[j].lower_ in (",", "and"):
                j += 1
            if j == i or j >= limit or not doc[j].text.isdigit():
                break
            day_no = int(doc[j].text)
            after = doc[j + 1] if j + 1 < sent.end else None
            if not 1 <= day_no <= 31 or (after is not None and after.pos_ == "NOUN"):
                break
            try:
                day = ref.start.replace(day=day_no)
            except ValueError:
                break
            out.append(DateRef(j, j + 1, doc[j].text, day, day, "day"))
            i = j + 1
    out.sort(key=lambda r: r.start_tok)
    for k in range(len(out) - 1):
        a, b = out[k], out[k + 1]
        if _glued(doc, a.end_tok, b.start_tok) and (a.start, a.end) != (b.start, b.end):
            if a.group < 0:
                a.group = a.start_tok
            b.group = a.group
    return out


def _glued(doc: Doc, start: int, end: int) -> bool:
    """Whether only list words stand between two token positions."""
    return start <= end and all(doc[i].lower_ in DATE_LIST_GLUE for i in range(start, end))


def date_list(anchor: DateRef, dates: Sequence[DateRef]) -> list[DateRef]:
    """The list of dates the anchor belongs to, in reading order (the anchor alone if none)."""
    if anchor.group < 0:
        return [anchor]
    return sorted((d for d in dates if d.group == anchor.group), key=lambda r: r.start_tok)


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


class EventFinder(SpeechActs):
    """Finds events in one sentence; built once per document with its actor index."""

    def __init__(self, pack: Pack, lexicon: Lexicon, actors: ActorIndex,
                 phrase_triggers: Mapping[int, PhraseHit | None] | None = None,
                 home: str | None = None, today: date | None = None,
                 quoted: Sequence[tuple[int, int, Referent]] = ()) -> None:
        self.pack = pack
        self.home = home  # the dateline's state
        # (start, end) character offsets of quoted words and who says them: a "we" inside
        # is the speaker's side
        self.quoted = quoted
        self.today = today  # the local day of publication
        self.lex = lexicon
        self.actors = actors
        # token index -> the phrase headed there; None for a phrase's other words
        self.phrase_triggers = phrase_triggers or {}
        states = {a.code for a in pack.actors if a.kind == "state"}
        self.org_codes = frozenset(a.code for a in pack.actors
                                   if a.kind == "organisation" and a.code not in states)
        self.cities = frozenset(pack.datelines)  # "SEOUL", "HANOI": places datelines name
        self.state_media = frozenset(o.name for o in pack.outlets if o.state_media)
        self.place_country = {p.name: p.country for p in pack.places if p.country}
        # who has been reported to test a weapon so far in the article (asserted tests)
        self.testers: set[str] = set()

    def can_act(self, ref: Referent, etype: str) -> bool:
        """Whether an actor of this kind can do this type of event (pack's actor_kinds):
        an official or a person speaking for an organisation counts as the organisation."""
        allowed = self.lex.actor_kinds.get(etype)
        if allowed is None:
            return True
        kind = "organisation" if ref.code in self.org_codes else ref.kind
        if kind == "organisation" and ref.code not in self.org_codes:
            kind = "state"  # a state's own body: "U.S. forces", "the foreign ministry"
        if kind == "role":
            kind = "person"
        return kind in allowed

    # --- triggers ---------------------------------------------------------------------

    def triggers(self, sent: Span, *, back_references: bool = False
                 ) -> list[tuple[Token, str]]:
        """Trigger words and their types; with back_references, also the words that name an
        event reported before ("It was the fourth such test"), which claims are about."""
        found: list[tuple[Token, str]] = []
        for tok in sent:
            if tok.i in self.phrase_triggers:
                phrase = self.phrase_triggers[tok.i]
                # A phrase names its type outright ("reached out", "did not respond to");
                # its other words ("threats" in "posed threats") trigger nothing.
                if (phrase is not None and not self._names_no_event(phrase.root,
                                                                    back_references)
                        and not not_an_event(phrase.root, self.lex.cues)):
                    found.append((phrase.root, phrase.type))
                continue
            if tok.pos_ in ("NOUN", "PROPN") and (self._names_no_event(tok, back_references)
                                                  or _in_epithet(tok)):
                continue
            if (tok.pos_ == "VERB" and tok.dep_ == "relcl"
                    and not_an_event(tok.head, self.lex.cues)):
                continue  # "in violation of sanctions which also ban tests": what they say
            if (tok.tag_ == "NN" and tok.dep_ == "pobj" and not list(tok.children)
                    and tok.head.lower_ in ("before", "after", "at", "during", "upon")):
                continue  # a bare noun is no one event: "harder to find before launch"
            if tok.ent_type_ in (WCLASS, WEAPON) and tok.dep_ != "ROOT" and any(
                    t.ent_type_ == tok.ent_type_ for t in (tok.head,)):
                continue  # a word of a weapon's name: "submarine-launched ballistic missile"
            lemma = tok.lemma_.lower()
            if self.testers and _retried(tok):
                found.append((tok, "weapon_test"))  # "its previous attempt", "will try again"
                continue
            if tok.pos_ == "VERB" and lemma == "hold" and _holds_people(tok):
                # "is still holding three other U.S. citizens", "after holding him"
                if self.licensed(tok, "coerce", sent):
                    found.append((tok, "coerce"))
                continue
            types: tuple[str, ...]
            if tok.pos_ == "ADJ" and tok.dep_ == "acomp" and tok.lower_ in STATES_OF_MIND:
                types = ("statement",)  # "Japan is worried about the launch"
            elif tok.pos_ == "VERB" and lemma in self.lex.verbs:
                types = self.lex.verbs[lemma]
                if lemma == "agree" and any(
                        p.dep_ == "pobj" and "meeting" in self.lex.nouns.get(p.lemma_.lower(), ())
                        for c in tok.children if c.dep_ == "prep" and c.lower_ == "to"
                        for p in c.children):
                    types = ("offer",)  # "agreed to peace talks", as "agreed to talks"
            elif tok.pos_ in ("NOUN", "PROPN", "ADJ") and lemma in self.lex.nouns:
                types = self.lex.nouns[lemma]
                if types == ("meeting",) and (_opened_on_a_subject(tok) or _lasting(tok)):
                    # "opened formal talks on the system", "seven weeks of talks": negotiations
                    types = ("negotiation_status",)
            else:
                continue
            if not_an_event(tok, self.lex.cues):
                continue
            if ("threaten" in types and tok.dep_ == "dobj"
                    and tok.head.lemma_.lower() in ASSESSMENTS):
                # "programmes pose a growing threat": an assessment of the programmes' owner,
                # as the phrase "pose a threat" is
                if all(t.i != tok.head.i for t, _ in found):
                    found.append((tok.head, "statement"))
                continue
            for t in types:
                if t == "offer" and tok.pos_ == "VERB" and any(
                        c.dep_ == "dobj" and c.lemma_.lower() in SIGN_NOUNS for c in tok.children):
                    break  # "offered no sign that ...": nothing proposed
                if (t == "statement" and tok.pos_ != "VERB" and tok.dep_ != "acomp"
                        and not self._stance_noun(tok)
                        and not self._no_comment(tok)):
                    continue
                if (tok.dep_ in ("compound", "amod") and tok.head.pos_ in ("NOUN", "PROPN")
                        and t in self.lex.nouns.get(tok.head.lemma_.lower(), ())):
                    break  # "an explosion test", "a launch test": one event, named by its head
                if self.licensed(tok, t, sent):
                    if not back_references and self._restates(tok, t, found):
                        break
                    found.append((tok, t))
                    break
        return self._drop_light_verbs(found)

    def _named_doer(self, trig: Token, etype: str) -> bool:
        """Whether the sentence names who did it, as someone we cannot code ("troops fired
        missiles into the sea"): then it is not the article's usual doer. A weapon as subject
        ("the missile was fired") or a pronoun names no one."""
        if trig.pos_ != "VERB":
            return False
        needed = self.lex.objects.get(etype, frozenset())
        return any(t.pos_ in ("NOUN", "PROPN") and t.lemma_.lower() not in needed
                   and t.ent_type_ not in (WEAPON, WCLASS)
                   for t in subject_of(trig))

    def _another(self, trig: Token) -> bool:
        """"A second missile fired minutes later", "another launch": not the one before."""
        nouns = [trig] if trig.pos_ != "VERB" else [
            *(c for c in trig.children if c.dep_ in ("dobj", "nsubjpass", "nsubj")),
            *([trig.head] if trig.dep_ in ("acl", "relcl") else [])]
        if (trig.tag_ == "NNS" and trig.dep_ == "pobj" and trig.head.lower_ == "of"
                and trig.head.head.lemma_.lower() in SERIES_WORDS):
            return True  # "a string of tests this month": many, not the one just reported
        if (trig.pos_ == "VERB" and any(c.dep_ == "advmod" and c.lower_ in ("also", "separately")
                                        for c in trig.children)
                and any(s.lower_ not in ("it", "they", "this") and s.i in self.actors.by_token
                        for s in subject_of(trig))):
            # "the Treasury also listed four banks" (not "the measures
            # also blacklist eight firms": the package spelled out)
            return True
        if _sequenced(trig) and not any(t.ent_type_ == "DATE" for t in trig.subtree):
            # "tested a bomb and followed that with a launch", "eight months after their
            # first meeting": another act (one dated in its own words merges by its date)
            return True
        return any(c.dep_ in ("amod", "det") and c.lower_ in OTHER_WORDS
                   and not any(d.dep_ in ("det", "poss") and d.lower_ in ("the", "its", "their")
                               for d in n.children)  # "the new sanctions": those just named
                   for n in nouns for c in n.children)

    def _in_office_date(self, clause: Token) -> DateRef | None:
        """"reached out to North Korea shortly after taking office": in the first months of
        the term of the leader the clause's subject names, which the pack's roles date."""
        if clause.dep_ == "conj" and not any(c.dep_ == "prep" and c.lower_ in ("after", "since")
                                             for c in clause.children):
            clause = clause.head  # "..., but the country did not respond": in the same months
        taking = next((t for c in clause.children if c.dep_ == "prep"
                       and c.lower_ in ("after", "since") for t in c.children
                       if t.dep_ == "pcomp" and t.lemma_.lower() in ("take", "assume")
                       and any(o.lower_ == "office" for o in t.children)), None)
        if taking is None or self.today is None:
            return None
        for head in subject_of(clause):
            for t in head.subtree:
                ref = self.actors.by_token.get(t.i)
                people = [a for a in ([self.pack.actor(ref.name)] if ref and ref.kind == "person"
                                      else self.pack.actors_named(t.text))  # "the Biden
                          if a is not None and a.kind == "person"]      # administration"
                starts = [r.start for a in people[:1] for r in a.roles
                          if r.start is not None and r.start <= self.today]
                if starts:
                    first = max(starts)
                    return DateRef(taking.i, taking.i + 1, "after taking office", first,
                                   min(first + timedelta(days=OFFICE_DAYS), self.today),
                                   "interval")
        return None

    @staticmethod
    def _when_date(clause: Token, dates: Sequence[DateRef]) -> DateRef | None:
        """"since Feb. 12, when it tested a new missile": the clause happened on the date it
        hangs from (the day, month or year itself, not the period since)."""
        if clause.dep_ not in ("relcl", "advcl") or not any(
                c.lower_ == "when" for c in clause.children):
            return None
        for d in dates:
            if d.start_tok <= clause.head.i < d.end_tok:
                if d.granularity == "interval" and d.text.lower().startswith("since"):
                    if re.search(r"\b\d{1,2}\b", d.text):  # "since Feb. 12"
                        return DateRef(d.start_tok, d.end_tok, d.text, d.start, d.start, "day")
                    if re.search(r"[A-Za-z]{3}", d.text[len("since"):]):  # "since January"
                        last = calendar.monthrange(d.start.year, d.start.month)[1]
                        return DateRef(d.start_tok, d.end_tok, d.text, d.start,
                                       d.start.replace(day=last), "month")
                    # "since 2017, when it tested ...": in 2017
                    return DateRef(d.start_tok, d.end_tok, d.text, d.start,
                                   d.start.replace(month=12, day=31), "year")
                return d
        return None

    def _told(self, verb: Token) -> bool:
        """Whether a clause is what a verb of saying reports ("said [it will respond]")."""
        for _ in range(4):
            if verb.head.i == verb.i:
                return False
            if verb.dep_ in ("ccomp", "parataxis"):
                return verb.head.lemma_.lower() in self.lex.cues.report
            if verb.dep_ not in ("conj", "xcomp"):
                return False
            verb = verb.head
        return False

    def _no_comment(self, tok: Token) -> bool:
        """"There was no immediate reaction from the North Korean mission": a party that did
        not comment, named (a statement it did not make)."""
        return (tok.lemma_.lower() in self.lex.nouns
                and "statement" in self.lex.nouns[tok.lemma_.lower()]
                and any(c.dep_ == "det" and c.lower_ == "no" for c in tok.children)
                and any(p.dep_ == "pobj" and self.actors.referent_in(p) is not None
                        for c in tok.children if c.dep_ == "prep" and c.lower_ == "from"
                        for p in c.children))

    def _stance_noun(self, tok: Token) -> bool:
        """A statement named by a noun is news when the noun says its stance and whose it is:
        "China's concern", "condemnation from Seoul", "expressed regret". A bare "comment",
        "reaction" is no event ("no immediate reaction from X" is one X did not make, see
        _no_comment); neither is a stance nobody holds
        ("given worries about")."""
        if tok.lemma_.lower() not in self.lex.stances:
            return False
        if any(c.dep_ == "det" and c.lower_ == "no" for c in tok.children):
            return False
        return (tok.dep_ == "dobj" or any(
            c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ in ("from", "by"))
            or (c.dep_ in ("compound", "amod") and c.i in self.actors.by_token)
            for c in tok.children))

    def _restates(self, tok: Token, etype: str, found: list[tuple[Token, str]]) -> bool:
        """"North Korea launched two missiles, ..., its first launch since May": a noun
        ranking the event just reported in the sentence is that event, not another."""
        if tok.dep_ == "pobj" and tok.head.lower_ in ("after", "before", "since", "following"):
            return False  # "met in Hanoi, eight months after their first meeting": another
        return (tok.pos_ in ("NOUN", "PROPN")
                and any(c.dep_ == "amod" and (c.lower_ in RANKS or c.ent_type_ == "ORDINAL")
                        for c in tok.children)
                and any(ty == etype and t.i < tok.i for t, ty in found))

    def _names_no_event(self, tok: Token, back_references: bool = False) -> bool:
        """A trigger noun that names no new event: one named before ("those overtures",
        "this test", "its first such launch", "It was the second nuclear test this year"), or
        a word describing something else ("the nuclear test site", "a test ban")."""
        if tok.pos_ not in ("NOUN", "PROPN", "ADJ"):
            return False
        if (tok.lemma_.lower() in VEHICLES and tok.dep_ == "pobj"
                and tok.head.lower_ in ("in", "through", "via")):
            return True  # "said in a statement carried by KCNA"
        if not back_references and any((c.dep_ == "det" and c.lower_ in DEMONSTRATIVES) or
               (c.dep_ == "amod" and c.lower_ in ("such", "same")) for c in tok.children):
            return True
        head = tok.head
        if (tok.dep_ in ("compound", "amod", "nmod") and head.pos_ in ("NOUN", "PROPN")
                and head.lemma_.lower() not in self.lex.nouns
                and head.ent_type_ not in (WEAPON, WCLASS)):
            return True
        if (tok.dep_ == "compound" and head.i != tok.i
                and head.lemma_.lower() in self.lex.nouns):
            return self._names_no_event(head, back_references)  # "the first flight test"
        if tok.lemma_.lower() == "talk" and tok.tag_ == "NN":
            return True  # "talk of appeasement" is loose talk; "talks" are meetings
        if back_references:
            return False
        # "It was the second nuclear test this year", "It was the second resolution this year
        # to tighten sanctions": the event named before, and what the naming says of it
        def names_before(be: Token) -> bool:
            return be.lemma_ == "be" and any(
                c.dep_ == "nsubj" and c.lower_ in ("it", "this", "that") for c in be.children)

        if tok.dep_ == "attr" and names_before(head):
            return True
        # "It was the second resolution this year to tighten sanctions": the infinitive says
        # what the earlier event did ("..., after meetings in 2000" are events of their own)
        verb = head if tok.dep_ == "dobj" else None
        return (verb is not None and verb.dep_ in ("xcomp", "acl") and infinitive(verb)
                and (names_before(verb.head) or names_before(verb.head.head)))

    def licensed(self, tok: Token, etype: str, sent: Span) -> bool:
        """Whether a trigger word counts as this type here: its particles and objects."""
        if etype == "reject" and tok.pos_ == "VERB" and any(
                c.dep_ == "xcomp" and c.lemma_.lower() in SAYING for c in tok.children):
            return False  # "declined to comment", "refused to go into details"
        if tok.pos_ == "VERB" and any(c.dep_ == "prt" and (tok.lemma_.lower(), c.lower_)
                                      in OTHER_SENSE for c in tok.children):
            return False
        if (etype == "appeal" and tok.pos_ == "VERB" and tok.lemma_.lower() in CALLING_VERBS
                and any(c.dep_ in ("dobj", "oprd") for c in tok.children)):
            return False  # "called the meeting a new milestone for the nation": a name given
        particles = self.lex.particles.get((etype, tok.lemma_.lower()))
        if particles is not None and tok.pos_ == "VERB" and not any(
            (c.dep_ in ("prep", "prt") and c.lower_ in particles
             # ("called it a satellite on Sunday": a date, no "call on")
             and not any(p.ent_type_ in ("DATE", "TIME") for p in c.children))
            or c.dep_ == "xcomp"
            for c in tok.children
        ):
            return False
        wanted = self.lex.verb_objects.get((etype, tok.lemma_.lower()))
        if wanted is not None and tok.pos_ == "VERB":
            # (verbs joined share their object: "had to sell or abandon their gear")
            heads = [t for v in (tok, *tok.conjuncts) for c in v.children
                     if c.dep_ in ("dobj", "nsubjpass") for t in conjuncts(c)]
            if heads and not any(t.lemma_.lower() in wanted or any(
                    w.ent_type_ in (WEAPON, WCLASS) for w in t.subtree) for t in heads):
                # "withdrew the alert" is no withdrawal of forces, nor is "shut down the
                # Kaesong industrial complex" (the Yongbyon nuclear complex is a site)
                return False
            if not heads and (
                    particles is not None  # "shut down" needs what is shut
                    or any(c.dep_ == "prep" and c.lower_ == "from" for c in tok.children)
                    or not any(t.lemma_.lower() in wanted or t.i in self.actors.by_token
                               or (t.pos_ == "PRON" and self.actors.referent_in(t) is not None)
                               for t in subject_of(tok))):
                # with no object, the one that does it: "the troops withdrew", "Pyongyang
                # accepted"; not "the album sold strongly", nor "withdrew from the NPT"
                return False
        if etype == "meeting" and tok.pos_ == "VERB" and not self._meets_someone(tok):
            return False
        if (tok.lemma_.lower() in POSTURES and tok.pos_ == "NOUN"
                and not (tok.dep_ == "pobj" and tok.head.lower_ == "on")):
            return False  # "put its forces on alert"; not "emergency alerts told residents"
        needed = self.lex.objects.get(etype)
        if not needed:
            return True
        phrase = phrase_of(tok) if tok.pos_ != "VERB" else [
            t for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "prep", "attr", "npadvmod")
            or (c.dep_ == "nsubj" and tok.lemma_.lower() in ONLY_TRANSITIVE)
            # "fired what appeared to be a missile", "launched what it called a satellite"
            or (c.dep_ == "ccomp" and any(g.lower_ == "what" and g.dep_ in ("nsubj", "dobj")
                                          for g in c.children))
            for t in c.subtree
        ]
        if tok.pos_ != "VERB" and tok.dep_ in ("compound", "amod"):
            phrase = [*phrase, tok.head]
        if tok.pos_ == "VERB" and (tok.dep_ == "acl" or (
                tok.dep_ == "relcl" and not any(c.dep_ == "dobj" and c.lower_ not in RELATIVES
                                                for c in tok.children)
                and not any(c.dep_ == "nsubj" and c.lower_ in ("that", "which", "who")
                            for c in tok.children))):
            # "a second missile fired minutes later", "the Unha-3 the North flew in 2012"
            # (not "a missile that flew 500 km": there the missile does the flying)
            phrase = [*phrase, tok.head]
        if tok.pos_ == "VERB" and tok.lemma_.lower() in NEEDS_OBJECT:
            # only the weapon as the object itself: "the North flew the Unha-3", "the Unha-3
            # the North flew"; not "it flew 4,600 km, farther than any missile"
            # (a place the parser takes for the object is where: "sent over Hokkaido", "sent
            # over the sea")
            over = [c.i for c in tok.children if c.dep_ == "prt" and c.lower_ in DIRECTIONS]
            objects = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")
                       and c.ent_type_ not in PLACE_LABELS and not any(i < c.i for i in over)]
            if tok.dep_ == "relcl" and not objects and not any(
                    c.dep_ == "nsubj" and c.lower_ in ("that", "which", "who")
                    for c in tok.children):
                # "a Hwasong-12, the type the North sent over Hokkaido": what the relative
                # clause describes, or what that stands beside
                objects = [tok.head, *([tok.head.head] if tok.head.dep_ == "appos" else [])]
            return any(o.lemma_.lower() in needed or o.ent_type_ in (WEAPON, WCLASS)
                       for o in objects)

        def names_object(t: Token) -> bool:
            return t.lemma_.lower() in needed or t.ent_type_ in (WEAPON, WCLASS)

        for t in phrase:
            if names_object(t) and _modified_head(t, tok, names_object):
                return True
        if tok.pos_ == "VERB":
            return False
        # A bare "tests" or "launch" counts in a sentence that names a weapon, or, plural
        # and counted, in a story that has named one before ("a significant number of tests
        # this month")
        if any(t.ent_type_ in (WEAPON, WCLASS) or t.lemma_.lower() in needed for t in sent):
            return True
        return tok.tag_ == "NNS" and any(t.ent_type_ in (WEAPON, WCLASS)
                                         for t in sent.doc[:sent.start])

    def _where_held(self, verb: Token) -> list[Referent]:
        """The state a passive detention happened in, when no one is named as doing it ("was
        detained at Pyongyang's airport ... and sentenced in March": both there)."""
        if verb.pos_ != "VERB" and verb.dep_ == "dobj" and verb.head.lemma_.lower() in GIVING:
            verb = verb.head  # "... and given a life sentence": where the verb happened
        if verb.pos_ != "VERB":
            return []
        chain = [verb]
        while chain[-1].dep_ == "conj" and not any(c.dep_ in SUBJECTS
                                                   for c in chain[-1].children):
            chain.append(chain[-1].head)
        if not any(c.dep_ == "nsubjpass" for c in chain[-1].children):
            return []
        if chain[-1].dep_ == "ccomp" and any(p.lemma_.lower() in self.lex.cues.report
                                             for p in (chain[-1].head,)):
            # "told CNN in Pyongyang that he was being held": where he said it
            chain.append(chain[-1].head)
        places = [p for v in chain for c in v.children
                  if c.dep_ == "prep" and c.lower_ in ("in", "at")
                  for p in c.children if p.dep_ == "pobj"]
        return [r for r in self.referents(places) if r.kind == "state"]

    def _home_authorities(self, verb: Token) -> list[Referent]:
        if self.home is None or verb.pos_ != "VERB":
            return []
        subject = subject_of(verb)
        if not any(t.lemma_.lower() in AUTHORITIES for t in subject):
            return []
        return [Referent(subject[0].i, subject[0].i + 1, subject[0].text, self.home,
                         subject[0].text, "state")]

    def _meets_someone(self, verb: Token) -> bool:
        """"met Kim", "met in Hanoi", "will meet next week" are meetings; "would be met with
        fire and fury" and "met earlier rounds of sanctions with defiance" are not."""
        if verb.lemma_.lower() in TOPICAL:
            return True  # "discussed the launch with Trump": what they talked about
        if any(c.dep_ == "auxpass" for c in verb.children):
            # "was greeted by Abe" is a meeting; "would be met with fire and fury" is not
            return any(p.i in self.actors.by_token for c in verb.children
                       if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj")
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        return obj is None or obj.pos_ == "PRON" or self.actors.referent_in(obj) is not None

    def _drop_light_verbs(self, found: list[tuple[Token, str]]) -> list[tuple[Token, str]]:
        """"conducted a nuclear test": keep the noun, drop the verb of the same type."""
        # A document named as the object of another trigger is that event's vehicle:
        # "signed a joint statement" is an agreement, not a statement.
        verbs = {t.i for t, _ in found if t.pos_ == "VERB"}
        # "U.S. sanctions imposed on Iran in 2018": one event, told by the verb that carries
        # its target and date
        described = {(t.head.i, ty) for t, ty in found
                     if t.pos_ == "VERB" and t.dep_ == "acl" and t.tag_ == "VBN"}
        found = [(t, ty) for t, ty in found
                 if not (ty == "statement" and t.pos_ in ("NOUN", "PROPN") and
                         t.dep_ == "dobj" and t.head.i in verbs)
                 and (t.i, ty) not in described]
        nouns = {(t.head.i, ty) for t, ty in found
                 if t.pos_ in ("NOUN", "PROPN") and t.dep_ not in SUBJECTS}
        # A light verb carries whatever noun trigger is its object: "holding drills" is the
        # drills, not a detention.
        carried = {t.head.i for t, _ in found
                   if t.pos_ in ("NOUN", "PROPN") and t.dep_ in ("dobj", "nsubjpass")}
        return [
            (t, ty)
            for t, ty in found
            if not (t.pos_ == "VERB" and ((t.i, ty) in nouns or
                                          (t.i in carried and t.lemma_.lower() in LIGHT_VERBS
                                           and ty not in SPEECH_TYPES)))
        ]

    # --- arguments --------------------------------------------------------------------

    def actor_candidates(self, trig: Token, etype: str | None = None
                         ) -> tuple[list[Referent], bool]:
        """Referents acting, and whether they were inferred rather than read off the parse."""
        heads: list[Token] = []
        if trig.pos_ == "VERB" or (trig.pos_ == "ADJ" and trig.dep_ == "acomp"):
            heads = subject_of(trig)  # ("Japan is deeply concerned": an adjective's subject)
            if not heads and trig.dep_ == "acl" and trig.tag_ == "VBN":
                # "the Security Council measures imposed in March", "U.S. sanctions imposed
                # in 2016": whose the things are, did it
                heads = [c for c in trig.head.children if c.dep_ in ("poss", "compound", "amod")
                         and c.i in self.actors.by_token][:1]
            if symmetric(etype or "") and (talks := self._talks_subject(trig)) is not None:
                # "talks between Seoul and Tokyo collapsed": the parties of the talks (else,
                # as for any subject, whoever the phrase names: "talks with the United
                # States came to a halt")
                named = self.actor_candidates(talks, etype)
                if named[0]:
                    return named
        else:
            forum = self.forum_parties(trig) if symmetric(etype or "") else []
            if forum:
                return forum, False
            for c in trig.children:
                if symmetric(etype or "") and c.dep_ == "compound" and self._a_city(c):
                    continue  # "the Hanoi summit": where, not who
                if c.dep_ == "poss" or (c.dep_ in ("compound", "amod", "nmod") and
                                        self.actors.by_token.get(c.i) is not None and
                                        self.actors.by_token[c.i].kind in ("state", "organisation",
                                                                           "person")):
                    heads = [c]
                    break
            if (heads and heads[0].pos_ == "PRON" and trig.dep_ in ("dobj", "attr")
                    and trig.head.pos_ in ("VERB", "AUX")):
                # "South Korean and U.S. troops conduct their exercise": a possessive pronoun
                # that points to the clause's own subject stands for all of its parties.
                meant = self.actors.referent_in(heads[0])
                subject = subject_of(trig.head)
                parties = {r.code for h in subject for c in [*conjuncts(h),
                                                             *modifier_parties(h)]
                           if (r := self.actors.referent_in(c)) is not None}
                if meant is not None and meant.code in parties:
                    heads = subject
            elif (heads and heads[0].lower_ == "their" and trig.dep_ == "pobj"
                    and trig.head.dep_ == "prep" and trig.head.head.pos_ == "VERB"):
                # "in their first talks in two years, the two Koreas agreed ...": "their" is
                # the clause's own subject when that names a group
                subject = subject_of(trig.head.head)
                if len(self.referents([c for h in subject for c in conjuncts(h)])) >= 2:
                    heads = subject
            if not heads and etype in OF_ACTOR_TYPES:
                # "at the request of the United States", "a meeting of the Council"
                heads = [t for t in of_parties(trig) if self.actors.referent_in(t)][:1]
            if not heads and symmetric(etype or ""):
                heads = _involved(trig)  # "negotiations that involved Obama and Xi"
            if not heads and (symmetric(etype or "") or etype in JOINT_TYPES):
                # "talks between A and B", "drills between the U.S. and South Korean militaries"
                heads = [p for c in trig.children if c.dep_ == "prep" and c.lower_ == "between"
                         for p in c.children if p.dep_ == "pobj"]
            if not heads and symmetric(etype or ""):
                heads = _spent_in_talks(trig)
            if not heads and etype == "military_action":
                heads = self._deployed_owner(trig)
            if not heads:
                for c in trig.children:
                    if c.dep_ == "prep" and c.lower_ == "by":
                        heads = [p for p in c.children if p.dep_ == "pobj"]
            if not heads and self._reaction_noun(trig):
                # "condemnation from Seoul", "drew condemnation from Seoul"
                holders = list(trig.children)
                if trig.dep_ == "dobj":
                    holders.extend(trig.head.children)
                for c in holders:
                    if c.dep_ == "prep" and c.lower_ == "from":
                        heads = [p for p in c.children if p.dep_ == "pobj"]
            if not heads:
                # "drills that the U.S. carrier held with the South Korean navy": who held them
                held = [c for c in trig.children if c.dep_ == "relcl" and relative_object(c)]
                heads = [h for c in held for h in subject_of(c)]
                if heads and etype in JOINT_TYPES:
                    heads += [p for c in held for w in c.children if w.dep_ == "prep"
                              and w.lower_ == "with" for p in w.children if p.dep_ == "pobj"]
            if not heads and trig.head.i != trig.i and trig.dep_ in ("dobj", "attr", "pobj",
                                                                      "nsubjpass"):
                verb = trig.head if trig.dep_ != "pobj" else trig.head.head
                # (not the one who names it: "Pyongyang called the drills a rehearsal"; not
                # the one who prompts it: "launched a rocket, prompting criticism")
                if (verb.pos_ in ("VERB", "AUX") and not _names_its_object(verb)
                        and not (self._reaction_noun(trig)
                                 and verb.lemma_.lower() in CAUSE_VERBS)
                        and not (etype in COERCIVE and _receivers(trig))
                        and not (trig.dep_ == "dobj"
                                 and verb.lemma_.lower() in JUDGING_VERBS)):
                    heads = subject_of(verb)
        if not heads and trig.pos_ == "VERB" and etype == "military_action":
            heads = self._deployed_owner(trig)
        if (not heads and trig.dep_ == "pobj" and trig.head.lower_ in ("including", "like")
                and trig.head.head.pos_ in ("NOUN", "PROPN")):
            # "would work on new steps, including sanctions": whoever takes the steps
            named = self.actor_candidates(trig.head.head, etype)
            if named[0]:
                return named
            heads = subject_of(clause_verb(trig.head.head))
        tokens = [c for h in heads
                  for c in [*conjuncts(whose_antecedent(h)), *of_parties(h),
                            *modifier_parties(h)]]
        refs = self.referents(tokens, speech=etype in SPEECH_TYPES)
        if not refs and heads and heads[0].pos_ == "NOUN":
            # "in Korea, U.S. and South Korean troops fired": the parser may hang the
            # nationalities on the word before; they still stand right before their noun
            refs = self.referents(_words_before(heads[0]), speech=etype in SPEECH_TYPES)
        for h in (heads if trig.pos_ == "VERB" else [trig, *heads]):
            for ref in self.hyphen_parties(h):  # "joint U.S.-South Korean drills"
                if all(r.code != ref.code for r in refs):
                    refs.append(ref)
        if not refs and trig.dep_ == "conj" and trig.head.dep_ == "ccomp":
            # "Japan said part of the missile landed in its waters and lodged a protest": the
            # parser joins the second verb to the reported clause; it is the speaker's.
            refs = self.referents(subject_of(trig.head.head))
        return refs, False

    def _conflict_named(self, tok: Token) -> Conflict | None:
        """The war a noun names ("the 1950-53 Korean War"), from the pack's conflicts."""
        found = _name_ending_at(tok, self.pack.conflicts, 3)
        return found[1] if found else None

    def _conflict_ended(self, trig: Token) -> tuple[Conflict, bool] | None:
        """The war a truce or treaty noun is said to have ended ("the Korean War ended in a
        truce", "the armistice that ended the Korean War"), and whether the noun is the one
        it did not end in ("..., not a peace treaty", "instead of a peace agreement")."""
        if trig.pos_ not in ("NOUN", "PROPN"):
            return None
        verbs = [c for c in trig.children if c.dep_ in ("relcl", "acl")
                 and c.lemma_.lower() in WAR_ENDINGS and not infinitive(c)]
        conflict = next((w for v in verbs for o in v.children if o.dep_ == "dobj"
                         and (w := self._conflict_named(o)) is not None), None)
        tok = trig
        for _ in range(5):
            if conflict is not None or tok.head.i == tok.i:
                break
            if tok.dep_ not in ("pobj", "prep", "agent", "appos", "conj", "cc"):
                return None
            tok = tok.head
            if tok.pos_ == "VERB":
                if tok.lemma_.lower() not in WAR_ENDINGS or infinitive(tok):
                    return None
                # "the war ended in a truce", "the war was halted by an armistice"
                ended = [*subject_of(tok), *(c for c in tok.children if c.dep_ == "nsubjpass")]
                conflict = next((w for h in ended
                                 if (w := self._conflict_named(h)) is not None), None)
        if conflict is None:
            return None
        before = " ".join(t.lower_ for t in trig.doc[max(trig.sent.start,
                                                          trig.left_edge.i - 2):
                                                      trig.left_edge.i])
        return conflict, before.endswith(("not", "instead of", "rather than", "never"))

    def _truce(self, trig: Token, sent: Span, conflict: Conflict, not_so: bool
               ) -> list[RawEvent]:
        """The truce that ended a war, between each pair of opposing parties the sentence
        names (the principal of a side it does not name); a peace treaty it did not end in is
        the same pairs, negated and undated."""
        named = {r.code for r in self.actors.referents
                 if sent.start <= r.start < sent.end and r.code}
        sides = [[c for c in side if c in named] or [side[0]] for side in conflict.sides]
        when = None if not_so or conflict.ended is None else DateRef(
            trig.i, trig.i + 1, conflict.name, conflict.ended, conflict.ended, "day")
        span = sent.doc[trig.left_edge.i:trig.right_edge.i + 1]
        return [RawEvent(type="agreement", actor=a, target=b,
                         modality="negated" if not_so else "asserted", trigger=trig,
                         span=span, date=when)
                for a in sides[0] for b in sides[1]]

    def _warns_of_their_act(self, warn: Token, triggers: Sequence[tuple[Token, str]],
                            codes: set[str | None]) -> bool:
        """Whether a warning only tells what its target may do itself ("warned that the North
        could carry out a fifth nuclear test"), not what will be done to it ("warned that
        its allies were working on sanctions")."""
        clauses = [c for c in warn.children if c.dep_ == "ccomp"]
        for t, k in triggers:
            # what the clause says will be done, not what it is about: not "face consequences
            # if it tested", not "drills could derail the talks" (a warning of what follows)
            if k in ("weapon_test", "military_exercise") and t.dep_ not in SUBJECTS and any(
                    clause_verb(t).i == c.i for c in clauses):
                doers = {a.code for a in self.actor_candidates(t, k)[0]}
                if doers and doers <= codes:
                    return True
        return False

    def _deployed_owner(self, trig: Token) -> list[Token]:
        """Whose forces or weapons are deployed, when no one is said to deploy them: "the
        deployment of a U.S. missile system", "deploying a U.S. missile shield"."""
        if trig.lemma_.lower() not in DEPLOYING:
            return []
        objects = ([p for c in trig.children if c.dep_ == "prep" and c.lower_ == "of"
                    for p in c.children if p.dep_ == "pobj"] if trig.pos_ != "VERB" else
                   [c for c in trig.children if c.dep_ in ("dobj", "nsubjpass")])
        return [c for o in objects for c in o.children
                if c.dep_ in ("poss", "compound", "amod", "nmod")
                and (ref := self.actors.by_token.get(c.i)) is not None
                and ref.kind in ("state", "organisation")][:1]

    def _talks_subject(self, verb: Token) -> Token | None:
        """The talks a verb says something of ("the talks collapsed"), if its subject is
        one noun of a meeting or negotiation."""
        heads = subject_of(verb)
        if len(heads) != 1:
            return None
        for noun in (heads[0], heads[0].head.head):
            if any(symmetric(t) for t in self.lex.nouns.get(noun.lemma_.lower(), ())):
                return noun
            # "the talks on its nuclear programme, which last met in 2008": the parser hangs
            # the relative clause on the nearer noun, which cannot meet
            if not (verb.dep_ == "relcl" and noun.dep_ == "pobj" and noun.head.dep_ == "prep"
                    and noun.i not in self.actors.by_token):
                return None
        return None

    def forum_parties(self, trig: Token) -> list[Referent]:
        """The two principal parties of talks known by name ("the six-party talks", "the
        six-party talks collapsed"), from the pack's forums; none for other talks."""
        noun = self._talks_subject(trig) if trig.pos_ == "VERB" else trig
        if noun is None:
            return []
        found = _name_ending_at(noun, self.pack.forums, 4)
        if found is None:
            return []
        start, codes = found
        text = noun.doc[start:noun.i + 1].text
        return [Referent(start, noun.i + 1, text, code,
                         actor.name if (actor := self.pack.actor(code)) else code, "state")
                for code in codes]

    def hyphen_parties(self, head: Token) -> list[Referent]:
        """Parties a hyphenated modifier pairs: "U.S.-South Korean drills" (the tokenizer
        keeps "U.S.-South" whole), "U.S.-China talks", "inter-Korean talks" (every state
        whose demonym ends in the word: both Koreas)."""
        out: list[Referent] = []
        for mod in head.children:
            if mod.dep_ not in ("amod", "compound", "nmod", "advmod") or mod.i > head.i:
                continue
            words = [t for t in head.doc[mod.left_edge.i:head.i] if t.dep_ != "det"]
            text = "".join(t.text_with_ws for t in words).strip()
            if "-" not in text:
                continue
            pieces = [p.strip() for p in text.split("-")]
            if pieces[0].lower() == "inter" and len(pieces) == 2:
                found = [a for a in self.pack.actors if a.kind == "state" and any(
                    d.split()[-1] == pieces[1] and len(d.split()) > 1 for d in a.demonyms)]
            else:
                found = [a for p in pieces for a in self.pack.actors_named(p)[:1]]
            if len(found) < 2:
                continue
            for actor in found:
                if actor.code and all(r.code != actor.code for r in out):
                    out.append(Referent(mod.i, mod.i + 1, mod.text, actor.code, actor.name,
                                        actor.kind))
        return out

    def referents(self, tokens: Sequence[Token], exclude: set[str] | frozenset[str] = frozenset(),
                  *, speech: bool = False) -> list[Referent]:
        """The distinct actors the tokens stand for, in order; "both countries" and "the two
        leaders" stand for the last two named before them. In a speech act a state's own news
        agency speaks for it ("KCNA lashed out at ..., accusing them")."""
        refs: list[Referent] = []
        for tok in tokens:
            if (tok.lemma_.lower() in self.lex.nouns
                    and not any(c.dep_ == "poss" for c in tok.children)
                    and any(c.dep_ == "compound" and self._a_city(c) for c in tok.children)):
                continue  # "the Hanoi summit collapsed": where, not who
            # "Beijing's main paper, the People's Daily": the name in apposition
            named = [a for a in _appositions(tok) if a.i in self.actors.by_token]
            # (a quote's own words are no speech act of its speaker's the article reports:
            # "'We assess that the launch failed,' he said")
            one = (self.actors.by_token[named[0].i] if named
                   else (None if speech else self._quoted_self(tok))
                   or self.actors.referent_in(tok))
            if one is not None and one.kind == "outlet" and not (
                    speech and one.name in self.state_media):
                one = None
            if one is None and speech:
                one = self.actors.referent_in(tok, kinds=("outlet",))
                one = one if one is not None and one.name in self.state_media else None
            group = self._pair_named_before(tok) or ([one] if one is not None else [])
            for ref in group:
                if (ref.code and ref.code not in exclude
                        and all(r.code != ref.code for r in refs)):
                    refs.append(ref)
        return refs

    def _signed_content(self, trig: Token) -> bool:
        """Whether a pledge is the content of a text signed or agreed ("signed a brief
        statement in which Kim pledged to work toward denuclearization"): the agreement
        says it."""
        for tok in (trig, *trig.ancestors):
            if tok.dep_ != "relcl":
                continue
            text = tok.head
            return "agreement" in self.lex.nouns.get(text.lemma_.lower(), ()) or (
                text.dep_ == "dobj"
                and "agreement" in self.lex.verbs.get(text.head.lemma_.lower(), ()))
        return False

    def _aimed_at_own(self, trig: Token, actor_codes: set[str]) -> bool:
        """Whether the party an act is aimed at is the actor's own ("its outreach to
        Congress", "urged the National Assembly to"): domestic, out of scope."""
        holders = [trig, *([trig.head] if trig.dep_ == "dobj" else [])]
        aimed = [p for h in holders for c in h.children
                 if c.dep_ == "prep" and c.lower_ in AIMING_PREPS
                 for p in c.children if p.dep_ == "pobj"]
        # (a body named outright, not a thing of the actor's: "its missile shield")
        refs = [r for p in aimed if (r := self.actors.by_token.get(p.i)) is not None and r.code]
        return bool(refs) and all(r.code in actor_codes for r in refs)

    def _quoted_self(self, tok: Token) -> Referent | None:
        """"'We will take every necessary step,' a Blue House official said": the speaker
        of the quote a first-person pronoun stands in."""
        if tok.lower_ not in FIRST_PERSON:
            return None
        return next((who for start, end, who in self.quoted if start <= tok.idx < end), None)

    def _pair_named_before(self, tok: Token) -> list[Referent]:
        """The parties "both countries" or "the two leaders" stand for: two named together
        earlier in the sentence, else the last two named together as a subject ("South Korea
        and the United States said ...")."""
        if (tok.pos_ == "NUM" and tok.lower_ in ("two", "three") and tok.dep_ in SUBJECTS
                and any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children)):
            return self._last_named(tok, 2 if tok.lower_ == "two" else 3)  # "the three agreed"
        if (tok.lower_ in ("pair", "duo") and tok.dep_ in SUBJECTS
                and any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children)):
            return self._last_named(tok, 2)  # "The pair had met three times"
        if (tok.lemma_.lower() in PAIR_NOUNS and tok.tag_ in ("NNS", "NNPS")
                and any(c.dep_ == "nummod" and c.lower_ == "three" for c in tok.children)):
            return self._last_named(tok, 3)  # "the three leaders recommitted"
        # ("each side will withdraw its guard posts": both, each on its own)
        each = tok.tag_ == "NN" and any(c.dep_ == "det" and c.lower_ == "each"
                                        for c in tok.children)
        if tok.lemma_.lower() not in PAIR_NOUNS or (not each and (
                tok.tag_ not in ("NNS", "NNPS") or not any(
                    (c.dep_ == "det" and c.lower_ == "both") or
                    (c.dep_ == "nummod" and c.lower_ == "two") for c in tok.children))):
            return []
        kinds = ("person",) if tok.lemma_.lower() == "leader" else ("state",)
        doc = tok.doc
        for first in reversed(doc[max(0, tok.i - 400):tok.i]):
            if not first.conjuncts or first.dep_ == "conj" or (
                    first.dep_ not in SUBJECTS and first.sent.start != tok.sent.start):
                continue  # a pair named in this sentence, else the last pair as a subject
            pair = [r for t in (first, *first.conjuncts)
                    if (r := self.actors.referent_in(t)) is not None and r.kind in kinds]
            if len(pair) == 2 and pair[0].code != pair[1].code:
                return pair
        if kinds == ("person",):
            # "Kim held talks with Moon ... the two leaders had signed": the last two named
            last = [r for r in self._last_named(tok, 2) if r.kind == "person"]
            if len(last) == 2 and last[0].code != last[1].code:
                return last
        # else the two states the story is about
        counts = Counter(r.code for r in self.actors.referents
                         if r.kind == "state" and r.code and r.start < tok.i)
        top = [c for c, _ in counts.most_common(2)]
        if len(top) < 2:
            return []
        firsts = {c: next(r for r in self.actors.referents if r.code == c and r.kind == "state")
                  for c in top}
        return [firsts[c] for c in top]

    def _reporting_parties(self, trig: Token) -> list[Referent]:
        """The conjoined parties that report the trigger's clause, when there are several
        ("South Korea and the United States said they had decided ...")."""
        tok = trig
        for _ in range(5):
            if tok.head.i == tok.i:
                return []
            if tok.dep_ == "ccomp" and tok.head.lemma_.lower() in self.lex.cues.report:
                parties = self.referents([c for h in subject_of(tok.head)
                                          for c in conjuncts(h)])
                return parties if len(parties) >= 2 else []
            if tok.dep_ not in ("xcomp", "conj", "ccomp"):
                return []
            tok = tok.head
        return []

    def _own_body(self, trig: Token, actor_codes: set[str]) -> bool:
        """Whether a meeting is of the actor's own people or body: "of his security
        advisers", "of the National Security Council" (not "of the Security Council", a
        body of many states)."""
        for t in of_parties(trig):
            ref = self.actors.referent_in(t)
            if ref is not None:
                state = self.pack.actor(ref.code) if ref.code else None
                if ref.code in actor_codes and state is not None and state.kind == "state":
                    return True  # (a body of a state carries the state's code)
            elif t.lemma_.lower() in DOMESTIC_BODIES:
                return True
        return False

    def _last_named(self, tok: Token, n: int) -> list[Referent]:
        """"Biden hosted Yoon and Kishida ..., where the three agreed": the last n parties
        named before, people or states, in this sentence or the one before."""
        sents = list(tok.doc.sents)
        k = next(i for i, sent in enumerate(sents) if sent.start <= tok.i < sent.end)
        if any(generic_group(t) for t in sents[k] if t.i < tok.i):
            return []  # "on leaders' minds as they meet": leaders at large, not the named
        start = sents[max(0, k - 1)].start
        for kinds in (("person",), ("state", "person")):  # leaders before their capitals
            found: list[Referent] = []
            for ref in reversed(self.actors.referents):
                if not start <= ref.start < tok.i or ref.kind not in kinds:
                    continue
                head = tok.doc[ref.end - 1]
                if head.dep_ == "pobj" and head.head.lower_ in LOCATIVE:
                    continue  # "their first meeting in Singapore, where they agreed": where
                if ref.code and all(r.code != ref.code for r in found):
                    found.append(ref)
                if len(found) == n:
                    return found[::-1]
        return []

    def _asker(self, trig: Token, actor_codes: set[str]) -> list[Referent]:
        """"The United States urged North Korea to resume talks": talks with the one who
        asks for them."""
        tok = trig
        for _ in range(4):
            if tok.head.i == tok.i:
                break
            tok = tok.head
            if tok.pos_ == "VERB" and "appeal" in self.lex.verbs.get(tok.lemma_.lower(), ()):
                return self.referents(subject_of(tok), actor_codes)
        return []

    def _a_city(self, tok: Token) -> bool:
        ref = self.actors.by_token.get(tok.i)
        return ref is not None and ref.text.upper() in self.cities

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
        if trig.pos_ == "VERB" or (trig.pos_ == "ADJ" and trig.dep_ == "acomp"):
            objects = [c for c in trig.children if c.dep_ in ("dobj", "nsubjpass")]
            clause = trig
            while clause.dep_ == "conj" and clause.head.i != clause.i:
                clause = clause.head  # "drills, which began ... and which it denounced"
            if any(o.lower_ in ("which", "that") for o in objects):
                # "drills, which Pyongyang has denounced"; a ", which" clause the parser hangs
                # on the verb is about that verb's object
                head = clause.head
                while head.ent_type_ in ("DATE", "TIME") and head.dep_ in ("pobj", "prep"):
                    head = head.head  # "drills in years, which ...": not the years
                if head.pos_ in ("VERB", "AUX", "ADP"):
                    governor = head if head.pos_ != "ADP" else head.head
                    head = next((c for c in governor.children if c.dep_ == "dobj"), head)
                if (clause.dep_ in ("relcl", "advcl") and head.pos_ in ("NOUN", "PROPN")
                        and head.ent_type_ not in ("DATE", "TIME")):
                    objects.append(head)
            objects.extend(g for c in trig.children if c.dep_ == "ccomp" for g in c.children
                           if g.lower_ == "what")  # "condemned what he called crimes"
            for c in trig.children:
                if c.dep_ == "prep" and c.lower_ in ("over", "about", "at", "to", "against"):
                    objects.extend(p for p in c.children if p.dep_ == "pobj")
            if not objects and trig.lemma_.lower() == "react":
                return [], LAST_ACT  # "Trump reacted on Twitter": to the news just told
        elif self._reaction_noun(trig):
            # "voiced dissatisfaction with the decision": the parser may hang the noun's
            # preposition on its verb
            holders = [trig, *([trig.head] if trig.dep_ == "dobj" else [])]
            for c in (c for h in holders for c in h.children):
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
                # "the move to deploy the system, which drew a protest from China": aimed at
                # the parties of the act that drew it
                for s in subject_of(verb):
                    act = next((t for t in (s, *s.ancestors) if t.lemma_.lower() in ACT_WORDS
                                and t.pos_ in ("NOUN", "PROPN")), None)
                    if act is not None:
                        return self.act_target(act, actor_codes)
        for obj in objects:
            if obj.i in self.phrase_triggers and self.phrase_triggers[obj.i] is None:
                continue  # "voiced concern": the trigger phrase's own word
            lemma = obj.lemma_.lower()
            types = self.lex.nouns.get(lemma, ()) or self.lex.verbs.get(lemma, ())
            if types:
                for t in phrase_of(obj):
                    ref = self.actors.by_token.get(t.i)
                    if (t.dep_ in ("poss", "compound", "amod") and ref is not None and ref.code
                            and ref.code not in actor_codes):
                        return [ref], None
                return [], types[0]
            if lemma in ACT_WORDS:
                return self.act_target(obj, actor_codes)  # "with the decision"
            if obj.lower_ in ("it", "this", "that", "them"):
                return [], "weapon_test"
            if obj.lower_ == "what":
                # "condemned what he called crimes committed by Russia"
                named = [c for c in obj.head.children if c.dep_ == "oprd"]
                owners = [r for n in named for r in self._owners(n, actor_codes)]
                if owners:
                    return owners, None
        return [], None

    def target_candidates(self, trig: Token, actor_codes: set[str], etype: str | None = None
                          ) -> list[Referent]:
        slots: list[list[Token]] = []
        children = list(trig.children)
        if trig.pos_ == "VERB" and etype not in AIMED_BY_PREPOSITION and (
                trig.lemma_.lower() not in TOPICAL):  # "discussed the launch": the topic
            slots.append([c for c in children if c.dep_ in ("dobj", "iobj", "dative")])
            if any(c.dep_ == "nsubjpass" for c in children) and (
                etype in NAMED_VICTIM or any(c.dep_ == "agent" for c in children)
            ):
                slots.append([c for c in children if c.dep_ == "nsubjpass"])
            elif (etype in NAMED_VICTIM and trig.dep_ == "conj"
                  and not any(c.dep_ in SUBJECTS for c in children)):
                # "was detained ... and sentenced": the same person
                slots.append([c for c in trig.head.children if c.dep_ == "nsubjpass"])
        if etype in SPEECH_TYPES:  # before the prepositions: "At the Security Council,
            # Haley warned that the regime would be destroyed" is aimed at the regime
            # "warned that the North would pay a price", "expressed regret that Pyongyang had
            # gone ahead": aimed at the one the clause is about
            for c in children:
                if c.dep_ in ("ccomp", "acl") and not infinitive(c):
                    slots.append([t for t in c.children if t.dep_ in ("nsubj", "nsubjpass")])
                elif c.dep_ == "xcomp" and etype == "threaten":
                    # "threatened to fire missiles toward Guam", "to strike the South"
                    slots.append([t for t in c.children if t.dep_ == "dobj"])
                    slots.extend([t for t in p.children if t.dep_ == "pobj"]
                                 for p in c.children if p.dep_ == "prep"
                                 and p.lower_ in TARGET_PREPS)
                elif c.dep_ == "dobj":
                    slots.extend([t for t in g.children if t.dep_ in ("nsubj", "nsubjpass")]
                                 for g in c.children if g.dep_ in ("ccomp", "acl")
                                 and not infinitive(g))
        # a meeting's other party comes "with" it; "on the island of Sentosa" is where
        wanted = PARTNER_PREPS if symmetric(etype or "") else TARGET_PREPS
        preps = [c for c in children if c.dep_ == "prep" and c.lower_ in wanted]
        if trig.pos_ == "VERB":
            for c in children:
                if c.dep_ in ("dobj", "prt"):
                    preps.extend(p for p in c.children if p.dep_ == "prep" and
                                 p.lower_ in wanted)
        if trig.pos_ in ("NOUN", "PROPN") and trig.dep_ == "dobj" and trig.head.pos_ == "VERB":
            # "would unveil its toughest sanctions yet against the North": the parser hangs
            # the noun's preposition on its verb
            preps.extend(p for p in trig.head.children if p.dep_ == "prep"
                         and p.lower_ in wanted and p.i > trig.i)
        for p in preps:
            slots.append([t for t in p.children if t.dep_ in ("pobj", "pcomp")])
        if etype == "offer":
            # "offered to shut down Yongbyon if the United States takes corresponding
            # measures": made to the party whose act is its condition
            for c in trig.subtree:
                if (c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless")
                                              for m in c.children)
                        and (c.head.i == trig.i or (c.head.dep_ in ("xcomp", "advcl")
                                                     and infinitive(c.head)
                                                     and c.head.head.i == trig.i))):
                    slots.insert(0, [t for t in c.children if t.dep_ in SUBJECTS])
        if etype in NAMED_VICTIM and trig.pos_ == "VERB":
            # "blew up the liaison office it shared with South Korea", "destroyed South
            # Korea's office": whose property it was
            slots.extend(_owners(c) for c in children if c.dep_ in ("dobj", "nsubjpass"))
        if etype in COERCIVE or etype in NAMED_VICTIM:
            slots.insert(0, _receivers(trig))  # "Iran faces new sanctions"
            # "to station a battery in the South to guard against North Korea's missiles",
            # "to deter the North", "working on sanctions to punish North Korea": whom its
            # purpose is aimed at
            purposes = list(children)
            if trig.pos_ != "VERB" and trig.dep_ in ("dobj", "pobj"):
                verb = trig.head if trig.dep_ == "dobj" else trig.head.head
                purposes.extend(verb.children)
            for c in purposes:
                if c.dep_ in ("advcl", "xcomp") and infinitive(c):
                    slots.extend([t for t in p.children if t.dep_ == "pobj"]
                                 for p in c.children if p.dep_ == "prep"
                                 and p.lower_ == "against")
                    if c.lemma_.lower() in PURPOSE_VERBS:
                        slots.append([t for t in c.children if t.dep_ == "dobj"])
                    if c.lemma_.lower() in INFLICT_VERBS:  # "to inflict pain on North Korea"
                        slots.extend([t for t in p.children if t.dep_ == "pobj"]
                                     for h in (c, *(o for o in c.children if o.dep_ == "dobj"))
                                     for p in h.children if p.dep_ == "prep"
                                     and p.lower_ in ("on", "upon"))
        if etype == "appeal" and trig.lemma_.lower() in CONTROL_ON:
            # "called on North Korea to freeze its tests and on the United States and South
            # Korea to halt their drills": every "on" of the call
            ons = [t for t in trig.subtree if t.lower_ in ("on", "upon") and (
                t.head.i == trig.i or t.dep_ == "conj")]
            if len(ons) > 1:
                slots.insert(0, [p for t in ons for p in t.children if p.dep_ == "pobj"])
        if etype == "appeal":
            # "asked for a meeting of the Security Council": whoever is to do what is asked
            for c in children:
                if c.dep_ == "prep" and c.lower_ == "for":
                    slots.extend(of_parties(p) for p in c.children if p.dep_ == "pobj")
                    # "called for ... new Security Council sanctions": the body to act
                    slots.extend([t for t in p.subtree if t.dep_ in ("compound", "poss")
                                  and t.ent_type_]
                                 for p in c.children if p.dep_ == "pobj")
            # "met at the request of Japan": the request is made to the clause's subject
            if (trig.pos_ in ("NOUN", "PROPN") and trig.dep_ == "pobj"
                    and trig.head.lower_ in ("at", "on", "upon")
                    and trig.head.head.pos_ in ("VERB", "AUX")):
                slots.append(subject_of(trig.head.head))
        for slot in slots:
            heads = [c for head in slot for c in conjuncts(head)]
            refs = self.referents(heads, actor_codes) or [
                r for h in heads for r in self.hyphen_parties(h) if r.code not in actor_codes
            ] or ([] if symmetric(etype or "") else self._place_states(heads, actor_codes))
            if refs:
                return refs
        return []

    def _place_states(self, heads: Sequence[Token], exclude: set[str]) -> list[Referent]:
        """"threatened to fire missiles toward Guam": the state a named place belongs to."""
        out: list[Referent] = []
        for h in heads:
            for t in h.subtree:
                country = self.place_country.get(t.ent_id_) if t.ent_type_ == PLACE else None
                if country and country not in exclude and all(r.code != country for r in out):
                    out.append(Referent(t.i, t.i + 1, t.text, country, t.text, "state"))
        return out

    def weapon_of(self, trig: Token, sent: Span, etype: str, *, alone: bool = True,
                  others: frozenset[int] = frozenset()
                  ) -> tuple[str | None, tuple[str, ...], int | None]:
        """The weapon system, classes and salvo count of a test: from the trigger's phrase
        (not from another test's inside it: "follow the test with a rocket launch"), else,
        when it is the only test in its sentence, from the sentence."""
        if etype != "weapon_test":
            return None, (), None
        phrase = phrase_of(trig) if trig.pos_ != "VERB" else [
            t for c in trig.children if c.dep_ not in SUBJECTS and c.dep_ not in PHRASE_SKIP
            and c.dep_ != "conj" for t in c.subtree
        ]
        phrase = [t for t in phrase if not _inside_other(t, trig, others)]
        if trig.pos_ == "VERB" and trig.dep_ in ("relcl", "acl"):
            # "the submarine-launched missile that North Korea tested": the noun it describes
            inner = {t.i for t in trig.subtree}
            phrase += [t for t in trig.head.subtree if t.i not in inner]
        tokens = phrase or list(sent)
        systems = [t for t in tokens if t.ent_type_ == WEAPON]
        classes = [t for t in tokens if t.ent_type_ == WCLASS]
        if trig.ent_type_ == WCLASS:
            classes.append(trig)
        if not systems and not classes and alone:
            systems = [t for t in sent if t.ent_type_ == WEAPON]
            classes = [t for t in sent if t.ent_type_ == WCLASS]
            if any(t.lemma_.lower() in MISSILE_WORDS for t in phrase):
                # "fired two ballistic missiles" in a sentence about building satellites: a
                # missile is no satellite launcher
                systems = [t for t in systems if (w := self.pack.weapon(t.ent_id_)) is None
                           or set(w.classes) != {SPACE_LAUNCH}]
                classes = [t for t in classes if t.ent_id_ != SPACE_LAUNCH]
        system = systems[0].ent_id_ if systems else None
        wclass: list[str] = []
        if system is not None:
            known = self.pack.weapon(system)
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
                count = number_of(t)
                break
        return system, tuple(wclass), count

    def location_of(self, trig: Token, sent: Span) -> str | None:
        for t in sent:
            if t.ent_type_ == PLACE:
                return t.ent_id_
        return None

    def date_of(self, trig: Token, dates: Sequence[DateRef], *, spoken: bool = False,
                guess: bool = True) -> DateRef | None:
        """The date of the trigger's own clause, the one closest to it in the parse ("fired
        on Sept. 25, around drills held from Sept. 26": the firing's is Sept. 25); else the
        nearest date of a clause governing it ("said on Monday it had fired"). A date in a
        clause beside or below the trigger's ("talks, which last met in 2008") is not its.
        ``spoken``: the event is the saying itself ("said on Monday it will respond": a
        threat made on Monday). ``guess``: whether another clause's date may stand in; for
        an act that may or may not come, only a conjoined verb's ("could test, or try to
        launch, in 2018"), not another clause's ("fears it is about to test as the party
        prepares to meet in early May": the meeting's date, not the test's)."""
        home = clause_verb(trig)
        office = self._in_office_date(home)
        if office is not None:
            return office
        if not dates:
            return None
        when = self._when_date(home, dates)
        if when is not None:
            return when
        above = {t.i for t in home.ancestors}
        mine = {trig.i, *(t.i for t in trig.ancestors)}
        own: list[tuple[int, int, DateRef]] = []
        governing: list[tuple[int, int, DateRef]] = []
        beside: list[tuple[int, int, DateRef]] = []
        reports: set[int] = set()  # governing dates of a report ("KCNA reported on Friday")
        for d in dates:
            distance = min(abs(trig.i - d.start_tok), abs(trig.i - d.end_tok))
            root = trig.doc[d.start_tok:d.end_tok].root
            verb = clause_verb(root)
            if verb.i == home.i and _report_date_misattached(d, home, self.lex.cues.report):
                verb = home.head  # "said on Thursday it had detained": the saying's date
            if verb.i == home.i:
                own.append((hops(root, trig, home), distance, d))
            elif verb.head.i == trig.i and (verb.dep_ == "acl" or (
                    verb.dep_ == "relcl" and relative_object(verb))):
                # "drills planned for August", "drills that the carrier held from Sept. 26"
                own.append((1, distance, d))
            elif verb.i in above:
                governing.append((0, distance, d))
                if verb.lemma_.lower() in self.lex.cues.report:
                    reports.add(id(d))
            elif _describes_own_phrase(verb, home):
                # "In a statement carried by KCNA on Tuesday, he said": the date of a phrase
                # of the clause itself
                own.append((hops(root, trig, home) + 2, distance, d))
            elif home.lemma_.lower() in self.lex.cues.report and _reported_below(verb, home):
                continue  # what the clause reports: "said the satellite would go up in June"
            elif ((guess or verb in home.conjuncts)  # "could test, or try to ..., in 2018"
                  and not any(t.dep_ in ("relcl", "acl") for t in (root, *root.ancestors)
                              if t.i not in mine)):
                beside.append((0, distance, d))  # a coordinated clause's: a weak guess
        if _sequenced(trig):
            # the date of the act it came before or after is not its own
            inside = {t.i for t in trig.subtree}
            own = [x for x in own if trig.doc[x[2].start_tok:x[2].end_tok].root.i in inside]
            governing = beside = []
        if not guess and not spoken:
            # "A warned on Tuesday ..., and B said it would ...": the date of a clause the
            # parser hangs above this one only through coordination is another clause's
            governing = [x for x in governing if not _through_coordination(home, x[2])]
        pool = own or governing or beside
        if not pool:
            return None
        found = min(pool, key=lambda x: (x[0], x[1]))[2]
        if (not own and governing and not spoken
                and home.lemma_.lower() not in self.lex.cues.report
                and found.granularity == "day" and trig.pos_ in ("NOUN", "PROPN", "VERB")
                and id(found) in reports):
            # "watched a launch ..., KCNA reported on Friday": what is reported came on the
            # day of the report or shortly before; "said on Friday it had detained": before
            # it, by how much the sentence does not say
            lag = BACKGROUND_DAYS if _past_perfect(home) else REPORT_LAG_DAYS
            return DateRef(found.start_tok, found.end_tok, found.text,
                           found.start - timedelta(days=lag), found.end, "interval", found.group)
        return found

    # --- the whole sentence -----------------------------------------------------------

    def find(self, sent: Span, dates: Sequence[DateRef], *, back_references: bool = False
             ) -> list[RawEvent]:
        events: list[RawEvent] = []
        triggers = self.triggers(sent, back_references=back_references)
        test_triggers = frozenset(t.i for t, k in triggers if k == "weapon_test")
        tests = len(test_triggers)
        doers: dict[tuple[int, str], list[Referent]] = {}  # trigger -> who does it
        for trig, etype in triggers:
            if etype == "agreement" and (ended := self._conflict_ended(trig)) is not None:
                events.extend(self._truce(trig, sent, *ended))
                continue
            posers: list[Referent] = []
            named = self.characterised(trig)
            if named is not None:
                verb, _ = named
                if any(t.i == verb.i for t, _ in triggers):
                    continue  # "denounced the test as a threat": the denunciation says it
                etype = self._characterisation_type(trig, etype, verb)
                actors = self._subjects_with_outlets(verb)
            else:
                actors, _ = self.actor_candidates(trig, etype)
                # (a noun the clause's verb carries: "they would open formal talks")
                verb = trig if trig.pos_ == "VERB" or trig.dep_ != "dobj" else trig.head
                if any(h.lower_ == "they" for h in subject_of(verb)):
                    # "Seoul and Washington said they had decided to station ...": the
                    # parties that say it
                    actors = self._reporting_parties(verb) or actors
                if symmetric(etype) and len(actors) < 2 and any(
                        h.lower_ == "they" for h in subject_of(verb)):
                    # "Abe said he had spoken to Trump and that they had agreed": both
                    actors = self._last_named(trig, 2) or actors
            actors = [a for a in actors
                      if self.can_act(a, etype) and not self.actors.is_expert(a)]
            if etype == "statement" and trig.pos_ == "VERB" and any(
                    t.lemma_.lower() in HOSTILITY for c in trig.children
                    if c.dep_ == "prep" and c.lower_ == "as" for t in c.subtree):
                etype = "accuse"  # "denounced the drills as a rehearsal for invasion"
            if trig.lemma_.lower() in JOINT_ONLY.get(etype, ()) and len(actors) < 2:
                continue  # one party deciding is no agreement; two deciding together are
            if not actors and trig.pos_ == "VERB" and trig.dep_ in ("conj", "ROOT"):
                # "a year in which Pyongyang tested three ICBMs, sent two missiles over Japan
                # and set off its largest blast": the parser hangs the later verbs of a list
                # on the main clause; a verb whose own subject cannot do it shares the doer of
                # the same kind of verb between that subject and it.
                own = max((c.i for c in trig.children if c.dep_ in SUBJECTS), default=-1)
                actors = next((doers[k] for k in sorted(doers, reverse=True)
                               if k[1] == etype and own < k[0] < trig.i), [])
            doers[(trig.i, etype)] = actors
            about: Token | None = None
            sources = [t for t in _threat_sources(trig)
                       if self.actors.referent_in(t) is not None] if etype == "threaten" else []
            if sources or (etype == "statement" and trig.lemma_.lower() in ASSESSMENTS):
                # "he said Iran's and Syria's programmes posed threats", "Abe said the threat
                # from Pyongyang had entered a new stage": the speaker's assessment of whoever
                # poses the danger; with no speaker, the writer's own
                speakers = self._speakers(clause_verb(trig))
                if not speakers:
                    continue
                etype = "statement"
                posers = self.referents(sources or subject_of(trig))
                actors = speakers
            if not actors and etype == "coerce":
                # "an American student was detained in Iran": the state where it happened;
                # "police arrested ..." in a KUALA LUMPUR story: the dateline's police
                actors = self._where_held(trig) or self._home_authorities(trig)
            if not actors and etype in CHARGES:
                # "Abe said the launch plainly violated U.N. resolutions": the charge is the
                # speaker's, aimed at whoever made the launch (not "said an appeal was
                # certain": an appeal, offer or refusal is made, not said of an act).
                actors, about = self.reported_comment(trig)
            actor_codes = {a.code for a in actors if a.code}
            targets = self.target_candidates(trig, actor_codes, etype)
            if etype == "threaten" and _vows_never_to_yield(trig):
                etype = "reject"  # "vowed it would never abandon its nuclear programme"
            if etype == "weapon_test" and _aimed_at(trig, targets):
                etype = "military_action"  # "to fire missiles at Guam": a strike, not a test
            elif etype == "weapon_test" and _shown_force(trig) is not None:
                etype = "military_exercise"  # "fired missiles into the sea in a show of force"
            elif etype == "military_action" and any(
                    (shown := _shown_force(t)) is not None and shown.i == trig.i
                    for t, k in triggers if k == "weapon_test"):
                continue  # the drill it was fired in says it
            if posers:
                targets = [r for r in posers if r.code not in actor_codes]
            reacts_to = None
            if named is not None and not targets:
                # "called the launch a stern warning to the U.S.": to whom, else whose act
                targets = self.referents(
                    [q for c in named[0].children if c.dep_ == "prep" and c.lower_ == "to"
                     for p in c.children if p.dep_ == "pobj" for q in conjuncts(p)],
                    actor_codes)
                if not targets and named[1] is not None:
                    targets, reacts_to = self.act_target(named[1], actor_codes)
            if about is not None:
                targets, reacts_to = self.act_target(about, actor_codes)
            if not targets and reacts_to is None:
                targets, reacts_to = self.reaction_target(trig, etype, actor_codes)
            if (etype == "threaten" and trig.lemma_.lower() == "warn" and targets
                    and self._warns_of_their_act(trig, triggers, {t.code for t in targets})):
                continue  # "warned that Iran could carry out a test": a forecast, no threat
            if symmetric(etype) and self.forum_parties(trig):
                targets = []  # "six-party talks between the two Koreas, China, ...": the two
            if not targets and symmetric(etype) and len(actors) < 2:
                targets = self._asker(trig, actor_codes)
            if (not targets and symmetric(etype) and len(actors) < 2
                    and (etype, trig.lemma_.lower()) in self.lex.particles):
                continue  # "spoke to Trump" is a call; "spoke to the media" is not
            if not targets and symmetric(etype) and self._own_body(trig, actor_codes):
                continue  # "an emergency meeting of his security advisers": a state's own
            if etype == "offer" and self._signed_content(trig):
                continue  # "signed a statement in which Kim pledged to ...": the agreement
            if (not targets and reacts_to is None and actor_codes and not symmetric(etype)
                    and etype not in AIMED_BY_PREPOSITION and self._aimed_at_own(trig,
                                                                               actor_codes)):
                continue  # "should increase its outreach to Congress": a state's own affair
            pairs = self._pairs(etype, actors, targets)
            modality = modality_of(trig, self.lex.cues)
            if etype == "statement" and self._no_comment(trig):
                modality = "negated"
                if not targets and reacts_to is None:
                    reacts_to = LAST_ACT  # no reaction to the news just reported
            if (modality == "asserted" and etype not in FORCE_TYPES
                    and _attempted(clause_verb(trig))):
                # "tried to reach an agreement": wanted, not done (a launch tried is a launch)
                modality = "desired"
            if (modality != "negated" and etype in ASKED_FOR and not of_parties(trig)
                    and any(k in ASKING_TYPES and _asks_for(t, trig) for t, k in triggers)):
                continue  # (not "asked for a meeting of the Security Council": the body meets)
            hit = self.phrase_triggers.get(trig.i)
            spoken = ((etype == "threaten" and modality == "intended")
                      # "said his government could never accept the test": a stance taken
                      or (etype == "statement" and hit is not None and hit.negated
                          and modality in ("intended", "hypothetical"))
                      ) and self._told(clause_verb(trig))
            if spoken:
                # "said it will take a physical response": the saying is the threat, made
                modality = "asserted"
            if modality == "negated" and hit is not None and hit.negated:
                modality = "asserted"  # the negation is the event: a refusal
            system, wclass, count = self.weapon_of(trig, sent, etype, alone=tests == 1,
                                                   others=test_triggers)
            span = sent.doc[min(t.i for t in trig.subtree):max(t.i for t in trig.subtree) + 1]
            if span.start < sent.start or span.end > sent.end:
                span = sent
            date = self.date_of(trig, dates, spoken=spoken,
                                guess=modality in ("asserted", "negated"))
            if date is not None and weighed_plan(trig) is not None and not (
                    trig.left_edge.i <= date.start_tok <= trig.right_edge.i):
                date = None  # "said on Tuesday it was studying a plan to strike": no time
            if date is not None and _ranked_since(trig, date):
                date = None  # "the first summit since 2007": 2007 dates the record, not this
            # "fired missiles on May 4 and May 9": one test per date
            when: list[DateRef | None] = [date]
            if date is not None and etype in DISCRETE_TYPES:
                when = list(date_list(date, dates))
            elif date is not None and symmetric(etype):
                listed = date_list(date, dates)  # "talks on April 27 and May 26", not days
                if all((b.start - a.end).days > 1 for a, b in pairwise(listed)):
                    when = list(listed)
            # "tested three ICBMs" in a year: three tests; "fired four missiles" on a day is
            # one salvo
            copies = 1
            if (etype == "weapon_test" and count and count > 1 and date is not None
                    and (date.end - date.start).days > 7):
                copies = min(count, 6)
            stance = self.lex.stances.get(trig.lemma_.lower()) if etype == "statement" else None
            location = self.location_of(trig, sent)
            for (a, tg), date, k in ((p, d, k) for p in pairs for d in when
                                     for k in range(copies)):
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
                        location=location,
                        stance=stance,
                        date=date,
                        participants=tuple(r.name for r in (a, tg)
                                           if r is not None and r.kind == "person"),
                        extras={**({REACTED_EVENT: reacts_to} if reacts_to else {}),
                                **({ANOTHER: "1"} if k or self._another(trig) else {}),
                                **({TALLY: "1"} if _tally(trig, date) else {}),
                                **({BEGUN: "1"} if _state_begun(trig) else {}),
                                **({UNKNOWN_DOER: "1"} if not actors
                                   and self._named_doer(trig, etype) else {})},
                    )
                )
        events.extend(self.announced_threats(events, dates))
        events.extend(self.ordered_force(sent, dates))
        events.extend(self.concessions(events, dates))
        events.extend(self.earlier_events(sent, dates))
        said = self.comments(sent, triggers)
        for kind, clause, speakers, targets, reacts_to in [*said,
                                                            *self.epithets(sent, triggers)]:
            span = sent.doc[clause.left_edge.i:clause.right_edge.i + 1]
            for a, tg in self._pairs(kind, speakers, targets):
                events.append(RawEvent(
                    type=kind, actor=a.code if a else None,
                    target=tg.code if tg else None, modality="asserted", trigger=clause,
                    span=span, date=self.date_of(self._speech_verb(clause), dates),
                    confidence=0.6,
                    participants=tuple(r.name for r in (a, tg)
                                       if r is not None and r.kind == "person"),
                    extras={REACTED_EVENT: reacts_to} if reacts_to else {}))
        self._share_targets(events)
        # "threatened to answer with a pre-emptive strike": one threat, told by the verb
        events = [e for e in events if not (e.type == "threaten" and any(
            f.type == e.type and (f.actor, f.target) == (e.actor, e.target)
            and f.trigger.i != e.trigger.i and f.modality == e.modality
            and any(a.i == f.trigger.i for a in e.trigger.ancestors) for f in events))]
        # ("'We will try again,' Moon said of the talks": a retry by no tester is none)
        events = [e for e in events if not (
            e.type == "weapon_test" and _retried(e.trigger) and e.actor not in self.testers)]
        self.testers |= {e.actor for e in events if e.type == "weapon_test"
                         and e.modality == "asserted" and e.actor is not None}
        return events

    def _share_targets(self, found: list[RawEvent]) -> None:
        """Threats and charges that name no target take one from the sentence: a warning
        that sanctions are coming is aimed at whom the sanctions are ("warned that the
        United States was working on sanctions to punish North Korea"); a threat joined to a
        charge shares its aim ("called the drills war moves and threatened to respond")."""
        for e in list(found):
            if e.type != "threaten" or e.actor is None:
                continue
            trig = e.trigger
            outer = next((f for f in found if f is not e and f.type == e.type
                          and f.actor == e.actor
                          and any(a.i == f.trigger.i for a in trig.ancestors)), None)
            if outer is not None and e.date is None:
                e.date = outer.date  # "threatened on Monday to answer with a strike": one
            held = [] if e.target is not None else sorted(
                {f.actor for f in found if f.type in FORCE_TYPES and f.actor not in (None, e.actor)
                 and f.trigger.i == _relative_antecedent(trig)}, key=str)
            if held:
                # "the drills, which began on Monday and which the North threatened to answer
                # with a strike": aimed at whoever holds them
                e.target = held[0]
                found.extend(replace(e, target=t, extras=dict(e.extras)) for t in held[1:])
                continue
            inner = [f for f in found if f.type in COERCIVE and f.target is not None
                     and f.target != e.actor and f.trigger.i != trig.i
                     and any(a.i == trig.i for a in f.trigger.ancestors)
                     and any(c.dep_ == "ccomp" and c.i <= f.trigger.i <= c.right_edge.i
                             for c in trig.children)]
            if inner:
                e.target = inner[0].target
                continue
            if e.target is None and REACTED_EVENT not in e.extras and outer is not None and (
                    outer.target is not None or REACTED_EVENT in outer.extras):
                # "threatened to answer with a full-scale attack": the same threat
                e.target = outer.target
                if REACTED_EVENT in outer.extras:
                    e.extras[REACTED_EVENT] = outer.extras[REACTED_EVENT]
                continue
            if e.target is None and trig.dep_ == "conj":
                sibling = next((f for f in found if f is not e and f.actor == e.actor
                                and f.type in ("accuse", "statement")
                                and (f.trigger.i == trig.head.i
                                     or any(a.i == trig.head.i for a in f.trigger.ancestors))),
                               None)
                if sibling is not None:
                    e.target = sibling.target
                    if REACTED_EVENT in sibling.extras:
                        e.extras[REACTED_EVENT] = sibling.extras[REACTED_EVENT]

    def announced_threats(self, found: Sequence[RawEvent], dates: Sequence[DateRef]
                          ) -> list[RawEvent]:
        """A party announcing its own coming sanctions against another threatens it (CAMEO
        13): "Pence said the United States would soon unveil its toughest
        sanctions yet against the North", "Seoul said it would take every step, including
        sanctions". So does one weighing a plan of force ("said it was studying a plan to
        fire missiles at Guam", CAMEO 138). Not when the verb of saying is itself a threat
        ("warned it would ..."), and not for force merely announced, which a party may
        announce in defence ("would deploy interceptors to guard against ...")."""
        out: list[RawEvent] = []
        for e in found:
            # (a plan to deploy a missile shield is defence, not a threat)
            weighing = (weighed_plan(e.trigger) if e.type == "military_action"
                        and e.trigger.lemma_.lower() not in DEPLOYING else None)
            if e.actor is None or not (
                    (e.type == "sanction" and e.modality == "intended" and e.target is not None)
                    or weighing is not None):
                continue
            verb = e.trigger if weighing is None else weighing
            while verb.head.i != verb.i and verb.dep_ not in ("ccomp",):
                verb = verb.head
            say = verb.head
            if verb.dep_ != "ccomp" or say.lemma_.lower() not in self.lex.cues.report:
                if weighing is None:
                    continue
                say = weighing  # "North Korea is studying a plan to ...": its own word
                speakers = {r.code for r in self.referents(subject_of(weighing))}
            else:
                speakers = {r.code for r in self._speakers(verb)}
            if e.actor not in speakers or "threaten" in self.lex.verbs.get(
                    say.lemma_.lower(), ()):
                continue
            out.append(RawEvent(
                type="threaten", actor=e.actor, target=e.target, modality="asserted",
                trigger=say, span=e.span, confidence=0.6, participants=e.participants,
                # ("said on Tuesday it was studying a plan": the parser may hang the day on
                # the studying)
                date=self.date_of(say, dates) or (
                    self.date_of(weighing, dates, spoken=True) if weighing is not None
                    else None)))
        return out

    def ordered_force(self, sent: Span, dates: Sequence[DateRef]) -> list[RawEvent]:
        """A leader's orders to make ready for force, made public, threaten whom the force
        is for (CAMEO 138): "Kim's instructions to fight South Korea and the United States",
        "ordered his country to be ready to use nuclear weapons". Not an order carried out
        ("ordered strikes on the base"): that is the strike."""
        out: list[RawEvent] = []
        for tok in sent:
            if tok.lemma_.lower() not in ORDERING:
                continue
            force = _ordered_force(tok)
            if force is None or modality_of(tok, self.lex.cues) in ("negated", "desired",
                                                                   "hypothetical"):
                continue  # ("did not order the army to be ready ...")
            givers = ([c for c in tok.children if c.dep_ == "poss"] if tok.pos_ == "NOUN"
                      else subject_of(tok))
            actors = self.referents(givers)
            codes = {a.code for a in actors if a.code}
            targets = self.referents(
                [t for c in force.children if c.dep_ == "dobj" for t in conjuncts(c)]
                + [t for c in force.children if c.dep_ == "prep"
                   and c.lower_ in ("against", "on", "at") for p in c.children
                   if p.dep_ == "pobj" for t in conjuncts(p)], codes)
            for a, tg in self._pairs("threaten", actors, targets):
                out.append(RawEvent(
                    type="threaten", actor=a.code if a else None,
                    target=tg.code if tg else None, modality="asserted", trigger=tok,
                    span=sent.doc[tok.left_edge.i:max(tok.right_edge.i, force.right_edge.i) + 1],
                    date=self.date_of(tok, dates, spoken=True), confidence=0.6,
                    participants=tuple(r.name for r in (a, tg)
                                       if r is not None and r.kind == "person")))
        return out

    def concessions(self, found: Sequence[RawEvent], dates: Sequence[DateRef]
                    ) -> list[RawEvent]:
        """A party halting its own tests or drills makes a conciliatory gesture (CAMEO 087,
        de-escalation): "said it would halt its joint exercises", "decided to discontinue
        nuclear tests". The halted acts are negated; the halt itself is the news. Not when
        the halt is asked for ("urged it to suspend its tests": the appeal is the event) or
        forced on the party ("storms forced it to halt its drills")."""
        out: list[RawEvent] = []
        seen: set[tuple[int, str | None]] = set()
        for e in found:
            if e.type not in ("weapon_test", "military_exercise") or e.modality != "negated":
                continue
            noun = e.trigger
            while noun.dep_ == "conj" and noun.head.i != noun.i:
                noun = noun.head
            halt = noun.head
            if (noun.dep_ != "dobj" or halt.pos_ != "VERB"
                    or halt.lemma_.lower() not in self.lex.cues.cessation):
                continue
            control = halt
            while control.dep_ in ("xcomp", "conj") and control.head.i != control.i:
                control = control.head  # "decided to discontinue", "said it would halt"
            if control.i != halt.i and any(c.dep_ == "dobj" for c in control.children):
                continue  # "forced Seoul to halt its drills", "urged it to stop"
            doers = {r.code for r in self.referents(
                [t for h in subject_of(control) for t in h.subtree])}
            if e.actor not in doers and not (e.actor is None and not doers
                                             and UNKNOWN_DOER not in e.extras):
                continue  # (a state's organ deciding: the state, once the act has its doer)
            modality = modality_of(halt, self.lex.cues)
            if modality in ("desired", "negated") or (halt.i, e.actor) in seen:
                continue
            seen.add((halt.i, e.actor))
            spoken = modality == "intended" or self._told(halt)
            out.append(RawEvent(
                type="outreach", actor=e.actor, target=None,
                modality="asserted" if modality == "intended" else modality, trigger=halt,
                span=e.span, date=self.date_of(halt, dates, spoken=spoken), confidence=0.6,
                participants=e.participants, extras={HALTED: str(e.trigger.i)}))
        return out

    def earlier_events(self, sent: Span, dates: Sequence[DateRef]) -> list[RawEvent]:
        """Earlier events an event is counted after: "It was the third launch this year,
        after a Hwasong-15 on Feb. 18 and a Hwasong-17 on March 16", "the second nuclear test
        this year, after one on Jan. 6", "the fourth sanctions resolution of the year, after
        measures adopted on June 2, Aug. 5 and Sept. 11". Each dated weapon, "one" or
        measure in the "after" phrase is an event of its own of the counted type, by the
        same doer."""
        found: list[RawEvent] = []
        for prep in sent:
            if prep.dep_ != "prep" or prep.lower_ not in ("after", "following"):
                continue
            clause = prep.head
            counted = [(t, types[0]) for t in (clause, *clause.children)
                       if (types := (self.lex.verbs.get(t.lemma_.lower(), ())
                                     if t.pos_ == "VERB" else
                                     self.lex.nouns.get(t.lemma_.lower(), ())))]
            heads = [c for c in prep.children if c.dep_ == "pobj"]
            if not counted or not heads:
                continue
            trig, etype = counted[-1]
            head = heads[0]
            left, right = head.left_edge.i, head.right_edge.i
            for c in clause.children:
                # "after a KN-23 on March 2 and a KN-25 on April 9": the parser may hang the
                # second weapon of the list on the clause
                if (c.dep_ == "conj" and c.i > right and c.ent_type_ == WEAPON and all(
                        t.lower_ in (",", "and", "or") for t in sent.doc[right + 1:c.left_edge.i])):
                    right = c.right_edge.i
            when = [d for d in dates if left <= d.start_tok and d.end_tok - 1 <= right]
            weapons = [t for t in sent.doc[left:right + 1] if t.ent_type_ == WEAPON
                       and (t.i + 1 >= len(t.doc) or t.doc[t.i + 1].ent_type_ != WEAPON)]
            if etype != "weapon_test":
                weapons = []
            lemma = head.lemma_.lower()
            if not when or not (weapons or lemma in COUNTED_WORDS
                                or etype in self.lex.nouns.get(lemma, ())):
                continue
            # the doer the counted event names ("the North's third launch"); "It was ..." is
            # the event itself, not a doer: else filled in later from the article
            actors = [a for a in self.referents([c for c in trig.children
                                                 if c.dep_ == "poss"])
                      if self.can_act(a, etype)]
            system, wclass, _ = self.weapon_of(trig, sent, etype, alone=False)
            if weapons and len(weapons) == len(when):
                named: list[tuple[Token, DateRef]] = list(zip(weapons, when, strict=True))
            elif weapons:
                named = [(w, when[0]) for w in weapons]
            else:
                named = [(head, d) for d in when]
            for tok, day in named:
                own = tok.ent_id_ if tok.ent_type_ == WEAPON else system
                known = self.pack.weapon(own) if own else None
                found.append(RawEvent(
                    type=etype, actor=actors[0].code if actors else None, target=None,
                    modality="asserted", trigger=tok, span=sent.doc[left:right + 1],
                    weapon=own, weapon_class=known.classes if known else wclass, date=day,
                    confidence=0.6, extras={EARLIER: "1"}))
        return found


T = TypeVar("T")


def _name_ending_at(tok: Token, names: Mapping[str, T], reach: int) -> tuple[int, T] | None:
    """The longest name of a pack table (keys in lower case) that ends at tok, starting at
    most reach tokens before it in its sentence, with its first token: "the 1950-53 Korean
    War", "the six-party talks"."""
    doc = tok.doc
    for k in range(max(tok.sent.start, tok.i - reach), tok.i + 1):
        value = names.get(doc[k:tok.i + 1].text.lower())
        if value is not None:
            return k, value
    return None


def _ordered_force(order: Token) -> Token | None:
    """The force an order makes ready for: "instructions to fight X" (an order told as a
    noun), "ordered his country to be ready to use nuclear weapons" (readiness ordered)."""
    chain = [order]
    ready = order.pos_ == "NOUN"
    while chain:
        tok = chain.pop()
        for c in tok.children:
            if c.dep_ not in ("xcomp", "acl", "acomp", "ccomp"):
                continue
            lemma = c.lemma_.lower()
            ready = ready or lemma in READINESS
            if c.pos_ == "VERB" and lemma in FORCE_VERBS and ready and (
                    lemma != "use" or any(o.dep_ == "dobj" and (
                        o.ent_type_ in (WEAPON, WCLASS) or o.lemma_.lower() in ARMS)
                        for o in c.children)):
                return c
            chain.append(c)
    return None


def _retried(tok: Token) -> bool:
    """Whether a word names one more try at what was just reported ("its previous attempt
    failed", "four earlier attempts", "will try again"), not a try at something it names
    ("an attempt to win a seat", "an assassination attempt", "tried again to reach a deal")."""
    if tok.pos_ == "VERB" and tok.lemma_.lower() in RETRYING:
        return any(c.dep_ == "advmod" and c.lower_ == "again" for c in tok.children) and not any(
            c.dep_ in ("xcomp", "dobj", "ccomp") for c in tok.children)
    # ("Seoul's diplomatic attempts", "a new attempt": no word says it is the one before)
    return tok.pos_ == "NOUN" and tok.lemma_.lower() in RETRYING and not any(
        c.dep_ in ("acl", "relcl", "compound", "nmod")
        or (c.dep_ == "prep" and c.lower_ in ("at", "on", "by", "to"))
        or (c.dep_ == "amod" and c.lower_ not in RETRY_WORDS)
        for c in tok.children if c.ent_type_ not in (WEAPON, WCLASS))


def _relative_antecedent(trig: Token) -> int:
    """The token index of the noun a relative clause holding a trigger describes ("the
    drills, which the North threatened to answer": drills), even where the parser joins the
    clause elsewhere ("..., which began on Monday and which the North threatened ..."); -1
    for none."""
    verb = clause_verb(trig)
    while verb.dep_ == "xcomp" and verb.head.i != verb.i:
        verb = verb.head  # "threatened to answer": the threatening clause
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    if not subjects or subjects[0].left_edge.i == 0:
        return -1
    pronoun = trig.doc[subjects[0].left_edge.i - 1]
    if pronoun.lower_ not in ("which", "that"):
        return -1
    clause = pronoun.head
    while clause.dep_ == "conj" and clause.head.i != clause.i:
        clause = clause.head  # "which began ... and which the North threatened ..."
    return clause.head.i if clause.dep_ == "relcl" else -1


def _through_coordination(home: Token, d: DateRef) -> bool:
    """Whether a date governs a clause only through a coordinated clause above it with a
    subject of its own ("A warned on Tuesday ..., and B said", not "accused him last week
    and said")."""
    verb = clause_verb(home.doc[d.start_tok:d.end_tok].root)
    tok = home
    while tok.i != verb.i and tok.head.i != tok.i:
        if tok.dep_ == "conj" and any(c.dep_ in SUBJECTS for c in tok.children):
            return True
        tok = tok.head
    return False


def _words_before(noun: Token) -> list[Token]:
    """The actor names and their joining words standing right before a noun ("U.S. and
    South Korean" troops), whatever the parser hung them on."""
    out: list[Token] = []
    for t in reversed(noun.doc[max(0, noun.i - 8):noun.i]):
        if t.head.i == noun.i:
            return []  # what the parser hung on the noun was read already ("the Hanoi summit")
        if t.ent_type_ == ACTOR or (t.lower_ == "and" and out):
            out.append(t)
        else:
            break
    return out


LAG_UNITS = {"day": 1, "week": 7}


def lag_after(trig: Token) -> tuple[Token, int, Span] | None:
    """"came five days after the North fired a missile": the verb of the clause the act is
    dated from (came), the days from that clause's date to the act's (negative for an act
    before it: -5 here; positive for "came two weeks before the summit opened"), and the
    words that say so ("five days after")."""
    clause = clause_verb(trig)
    if clause.dep_ != "advcl" or clause.head.i == clause.i:
        return None
    mark = next((c for c in clause.children if c.dep_ == "mark"
                 and c.lower_ in ("after", "before")), None)
    if mark is None:
        return None
    for c in (*clause.children, *mark.children):
        if c.dep_ == "npadvmod" and c.lemma_.lower() in LAG_UNITS:
            n = next((number_of(m) for m in c.children if m.dep_ == "nummod"), None)
            if n is None and any(m.lower_ in ("a", "one") for m in c.children):
                n = 1
            if n is not None:
                days = n * LAG_UNITS[c.lemma_.lower()]
                words = trig.doc[min(c.left_edge.i, mark.i):max(c.right_edge.i, mark.i) + 1]
                return clause.head, (-days if mark.lower_ == "after" else days), words
    return None


def _threat_sources(threat: Token) -> list[Token]:
    """Who a danger spoken of comes from ("the threat from Pyongyang has entered a new
    stage"): a standing threat assessed, not one made."""
    if threat.pos_ != "NOUN" or threat.lemma_.lower() != "threat":
        return []
    return [q for c in threat.children if c.dep_ == "prep" and c.lower_ in ("from", "of")
            for p in c.children if p.dep_ == "pobj" for q in conjuncts(p)]


def _vows_never_to_yield(vow: Token) -> bool:
    """Whether a vow is a refusal to give something up ("vowed that the country would never
    abandon its nuclear programme", "vowed not to give up its weapons"): a demand rejected."""
    if vow.pos_ != "VERB":
        return False
    for c in vow.children:
        if c.dep_ in ("ccomp", "xcomp") and c.lemma_.lower() in YIELDING and (
                c.lemma_.lower() != "give" or any(p.dep_ == "prt" and p.lower_ == "up"
                                                  for p in c.children)):
            return any(n.dep_ == "neg" for n in c.children)
    return False


def _shown_force(verb: Token) -> Token | None:
    """The "show" of "fired missiles in a show of force", if a launch was one: a drill."""
    if verb.pos_ != "VERB":
        return None
    return next((p for c in verb.children if c.dep_ == "prep" and c.lower_ in ("in", "as")
                 for p in c.children if p.dep_ == "pobj" and p.lemma_.lower() == "show"
                 and any(o.lower_ == "of" and any(f.lemma_.lower() == "force" for f in o.children)
                         for o in p.children)), None)


def _aimed_at(verb: Token, targets: Sequence[Referent]) -> bool:
    """Whether a launch is aimed at a party's ground ("fire missiles at the waters around
    Guam", "fired rockets at a U.S. base"), not made at a time or at one's own site."""
    return verb.pos_ == "VERB" and any(
        at.left_edge.i <= r.start <= at.right_edge.i for at in verb.children
        if at.dep_ == "prep" and at.lower_ == "at" for r in targets)


def _holds_people(verb: Token) -> bool:
    """"holding three U.S. citizens", "holding him": people held, not talks or drills."""
    return any(c.dep_ == "dobj" and (c.lower_ in ("him", "her", "them")
                                     or c.ent_type_ == "PERSON"
                                     or c.lemma_.lower() in CAPTIVES)
               for c in verb.children)


def _lasting(noun: Token) -> bool:
    """"seven weeks of talks": talks that took that long."""
    return (noun.dep_ == "pobj" and noun.head.lower_ == "of"
            and noun.head.head.lemma_.lower() in TIME_UNITS)


def _spent_in_talks(noun: Token) -> list[Token]:
    """"drafted by the United States and China over seven weeks of talks": who spent the
    time in the talks, the doers of the clause the time phrase belongs to."""
    if not _lasting(noun):
        return []
    span = noun.head.head
    if span.dep_ != "pobj" or span.head.dep_ != "prep" or span.head.head.pos_ != "VERB":
        return []
    return [c for h in subject_of(span.head.head) for c in conjuncts(h)]


def _opened_on_a_subject(noun: Token) -> bool:
    """Talks opened on a subject are negotiations begun: "opened formal talks on deploying
    the system", "began talks over the text"."""
    return (noun.dep_ in ("dobj", "nsubjpass") and noun.head.lemma_.lower() in OPENING_VERBS
            and any(c.dep_ == "prep" and c.lower_ in ("on", "over", "about")
                    for c in noun.children))


def _asks_for(asking: Token, trig: Token) -> bool:
    """Whether a trigger stands in what an appeal or offer asks for or proposes ("urged
    Pyongyang to resume talks"), not in its subject ("China and Russia, whose leaders met,
    called on ...") or in a clause joined to it ("offered to close the site, and agreed to
    visit Seoul"), nor in a clause of its own ("a return to the talks, which last met in
    2008")."""
    tok = trig
    while tok.i != asking.i:
        if (tok.head.i == tok.i or tok.dep_ in SUBJECTS
                or tok.dep_ in ("conj", "relcl", "advcl", "parataxis")):
            return False
        tok = tok.head
    return True


def _modified_head(tok: Token, trig: Token, names_object: Callable[[Token], bool]) -> bool:
    """Whether a word naming a weapon stands for one: not when it only modifies some other
    thing ("anti-ballistic missile forces", "missile defence battery", "nuclear weapons
    programme"), unless that thing is the trigger ("nuclear test") or a weapon itself."""
    while tok.dep_ in ("compound", "amod", "nmod") and tok.head.i != tok.i:
        tok = tok.head
        if tok.i == trig.i:
            return True
    return names_object(tok)


def _names_its_object(verb: Token) -> bool:
    """Whether a verb puts a name on its object ("called the drills a rehearsal",
    "denounced the test as a threat")."""
    return any(c.dep_ == "oprd" for c in verb.children) or (
        verb.lemma_.lower() in CALLING_VERBS and any(
            c.dep_ == "prep" and c.lower_ == "as" for c in verb.children))


def _in_epithet(tok: Token) -> bool:
    """Whether a word lies inside a name put on something ("called the drills preparations
    for invasion"): the invasion is no event."""
    for t in tok.ancestors:
        if t.pos_ in ("VERB", "AUX"):
            return False
        if t.dep_ == "oprd" or (t.dep_ == "pobj" and t.head.lower_ == "as"
                                and t.head.head.lemma_.lower() in CALLING_VERBS):
            return True
    return False


def _ranked_since(trig: Token, date: DateRef) -> bool:
    """Whether the date is the "since" of a record the trigger is ranked in ("the first
    inter-Korean summit since 2007")."""
    doc = trig.doc
    since = any(doc[i].lower_ == "since" for i in range(max(0, date.start_tok - 1),
                                                         min(len(doc), date.end_tok)))
    if date.start_tok <= clause_verb(trig).head.i < date.end_tok:
        return False  # "since January, when it conducted its fourth test": the test's date
    return since and any(c.dep_ == "amod" and c.lower_ in RANKS for c in trig.children)


def _inside_other(tok: Token, trig: Token, others: frozenset[int]) -> bool:
    """Whether tok belongs to another trigger's phrase nested under trig."""
    for t in (tok, *tok.ancestors):
        if t.i == trig.i:
            return False
        if t.i in others:
            return True
    return False


def _report_date_misattached(d: DateRef, home: Token, report: frozenset[str]) -> bool:
    """Whether a date the parser hangs on a reported clause stands between the reporting verb
    and that clause's subject, where it dates the report: "said on Thursday (that) it had
    detained", not "said it had detained him on Thursday"."""
    verb = home.head
    if home.dep_ != "ccomp" or verb.lemma_.lower() not in report or not verb.i < d.start_tok:
        return False
    subjects = [c.i for c in home.children if c.dep_ in ("nsubj", "nsubjpass")]
    return bool(subjects) and d.end_tok <= min(subjects) and all(
        t.lower_ == "that" or t.is_punct for t in home.doc[d.end_tok:min(subjects)])


def _past_perfect(verb: Token) -> bool:
    """"had detained": an act before the time the sentence speaks of."""
    return verb.tag_ == "VBN" and any(c.dep_ == "aux" and c.lower_ in ("had", "'d", "’d")
                                      for c in verb.children)


def _reported_below(verb: Token, home: Token) -> bool:
    """Whether verb lies in a clause that home reports ("said [the satellite would go up
    in June]")."""
    tok = verb
    while tok.i != home.i and tok.head.i != tok.i:
        if tok.dep_ == "ccomp":
            return any(t.i == home.i for t in tok.ancestors)
        tok = tok.head
    return False


def _owners(thing: Token) -> list[Token]:
    """Who a thing belongs to: "South Korea's office", "the office it shared with the
    South"."""
    return [*(c for c in thing.children if c.dep_ == "poss"),
            *(p for c in thing.children if c.dep_ in ("relcl", "acl") for w in c.children
              if w.dep_ == "prep" and w.lower_ == "with" for p in w.children if p.dep_ == "pobj")]


def _receivers(trig: Token) -> list[Token]:
    """Who bears a coercive act named as a noun: the subject of "faces new sanctions", "has
    drawn sanctions", "has been under EU sanctions since 2012", "escaped punishment"."""
    if trig.pos_ not in ("NOUN", "PROPN"):
        return []
    if trig.dep_ == "dobj" and trig.head.lemma_.lower() in RECEIVE_VERBS:
        return subject_of(trig.head)
    if trig.dep_ == "dobj" and trig.head.lemma_.lower() in GIVING:
        # "handed him a life sentence", "was arrested and given a life sentence"
        verb = trig.head
        told = [c for c in verb.children if c.dep_ in ("dative", "iobj", "nsubjpass")]
        if not told and verb.dep_ == "conj":
            told = [c for c in verb.head.children if c.dep_ == "nsubjpass"]
        return told
    if (trig.dep_ == "pobj" and trig.head.lower_ == "under"
            and trig.head.head.lemma_.lower() in UNDER_VERBS):
        return subject_of(trig.head.head)
    return []


def _involved(trig: Token) -> list[Token]:
    """The parties a clause says talks or a meeting involved: "negotiations that involved
    Obama and his Chinese counterpart, Xi", "months of talks that included ..." (the parser
    may hang the clause on the phrase the trigger is part of)."""
    holders = [trig]
    if trig.dep_ == "pobj" and trig.head.lower_ == "of":
        holders.append(trig.head.head)
        if trig.head.head.dep_ == "pobj":
            holders.append(trig.head.head.head)  # "after two months of talks that involved"
    for holder in holders:
        for clause in holder.children:
            if (clause.dep_ in ("relcl", "acl", "pcomp") and clause.lemma_.lower() in INVOLVING
                    and clause.i > trig.i):
                objects = [o for o in clause.children if o.dep_ == "dobj"]
                return [t for o in objects for c in conjuncts(o)
                        for t in (c, *_appositions(c))]
    return []


def _appositions(tok: Token) -> list[Token]:
    """The names set beside a noun, nearest first: "Moscow's ally, its state news agency,
    TASS" -> agency, TASS."""
    out: list[Token] = []
    frontier = [tok]
    while frontier:
        nxt = [c for t in frontier for c in t.children if c.dep_ == "appos"]
        out.extend(nxt)
        frontier = nxt
    return out


def _attempted(verb: Token) -> bool:
    """Whether a verb is what someone tried or attempted to do."""
    return (verb.dep_ == "xcomp" and infinitive(verb)
            and verb.head.lemma_.lower() in ("try", "attempt", "strive", "struggle"))


def _state_begun(trig: Token) -> bool:
    """Whether the trigger's clause is a perfect of "be" ("has been under sanctions", "have
    been detained"), so that a "since" date is when the act took effect."""
    verb = clause_verb(trig)
    return any(t.lower_ == "been" for t in (verb, *verb.children)) and any(
        t.lower_ in ("has", "have", "had") for t in verb.children if t.dep_ == "aux")


def _tally(trig: Token, date: DateRef | None) -> bool:
    """"its four nuclear tests", "multiple rocket launches", "had met three times" over years:
    a count of many acts, not the one act reported on a day of it ("two launches on Sunday"
    may be that one)."""
    if date is not None and (date.end - date.start).days <= 7:
        return False
    if trig.pos_ == "VERB":
        # "the two had met four times since May 2017"
        return any(c.lemma_.lower() == "time" and any(
            n.dep_ == "nummod" and (number_of(n) or 0) > 1 for n in c.children)
            for c in trig.children if c.dep_ in ("npadvmod", "advmod", "dobj"))
    if trig.tag_ != "NNS":
        return False
    return any((c.dep_ == "nummod" and (number_of(c) or 0) > 1)
               or (c.dep_ == "amod" and c.lower_ in MANY_WORDS) for c in trig.children)


def _sequenced(trig: Token) -> bool:
    """"..., and followed that with a satellite launch", "met in Hanoi, eight months after
    their first meeting": an act before or after the one its clause reports, so neither its
    date nor its identity is that one's."""
    if trig.dep_ != "pobj" or trig.pos_ not in ("NOUN", "PROPN"):
        return False
    prep = trig.head
    return ((prep.lower_ == "with" and prep.head.lemma_.lower() == "follow")
            or (prep.lower_ in ("after", "before", "following")
                and prep.head.pos_ in ("VERB", "AUX")
                and any(c.dep_ in ("poss", "amod") for c in trig.children)))


def _describes_own_phrase(verb: Token, home: Token) -> bool:
    """Whether verb is a participle describing a noun of home's own phrases ("in a
    statement carried by KCNA", "in remarks broadcast on Tuesday")."""
    if verb.dep_ != "acl" or verb.head.pos_ not in ("NOUN", "PROPN"):
        return False
    noun = verb.head
    if noun.dep_ == "pobj" and noun.head.dep_ == "prep":
        return noun.head.head.i == home.i
    return noun.dep_ == "dobj" and noun.head.i == home.i


