"""The sentence gate: parse only what can hold an event.

Most news is out of scope, and spaCy's tagger, parser and NER cost the same on a sports report
as on a launch. Before the model runs, the gate tokenizes the article (the model's own
tokenizer, which is cheap), splits it on punctuation and asks of each sentence cheap
questions: does it name something the pack knows (an actor, weapon, weapon class, outlet or
place), and does it carry a word that can trigger an event (any form of an ontology verb or
noun, or the last content word of an ontology phrase) or a quotation?

- A sentence that can hold an event has a trigger word (or a word that charges or names
  hostility: "deceitful", "invasion") or a quotation, and a name of its own
  or, when it points back ("They", "the three leaders"), in the sentence before. An actor's
  ambiguous short name ("Power", "Lee") counts only in an article that names the actor in
  full; a place or an outlet only in one that names some actor, weapon or state medium.
- An article with no such sentence has nothing to extract: it is not parsed at all.
- Otherwise those sentences are kept with one sentence on either side (a pronoun's
  antecedent, "the test" reported just before, a weapon named just after), and quotations
  within three sentences of them.

Dropped sentences are blanked with spaces in place (line breaks kept), so the text keeps its
length and every character offset stays that of the original article: provenance needs no
mapping back. The benchmark (``make bench``) compares F1 with the gate on and off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from spacy.attrs import IDX, LENGTH, LOWER, ORTH, SENT_START
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

from watchfloor.annotate import ACTOR, OUTLET, WCLASS, WEAPON, ruler_patterns
from watchfloor.extract.comments import ACCUSING, HOSTILITY
from watchfloor.extract.events import ORDERING, RETRYING
from watchfloor.pack import Pack

QUOTES = frozenset({'"', "“", "”", "'", "‘", "’"})
# Inflections that suffix rules do not reach, for whichever of these lemmas the ontology has.
IRREGULAR = {
    "meet": ("met",), "hold": ("held",), "send": ("sent",), "fly": ("flew", "flown"),
    "speak": ("spoke", "spoken"), "sell": ("sold",), "fight": ("fought",), "strike": ("struck",),
    "shoot": ("shot",), "throw": ("threw", "thrown"), "seek": ("sought",),
    "draw": ("drew", "drawn"), "begin": ("began", "begun"), "take": ("took", "taken"),
    "give": ("gave", "given"), "lead": ("led",), "withdraw": ("withdrew", "withdrawn"),
    "freeze": ("froze", "frozen"), "break": ("broke", "broken"), "blow": ("blew", "blown"),
    "put": ("put",), "set": ("set",), "cut": ("cut",), "hit": ("hit",), "quit": ("quit",),
    "bring": ("brought",),
}
HYPHEN = re.compile(r"-")
NOT_BREAK = re.compile(r"[^\n\r]")
# Words of an assessment of another party with no trigger word ("said it did not believe
# that ...", "had seen no evidence that ..."); the commoner verbs of judging ("think", "see")
# would open too many sentences.
ASSESSING = frozenset({"believe", "doubt", "assess", "conclude", "suspect", "evidence"})
CONTEXT = 1  # sentences kept on either side of one that is kept for itself
QUOTE_REACH = 3  # how far from such a sentence a quotation is kept
# Words by which a sentence names parties of the sentence before.
BACK_REFERENCES = frozenset({"he", "she", "they", "it", "his", "her", "their", "its", "both",
                             "leaders", "countries", "sides", "governments", "allies"})


def word_forms(lemma: str) -> set[str]:
    """The regular inflections of a lemma: "test" -> tests, tested, testing."""
    forms = {lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "d", lemma + "ing"}
    if lemma.endswith("e"):
        forms.add(lemma[:-1] + "ing")
    if lemma.endswith("y"):
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if re.search(r"[^aeiou][aeiou][bdgklmnprt]$", lemma):
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}  # "planned"
    return forms


@dataclass(frozen=True)
class SentenceGate:
    """Built once per extractor from the model's vocabulary and the pack."""

    nlp: Language
    names: PhraseMatcher
    triggers: frozenset[str]
    splitter: Sentencizer
    # for hyphenated pairs: every alias ("U.S.-China"), and the last words of demonyms
    # ("inter-Korean")
    aliases: frozenset[str] = frozenset()
    demonym_words: frozenset[str] = frozenset()
    # the string-store keys of trigger words, quotation marks and words that point back,
    # for array lookups
    trigger_keys: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))
    quote_keys: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))
    back_keys: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))

    @classmethod
    def build(cls, nlp: Language, pack: Pack) -> SentenceGate:
        names = PhraseMatcher(nlp.vocab)
        keyed: dict[str, set[str]] = {}
        for p in ruler_patterns(pack):
            keyed.setdefault(_key(pack, p), set()).add(str(p["pattern"]))
        # wars known by name: "the Korean War ended in a truce" is an agreement of its sides
        for conflict in pack.conflicts.values():
            keyed.setdefault(WEAK, set()).update((conflict.name, conflict.name.lower()))
        for key, phrases in sorted(keyed.items()):
            names.add(key, [nlp.make_doc(p) for p in sorted(phrases)])
        # words by which a comment with no trigger word charges or names hostility ("said
        # the regime was deceitful"), orders of force ("instructions to fight") and tries
        # again ("its previous attempt failed")
        words: set[str] = {w for lemma in ACCUSING | HOSTILITY | ASSESSING | ORDERING | RETRYING
                           for w in word_forms(lemma)}
        stop = nlp.Defaults.stop_words
        for et in pack.event_types.values():
            for lemma in (*et.verbs, *et.nouns):
                words |= word_forms(lemma.lower()) | set(IRREGULAR.get(lemma.lower(), ()))
            for phrase in et.phrases:
                content = [w for w in phrase.lower().split() if w not in stop]
                if content:  # its last content word: "lodge a protest", "came to a halt"
                    w = content[-1]
                    words |= word_forms(w) | set(IRREGULAR.get(w, ()))
        aliases = frozenset(a for actor in pack.actors for a in (*actor.aliases,
                                                                 *actor.demonyms))
        demonym_words = frozenset(d.split()[-1] for actor in pack.actors
                                  for d in actor.demonyms if " " in d)
        def keys(strings: frozenset[str] | set[str]) -> np.ndarray:
            return np.array(sorted(nlp.vocab.strings.add(w) for w in strings), dtype=np.uint64)

        return cls(nlp, names, frozenset(words), Sentencizer(), aliases, demonym_words,
                   keys(words), keys(QUOTES), keys(BACK_REFERENCES))

    def _hyphen_names(self, doc: Doc, text: str, idx: np.ndarray) -> list[int]:
        """Tokens of hyphenated pairs the phrase matcher cannot see: "U.S.-China" is one
        token, "inter-Korean" three. Only tokens with a hyphen in them are looked at."""
        found: list[int] = []
        for m in HYPHEN.finditer(text):
            i = int(np.searchsorted(idx, m.start(), side="right")) - 1
            t = doc[i]
            if t.text == "-":
                if (0 < i < len(doc) - 1 and doc[i - 1].lower_ == "inter"
                        and doc[i + 1].text in self.demonym_words):
                    found.extend((i - 1, i, i + 1))  # "inter-Korean"
            elif len(t.text) > 1 and any(p in self.aliases for p in t.text.split("-")):
                found.append(i)
        return found

    def gate(self, text: str) -> str | None:
        """The text to parse: None when no sentence can hold an event, else the text with the
        sentences that cannot blanked out, every offset unchanged.

        It runs on every article, most of them off-topic, so it works on whole arrays of
        token attributes rather than token by token."""
        doc = self.splitter(self.nlp.make_doc(text))
        if len(doc) == 0:
            return None
        words = doc.to_array([LOWER, ORTH])
        where = doc.to_array([SENT_START, IDX, LENGTH]).astype(np.int64)
        matches = _longest([(self.nlp.vocab.strings[k], start, end)
                            for k, start, end in self.names(doc)])
        full = {key for key, _, _ in matches if key.startswith(FULL)}
        strong = bool(full) or any(key == STRONG for key, _, _ in matches)
        named = np.zeros(len(doc), dtype=bool)
        for key, start, end in matches:
            if _counts(key, full, strong):
                named[start:end] = True
        named[self._hyphen_names(doc, text, where[:, 1])] = True
        starts = np.flatnonzero(where[:, 0] == 1)
        if len(starts) == 0 or starts[0] != 0:
            starts = np.concatenate(([0], starts))

        def per_sentence(flags: np.ndarray) -> list[bool]:
            return [bool(x) for x in np.add.reduceat(flags.astype(np.int64), starts) > 0]

        hits = per_sentence(named)
        wordy = per_sentence(np.isin(words[:, 0], self.trigger_keys))
        quoted = per_sentence(np.isin(words[:, 1], self.quote_keys))
        back = per_sentence(np.isin(words[:, 0], self.back_keys))
        # what can hold an event: a trigger word or a quotation (what an official said is in
        # scope even with no event in it) with a name in the sentence or the one before ("...
        # received Abe and Park. The three leaders recommitted to the pact.")
        core = [(w or q) and (h or (k > 0 and hits[k - 1] and b))
                for k, (h, w, q, b) in enumerate(zip(hits, wordy, quoted, back, strict=True))]
        if not any(core):
            return None
        n = len(starts)
        near = [any(core[max(0, k - QUOTE_REACH):k + QUOTE_REACH + 1]) for k in range(n)]
        # what is said about it: a quotation near such a sentence
        keep = [c or (m and q) for c, m, q in zip(core, near, quoted, strict=True)]
        wide = [any(keep[max(0, k - CONTEXT):k + CONTEXT + 1]) for k in range(n)]
        if all(wide):
            return text
        ends = [*starts[1:], len(doc)]
        pieces: list[str] = []
        done = 0
        for k in range(n):
            if wide[k]:
                continue
            first, last = int(starts[k]), int(ends[k]) - 1
            a, b = int(where[first, 1]), int(where[last, 1] + where[last, 2])
            pieces.append(text[done:a])
            pieces.append(NOT_BREAK.sub(" ", text[a:b]))
            done = b
        pieces.append(text[done:])
        return "".join(pieces)


# Keys of the name matcher. An actor's ambiguous aliases ("Power", "Austin", "Lee") count
# only where the article also names that actor in full, as the entity ruler's readers do; a
# place or an outlet ("exporters in Busan", "told Reuters") only in an article that names an
# actor, a weapon or a state medium somewhere, since no event is without an actor. A demonym
# ("Japanese exporters") counts in its own sentence but names no actor for the article: a
# business story about Japanese exporters in Busan holds no event.
FULL, SHORT, STRONG, WEAK, DEMONYM = "full:", "short:", "strong", "weak", "demonym"


def _key(pack: Pack, pattern: dict[str, object]) -> str:
    label, ent_id, phrase = pattern["label"], str(pattern["id"]), str(pattern["pattern"])
    if label == ACTOR:
        actor = pack.actors[int(ent_id)]
        short = {a for n in actor.ambiguous for a in (n, n.replace("'", "’"),
                                                      n.replace("’", "'"))}
        if phrase in actor.demonyms and phrase not in actor.aliases:
            return DEMONYM  # "Japanese exporters": a name, but no actor of its own
        return (SHORT if phrase in short else FULL) + ent_id
    if label == OUTLET:
        outlet = pack.outlet(ent_id)
        # state media speak for their state: "KCNA said the drills were ..."
        return STRONG if outlet is not None and outlet.state_media else WEAK
    return STRONG if label in (WEAPON, WCLASS) else WEAK


def _longest(matches: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Matches not inside a longer one, as the entity ruler keeps them: "North America" is a
    region, and the "America" in it no name of the United States."""
    kept: list[tuple[str, int, int]] = []
    span = (-1, -1)  # the last kept span; the same words may name several actors ("Lee")
    for key, start, stop in sorted(matches, key=lambda m: (m[1], -m[2])):
        if stop > span[1] or (start, stop) == span:
            kept.append((key, start, stop))
            span = (start, stop)
    return kept


def _counts(key: str, full: set[str], strong: bool) -> bool:
    if key.startswith(SHORT):
        return FULL + key[len(SHORT):] in full
    return key != WEAK or strong
