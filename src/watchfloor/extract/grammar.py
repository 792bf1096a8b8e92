"""Reading the dependency parse: who is the subject of a verb (through control, coordination
and passives), the parties a phrase names ("the foreign ministers of South Korea, Japan and
China", "South Korean and U.S. forces"), the clause a word belongs to. Shared by the event,
comment and claim finders; knows nothing of the pack.
"""

from __future__ import annotations

from spacy.tokens import Token

from watchfloor.extract.actors import EXPERTS, phrase_tokens
from watchfloor.extract.modality import infinitive, weighed_plan
from watchfloor.records import SYMMETRIC_TYPES

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a pair of": 2, "several": None,
}


SUBJECTS = ("nsubj", "nsubjpass", "csubj")


# Verbs whose "on" object does what the to-infinitive says: "called on Pyongyang to return".
CONTROL_ON = frozenset({"call", "prevail", "rely", "count"})
# Verbs whose object is time the subject spends: "spent three months negotiating the text" is
# the subject's negotiating, not the months'.
TIME_SPENDING = frozenset({"spend", "waste"})


# Types done together: a partner named with "with" is one more actor, not a target.
JOINT_TYPES = frozenset({"military_exercise"})


# Inside a trigger's phrase: not its clauses, its own subject or its punctuation.
PHRASE_SKIP = frozenset({"relcl", "advcl", "ccomp", "parataxis", "nsubj", "nsubjpass", "punct",
                         "cc", "mark"})


def phrase_of(tok: Token) -> list[Token]:
    """The tokens of the noun phrase or verb object phrase headed by tok."""
    return phrase_tokens(tok, PHRASE_SKIP)


# Verbs by which one party's act leads another to act: "leading the Council to adopt".
CAUSING = frozenset({"lead", "prompt", "force", "push", "spur", "drive", "cause", "compel",
                     "provoke", "move"})


def subject_of(verb: Token, raised: bool = False) -> list[Token]:
    """The subject tokens of a verb, through control and coordination. A passive subject is
    the one it is done to ("a pastor was arrested"), except for the verb an infinitive
    hangs from ("the Council was expected to hold a meeting": the Council holds it)."""
    if verb.dep_ == "acomp" and verb.head.pos_ in ("VERB", "AUX"):
        # "Japan is deeply concerned", "Ban remained concerned by the situation" (the "by"
        # phrase of a state of mind is its cause)
        return subject_of(verb.head)
    for child in verb.children:
        if child.dep_ == "agent":
            return [t for t in child.children if t.dep_ == "pobj"]
    for child in verb.children:
        if child.dep_ in ("nsubj", "csubj"):
            if (child.lower_ in ("who", "which", "that") and verb.dep_ == "relcl"
                    and verb.head.pos_ in ("NOUN", "PROPN")):
                head = verb.head  # "Trump and Xi, who have met three times": both of them
                while head.dep_ == "conj" and head.head.i != head.i:
                    head = head.head
                return [head]
            return [child]
    for child in verb.children:
        if child.dep_ == "nsubjpass":
            return [child] if raised else []
    head = verb.head
    if head.i == verb.i:
        return []
    if verb.dep_ == "xcomp" and head.dep_ == "acomp" and head.pos_ == "ADJ":
        return subject_of(head.head, raised=True)  # "were due to meet", "is ready to test"
    if verb.dep_ == "xcomp":
        objs = [c for c in head.children if c.dep_ in ("dobj",)
                and head.lemma_.lower() not in TIME_SPENDING]
        if not objs and head.lemma_.lower() in CONTROL_ON:
            objs = [p for c in head.children if c.dep_ == "prep" and c.lower_ in ("on", "upon")
                    for p in c.children if p.dep_ == "pobj"]
        if objs:  # object control: "urged North Korea to resume", "called on it to"
            return objs
        return subject_of(head, raised=True)
    if verb.dep_ == "pcomp" and head.pos_ == "ADP" and head.head.pos_ in ("VERB", "AUX"):
        return subject_of(head.head)  # "announced on Wednesday after signing a declaration"
    if verb.dep_ in ("acl", "xcomp") and head.pos_ in ("NOUN", "PROPN") and infinitive(verb):
        # "a vote by the Council to ban exports", "the Council's decision to impose"
        for c in head.children:
            if c.dep_ == "poss":
                return [c]
            if c.dep_ == "prep" and c.lower_ == "by":
                return [p for p in c.children if p.dep_ == "pobj"]
        if (weighing := weighed_plan(verb)) is not None:
            return subject_of(weighing)  # "it was studying a plan to fire": its plan
        return []
    if verb.dep_ == "advcl" and infinitive(verb) and head.pos_ == "VERB":
        # "leading the Council to adopt", "leading to the Council to adopt", "prompting Japan
        # to protest": the one led does it
        led = [c for c in head.children if c.dep_ == "dobj" and c.i < verb.i] or [
            p for c in head.children if c.dep_ == "prep" and c.lower_ == "to" and c.i < verb.i
            for p in c.children if p.dep_ == "pobj"]
        if led and head.lemma_.lower() in CAUSING:
            return led
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


def expert_named(head: Token) -> bool:
    words = [head, *(t for c in head.children if c.dep_ == "appos" for t in c.subtree)]
    return any(t.lemma_.lower() in EXPERTS for t in words)


def clause_verb(tok: Token) -> Token:
    """The verb of the clause a token stands in (itself for a verb; the root at worst)."""
    while tok.pos_ not in ("VERB", "AUX") and tok.head.i != tok.i:
        tok = tok.head
    return tok


def hops(tok: Token, trig: Token, home: Token) -> int:
    """Steps up from a date's head to the trigger, or to the verb carrying a noun trigger
    ("conducted a test on Tuesday"); many when it hangs elsewhere in the clause."""
    for n in range(8):
        if tok.i == trig.i or (tok.i == home.i and trig.head.i == home.i):
            return n
        if tok.head.i == tok.i:
            break
        tok = tok.head
    return 50


def whose_antecedent(head: Token) -> Token:
    """"China and Russia, whose leaders met": the leaders are China's and Russia's."""
    if (head.head.dep_ == "relcl" and head.dep_ in SUBJECTS
            and any(c.dep_ == "poss" and c.lower_ == "whose" for c in head.children)):
        return head.head.head
    return head


def modifier_parties(head: Token) -> list[Token]:
    """"South Korean and U.S. forces": conjoined modifiers each name a party."""
    out: list[Token] = []
    for c in head.children:
        if c.dep_ in ("amod", "compound", "nmod") and c.conjuncts:
            out.extend(conjuncts(c))
    # "Trump and Chinese President Xi Jinping", parsed as a modifier with a dangling "and":
    # the modifier is a party of its own
    for t in head.subtree:
        if (t.i < head.i and t.dep_ in ("amod", "compound") and not t.conjuncts
                and any(c.dep_ == "cc" for c in t.children) and t.ent_type_):
            out.append(t)
    return out


def of_parties(head: Token) -> list[Token]:
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


def number_of(tok: Token) -> int | None:
    text = tok.lower_
    if text.isdigit():
        return int(text)
    value = NUMBER_WORDS.get(text)
    return value
