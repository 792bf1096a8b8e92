"""The sentence gate: parse only what can hold an event.

Most news is out of scope, and spaCy's tagger, parser and NER cost the same on a sports report
as on a launch. Before the model runs, the gate tokenizes the article (the model's own
tokenizer, which is cheap), splits it on punctuation and asks of each sentence cheap
questions: does it name something the pack knows (an actor, weapon, weapon class, outlet or
place), and does it carry a word that can trigger an event (any form of an ontology verb or
noun, or the last content word of an ontology phrase) or a quotation?

- A sentence that can hold an event has a trigger word or a quotation, and a name of its own
  or, when it points back ("They", "the three leaders"), in the sentence before.
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
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc, Span

from watchfloor.annotate import ruler_patterns
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

    @classmethod
    def build(cls, nlp: Language, pack: Pack) -> SentenceGate:
        names = PhraseMatcher(nlp.vocab)
        phrases = sorted({str(p["pattern"]) for p in ruler_patterns(pack)})
        names.add("NAME", [nlp.make_doc(p) for p in phrases])
        words: set[str] = set()
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
        return cls(nlp, names, frozenset(words), Sentencizer(), aliases,
                   demonym_words)

    def _hyphen_names(self, doc: Doc) -> set[int]:
        """Tokens of hyphenated pairs the phrase matcher cannot see: "U.S.-China" is one
        token, "inter-Korean" three."""
        found: set[int] = set()
        for t in doc:
            if "-" in t.text and len(t.text) > 1 and any(
                    p in self.aliases for p in t.text.split("-")):
                found.add(t.i)
            elif (t.lower_ == "inter" and t.i + 2 < len(doc) and doc[t.i + 1].text == "-"
                  and doc[t.i + 2].text in self.demonym_words):
                found |= {t.i, t.i + 1, t.i + 2}
        return found

    def gate(self, text: str) -> str | None:
        """The text to parse: None when no sentence can hold an event, else the text with the
        sentences that cannot blanked out, every offset unchanged."""
        doc = self.splitter(self.nlp.make_doc(text))
        named = {i for _, start, end in self.names(doc) for i in range(start, end)}
        named |= self._hyphen_names(doc)
        sents = list(doc.sents)
        hits = [any(t.i in named for t in s) for s in sents]
        wordy = [any(t.lower_ in self.triggers for t in s) for s in sents]
        quoted = [_quoted(s) for s in sents]
        # what can hold an event: a trigger word or a quotation (what an official said is in
        # scope even with no event in it) with a name in the sentence or the one before ("...
        # received Abe and Park. The three leaders recommitted to the pact.")
        core = [(w or q) and (h or (k > 0 and hits[k - 1] and _refers_back(sents[k])))
                for k, (h, w, q) in enumerate(zip(hits, wordy, quoted, strict=True))]
        if not any(core):
            return None
        near = [any(core[max(0, k - QUOTE_REACH):k + QUOTE_REACH + 1])
                for k in range(len(sents))]
        # what is said about it: a quotation near such a sentence
        keep = [c or (n and q) for c, n, q in zip(core, near, quoted, strict=True)]
        wide = [any(keep[max(0, k - CONTEXT):k + CONTEXT + 1]) for k in range(len(sents))]
        if all(wide):
            return text
        chars = list(text)
        for sent, kept in zip(sents, wide, strict=True):
            if not kept:
                for i in range(sent.start_char, sent.end_char):
                    if chars[i] not in "\n\r":
                        chars[i] = " "
        return "".join(chars)


def _refers_back(sent: Span) -> bool:
    """Whether a sentence points back to parties named before ("They", "the three leaders")."""
    return any(t.lower_ in BACK_REFERENCES for t in sent)


def _quoted(sent: Span) -> bool:
    return any(t.text in QUOTES for t in sent)
