"""Modality: did the event happen, or is it speculated, planned, wanted or denied?

The rule reads the dependency path from the trigger up to the clause that reports it. A modal
("could", "may") on any verb of that path makes the event hypothetical; "will", or a verb of
intention above it ("plans to launch", "ordered more tests"), intended; a verb of wanting
above it ("urged Pyongyang to resume talks", "called on it to refrain"), desired; a negation
on the trigger or on the verb that governs a noun trigger, negated. The walk stops at a verb
of saying, so "said North Korea fired" stays asserted, while a speech act itself ("warned it
will retaliate") is asserted because its own trigger carries no such cue.

The cue words come from the domain pack's modality.yaml, so another language or house style
is a data change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from spacy.tokens import Token

from watchfloor.records import Modality

NOUN_HYPOTHETICAL = frozenset({"possible", "potential", "likely", "probable", "imminent"})
MORE_WORDS = frozenset({"further", "more", "additional"})
CLAUSE_ENDS = frozenset({"advcl", "relcl", "parataxis"})
ADJUNCT_PREPS = frozenset({"in", "at", "during", "after", "before", "since", "amid", "despite",
                           "near", "following", "throughout", "until", "ahead"})
NOUN_INTENDED = frozenset({"planned", "scheduled", "upcoming", "proposed", "further", "more"})
# Nouns whose clause says what is (or is not) so: "there is no evidence (that) the missiles
# have been tested", "no sign that it had tested", "has no plans to test".
CONTENT_NOUNS = frozenset({"evidence", "sign", "indication", "proof", "confirmation", "hint",
                           "suggestion", "plan", "intention"})

# A plan that is only being weighed ("studying a plan to fire missiles at Guam", "considering
# an option to send troops") may never be carried out: what it plans is hypothetical.
WEIGHING = frozenset({"study", "examine", "consider", "weigh", "review", "mull", "explore",
                      "discuss"})
PLAN_NOUNS = frozenset({"plan", "option", "proposal", "idea", "scenario"})


@dataclass(frozen=True, slots=True)
class ModalityCues:
    hypothetical: frozenset[str]  # modal auxiliaries and verbs of speculation
    intended: frozenset[str]  # verbs of intention and future auxiliaries
    desired: frozenset[str]  # verbs of wanting and asking
    negation: frozenset[str]  # negating words and verbs of denial
    report: frozenset[str]  # verbs of saying: the walk stops there
    # (verb, preposition) of two-word wishes ("call on", "call for", "push for"): the verb
    # alone is no wish ("called the launch a provocation").
    desired_preps: frozenset[tuple[str, str]] = frozenset()
    habitual: frozenset[str] = frozenset()  # "often fires missiles": no event
    reference: frozenset[str] = frozenset()  # "in violation of sanctions": no event
    cessation: frozenset[str] = frozenset()  # "would halt its exercises": negated
    # how an act that happened went: "the launch appeared to have failed" is asserted
    outcome: frozenset[str] = frozenset()
    failure: frozenset[str] = frozenset()  # the outcome words that say it failed

    @classmethod
    def from_pack(cls, modality: Mapping[str, tuple[str, ...]]) -> ModalityCues:
        def get(key: str) -> frozenset[str]:
            return frozenset(w.lower() for w in modality.get(key, ()))

        pairs = frozenset(
            (words[0], words[1])
            for words in (w.lower().split() for w in modality.get("desired", ()))
            if len(words) == 2
        )
        return cls(
            hypothetical=get("hypothetical"),
            intended=get("intended"),
            desired=get("desired"),
            negation=get("negated"),
            report=get("report"),
            desired_preps=pairs,
            habitual=get("habitual"),
            outcome=get("outcome"),
            failure=get("failure"),
            reference=get("reference"),
            cessation=get("cessation"),
        )


def _own_cue(tok: Token, cues: ModalityCues, *, is_trigger: bool) -> Modality | None:
    for child in tok.children:
        word = child.lower_
        if child.dep_ == "neg" or (child.dep_ == "det" and word == "no" and is_trigger):
            return "negated"
        if (is_trigger and child.dep_ == "dobj"
                and any(d.dep_ == "det" and d.lower_ == "no" for d in child.children)):
            return "negated"  # "has fired no missiles since November"
        if child.dep_ in ("aux", "auxpass"):
            if word in ("will", "shall", "'ll", "’ll"):
                return "intended"
            if word == "would":
                # Future in the past after a report verb ("said it would launch") or one of
                # intent ("agreed that each side would appoint negotiators") is a plan;
                # elsewhere "would" is conditional.
                return "intended" if _under_report(tok, cues, intent=True) else "hypothetical"
            if word in cues.hypothetical:
                return "hypothetical"
            if word in cues.desired:  # "should", "must"
                return "desired"
        if child.dep_ == "mark" and word in ("if", "unless", "whether"):
            return "hypothetical"
    return None


def weighed_plan(trigger: Token) -> Token | None:
    """The verb weighing the plan a trigger is the content of ("was studying a plan to fire
    missiles": studying), if any."""
    tok = trigger
    for _ in range(3):
        head = tok.head
        if head.i == tok.i:
            return None
        if head.lemma_.lower() in PLAN_NOUNS and head.pos_ == "NOUN" and tok.dep_ in (
                "acl", "relcl", "prep", "pobj", "compound"):
            verb = head.head
            if head.dep_ == "dobj" and verb.lemma_.lower() in WEIGHING:
                return verb
            return None
        if tok.dep_ not in ("pobj", "prep", "conj"):
            return None
        tok = head
    return None


def infinitive(verb: Token) -> bool:
    """Whether a verb is a to-infinitive ("to launch")."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _wish_with_prep(verb: Token, cues: ModalityCues) -> bool:
    """"called on Pyongyang to refrain": the verb's wish comes with its preposition."""
    lemma = verb.lemma_.lower()
    return any(c.dep_ in ("prep", "prt") and (lemma, c.lower_) in cues.desired_preps
               for c in verb.children)


def _wished(word: Token, cues: ModalityCues) -> bool:
    """Whether a word is itself what someone asks for ("urged both countries to halt",
    "demanded a halt to the drills")."""
    head = word.head
    if head.i == word.i:
        return False
    if word.pos_ in ("NOUN", "PROPN"):
        # up the noun phrase to its verb: "demanded the conclusion of a treaty and a halt to
        # the drills"
        tok = word
        for _ in range(6):
            # ("cc": "sought a treaty, as well as an end to the drills")
            if (tok.dep_ not in ("conj", "pobj", "prep", "dobj", "appos", "cc")
                    or tok.head.i == tok.i):
                return False
            tok = tok.head
            if tok.pos_ in ("VERB", "AUX"):
                return tok.lemma_.lower() in cues.desired
        return False
    for _ in range(4):
        if word.dep_ not in ("xcomp", "advcl", "ccomp", "conj"):
            return False
        if word.dep_ != "conj" and (head.lemma_.lower() in cues.desired
                                    or _wish_with_prep(head, cues)):
            return True
        # "called on A to freeze tests and on B to halt drills": up the chain of infinitives
        if head.head.i == head.i or not (word.dep_ == "conj" or infinitive(head)):
            return False
        word, head = head, head.head
    return False


def relative_object(clause: Token) -> bool:
    """Whether a relative clause has its noun as object ("talks that Pompeo is to lead"),
    not as subject ("talks that began on Monday")."""
    for t in clause.subtree:
        if t.lower_ in ("that", "which") and t.dep_ in ("dobj", "pobj"):
            return True
        if t.lower_ in ("that", "which") and t.dep_ in ("nsubj", "nsubjpass"):
            return False
    return not any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("that", "which")
                   for c in clause.children) and any(
        c.dep_ in ("nsubj", "nsubjpass") for c in clause.children)


def _under_report(tok: Token, cues: ModalityCues, *, intent: bool = False) -> bool:
    """Whether a clause is what a verb of saying reports, alone or joined to another it
    reports ("said the United States condemned the test and would work on new steps");
    with ``intent``, also what a verb of intent governs ("agreed that each side would")."""
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    head = tok.head
    lemma = head.lemma_.lower()
    return head.i != tok.i and (lemma in cues.report or (
        intent and tok.dep_ == "ccomp" and head.pos_ == "VERB" and lemma in cues.intended))


def modality_of(trigger: Token, cues: ModalityCues) -> Modality:
    """The modality of the event reported by ``trigger``."""
    own = _own_cue(trigger, cues, is_trigger=True)
    if own is not None:
        return own
    if trigger.pos_ in ("NOUN", "PROPN"):
        for child in trigger.children:
            if child.dep_ == "amod" and child.lower_ in NOUN_HYPOTHETICAL:
                return "hypothetical"
            if child.dep_ == "amod" and child.lower_ in ("planned", "scheduled", "upcoming"):
                return "intended"
            if (child.dep_ == "acl" and child.lemma_.lower() in cues.intended
                    and child.tag_ == "VBN" and not any(c.dep_ == "prep" and c.lower_ == "at"
                                                        for c in child.children)):
                # "drills planned for August" (not "sanctions aimed at starving it of funds":
                # what they are for)
                return "intended"
            if (child.dep_ == "relcl" and relative_object(child)) or (
                    child.dep_ == "acl" and any(m.dep_ == "mark" and m.lower_ == "that"
                                                for m in child.children)):
                # "talks that Pompeo is to lead", "a test that it will conduct"
                if child.lemma_ == "be" and any(c.dep_ == "xcomp" and infinitive(c)
                                                for c in child.children):
                    return "intended"
                cue = _own_cue(child, cues, is_trigger=False)
                if cue in ("intended", "hypothetical"):
                    return cue
    if (trigger.dep_ == "pobj" and trigger.head.lower_ == "at"
            and any(c.dep_ == "prep" and c.lower_ == "of" for c in trigger.children)):
        return "asserted"  # "met at the request of Japan": the request was made
    if weighed_plan(trigger) is not None:
        return "hypothetical"  # "studying a plan to fire missiles at Guam"
    tok = trigger
    reduced = False  # inside a clause that describes a noun: "the measures imposed in March"
    for _ in range(8):  # a clause chain is never deeper than this in news prose
        head = tok.head
        if head.i == tok.i:
            break
        if (tok.dep_ in ("relcl", "acl", "ccomp") and head.lemma_.lower() in CONTENT_NOUNS
                and not reduced
                and any(c.dep_ == "det" and c.lower_ == "no" for c in head.children)):
            # "no evidence the missiles have been tested" (not "no sign that it would go
            # beyond the measures imposed in March": those were imposed)
            return "negated"
        if (tok.i == trigger.i and tok.dep_ == "nsubj" and head.lemma_ == "be"
                and _known(trigger)):
            break  # "the Musudan test could be part of this program": what it is, not whether
        reduced = reduced or tok.dep_ in ("acl", "relcl")
        if tok.dep_ == "acl" and tok.tag_ == "VBN" and tok.i == trigger.i:
            break  # "would go beyond the measures imposed in March": those were imposed
        if tok.dep_ in CLAUSE_ENDS and not infinitive(tok):
            # An adverbial, relative or loose clause has its own modality: "urged talks while
            # expressing concern" does not make the concern a wish. A to-infinitive the
            # parser hangs there ("could be precursors to resumed tests") is no such clause.
            break
        lemma = head.lemma_.lower()
        if lemma in cues.report and head.pos_ in ("VERB", "AUX"):
            break
        if (tok.dep_ in ("nsubj", "nsubjpass") or tok.dep_ == "ccomp") and _outcome(head, cues):
            # "the launch appeared to have failed": it went ahead (the parser may hang the
            # clause of the attempt on that hedge: "tried to launch ..., but the launch
            # appeared to have failed")
            return "asserted"
        if tok.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in ("without",):
            return "negated"
        if tok.dep_ == "prep" and (lemma, tok.lower_) in cues.desired_preps:
            return "desired"
        # A conjunct shares the modal of its head ("could fire and test"), not the verb
        # that governs the head: that verb is checked when the walk reaches it.
        # A prepositional adjunct of time, place or circumstance is no complement either:
        # "in their first talks, the two Koreas agreed ..." is no plan to talk.
        complement = tok.dep_ not in ("nsubj", "nsubjpass", "conj") and not (
            tok.dep_ == "prep" and tok.lower_ in ADJUNCT_PREPS)
        if head.pos_ in ("VERB", "AUX", "ADJ", "NOUN"):
            if lemma in cues.negation and head.pos_ == "VERB" and complement:
                return "negated"
            if (lemma in cues.cessation and head.pos_ == "VERB" and tok.dep_ == "dobj"
                    and not _wished(head, cues)):
                return "negated"  # "would halt its joint exercises"
            if complement and (lemma in cues.desired or (
                    (tok.dep_ == "xcomp" or (tok.dep_ == "advcl" and infinitive(tok)))
                    and _wish_with_prep(head, cues))):
                return "desired"
            if (tok.dep_ == "xcomp" and head.lemma_ == "be" and infinitive(tok)
                    and not any(c.dep_ == "mark" for c in head.children)):
                # "the Council is to meet", "was to discuss": scheduled (not "if it were to
                # test": a condition)
                return "intended"
            if tok.dep_ == "xcomp" and lemma == "commit" and infinitive(tok):
                return "intended"  # "the declaration commits Moon to visit" (not "committed
                # an attack": done)
            if tok.dep_ == "xcomp" and head.pos_ == "ADJ":
                # "were due to meet", "is likely to test": the adjective's phrase is the cue
                for modality, words in (("intended", cues.intended),
                                        ("hypothetical", cues.hypothetical)):
                    if f"{lemma} to" in words:
                        return modality  # type: ignore[return-value]
            if lemma in cues.intended and complement:
                return "intended"
            if lemma in cues.hypothetical and complement:
                return "hypothetical"
            cue = _own_cue(head, cues, is_trigger=False)
            if cue is not None and cue != "negated":
                return cue
            if cue == "negated" and tok.dep_ in ("dobj", "xcomp", "pobj", "attr"):
                return "negated"
        tok = head
    if (trigger.tag_ == "NNS" and any(c.dep_ == "amod" and c.lower_ in MORE_WORDS
                                      for c in trigger.children)
            and not (trigger.dep_ == "dobj" and trigger.head.tag_ in ("VBD", "VBN"))):
        return "hypothetical"  # "watching for further launches"; not "fired more missiles"
    return "asserted"


def _known(noun: Token) -> bool:
    """Whether a noun names an act already known ("the launch", "Monday's test"), not one
    to come ("the next test", "a fifth test")."""
    if noun.pos_ not in ("NOUN", "PROPN"):
        return False
    if any(c.dep_ == "amod" and c.lower_ in ("next", "further", "another", "possible",
                                              "potential", "future", "new")
           for c in noun.children):
        return False
    return any((c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those"))
               or c.dep_ == "poss" for c in noun.children)


FUTURE_MODALS = frozenset({"could", "may", "might", "will", "would", "can", "should", "must"})


def _outcome(verb: Token, cues: ModalityCues) -> bool:
    """Whether a verb, or the infinitive it governs, says how an act went ("failed",
    "appeared to have exploded")."""
    chain = [verb, *(c for c in verb.children if c.dep_ in ("xcomp", "acomp"))]
    if any(c.dep_ == "aux" and c.lower_ in FUTURE_MODALS for t in chain for c in t.children):
        return False  # "the launch could fail": still to come
    return any(t.lemma_.lower() in cues.outcome or t.lower_ in cues.outcome for t in chain)


def outcome_of(trigger: Token, cues: ModalityCues) -> str | None:
    """How an act went, where its own words say: "failed" or "succeeded". Read from the
    trigger's modifiers ("a failed launch", "successfully tested") and, when the trigger is
    its clause's verb or subject, from that verb and its complements ("the launch appeared to
    have failed", "the test was a complete success"); never from another act's words in the
    same sentence ("a day after a failed attempt" says nothing of this one)."""
    words = [trigger, *(c for c in trigger.children if c.dep_ in ("amod", "advmod", "npadvmod"))]
    verb = trigger
    if trigger.dep_ in ("nsubj", "nsubjpass") and trigger.head.i != trigger.i:
        verb = trigger.head
    if verb.pos_ in ("VERB", "AUX"):
        chain = [verb]
        while True:
            nxt = [c for c in chain[-1].children if c.dep_ in ("xcomp", "acomp", "attr")]
            if not nxt or len(chain) > 3:
                break
            chain.append(nxt[0])
        if any(c.dep_ == "aux" and c.lower_ in FUTURE_MODALS for t in chain for c in t.children):
            return None  # "the launch could fail": still to come
        words += chain
        words += [c for t in chain for c in t.children
                  if c.dep_ in ("advmod", "amod") and c.i != trigger.i]
    # "exploded a hydrogen bomb": a failure word with an object of its own is a detonation
    said = {w for t in words if not (t.pos_ == "VERB" and any(
        c.dep_ == "dobj" for c in t.children)) for w in (t.lemma_.lower(), t.lower_)}
    if said & cues.failure:
        return "failed"
    if said & (cues.outcome - cues.failure):
        return "succeeded"
    return None


def not_an_event(trigger: Token, cues: ModalityCues) -> bool:
    """Habits ("often fires missiles") and references to what is already in place ("in
    violation of U.N. sanctions", "evade the sanctions") report no event."""
    verb = trigger if trigger.pos_ in ("VERB", "AUX") else None
    if trigger.pos_ in ("NOUN", "PROPN"):
        head = trigger.head
        if trigger.dep_ == "pobj" and head.dep_ in ("prep", "agent"):
            head = head.head  # "in violation of sanctions", "banned by U.N. resolutions"
        if head.i != trigger.i and head.lemma_.lower() in cues.reference:
            return True
        if head.i != trigger.i and head.lemma_.lower() in cues.cessation and _wished(head, cues):
            return True  # "demanded a halt to joint drills": the halt is the news
        if (head.lemma_.lower() in cues.cessation and head.pos_ == "VERB"
                and head.dep_ in ("acl", "advcl") and infinitive(head)):
            return True  # "demanded a treaty to end its nuclear tests": what it would be for
        if trigger.dep_ in ("dobj", "nsubjpass") and head.pos_ in ("VERB", "AUX"):
            verb = head
    while verb is not None:
        if any((c.dep_ == "advmod" and c.lower_ in cues.habitual) or
               (c.dep_ == "npadvmod" and " ".join(t.lower_ for t in c.subtree) in cues.habitual)
               for c in verb.children):
            return True  # "often fires", "to hold joint exercises every year"
        # "frequently threatens to attack": the habit covers what it governs
        verb = verb.head if verb.dep_ == "xcomp" and verb.head.i != verb.i else None
    return False
