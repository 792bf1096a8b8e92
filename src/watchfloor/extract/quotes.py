"""Quotes: every quoted passage with its speaker, the speaker's actor and the channel.

The speaker comes from the parse, not from a fixed "X said" pattern: the verb of saying in the
quote's sentence ("he said", "KCNA said", "told Yonhap"), else the first verb above the quote
that has a subject ("dismissed the idea, saying the speech was “intolerable”" -> North
Korea), else the neighbouring quote of the same paragraph (a quote that runs on after "he
said."). Pronouns take their antecedent. The channel is the outlet that carried it: "according
to Reuters", "quoted by Reuters", "told Yonhap", a speaking outlet ("KCNA said"), and it sticks
to a speaker for the rest of the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from watchfloor.annotate import OUTLET
from watchfloor.extract.actors import ActorIndex, Referent
from watchfloor.extract.events import subject_of
from watchfloor.extract.modality import ModalityCues

QUOTE_RE = re.compile(r"“([^”]{2,}?)”|\"([^\"]{2,}?)\"|‘([^’]{3,}?)’(?![a-z])")
MAX_ATTRIBUTION_GAP = 2  # sentences between a bare quote and the quote it takes its speaker from


@dataclass(slots=True)
class RawQuote:
    start: int  # character offsets of the quoted text, marks excluded
    end: int
    text: str
    sentence: Span
    speaker: Referent | None
    channel: str | None
    confidence: float


def quote_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in QUOTE_RE.finditer(text):
        g = next(i for i in (1, 2, 3) if m.group(i) is not None)
        spans.append((m.start(g), m.end(g)))
    return spans


def _outlet_in(tokens: list[Token], actors: ActorIndex) -> str | None:
    for t in tokens:
        if t.ent_type_ == OUTLET:
            ref = actors.by_token.get(t.i)
            return ref.name if ref is not None else t.ent_id_
    return None


class QuoteFinder:
    def __init__(self, actors: ActorIndex, cues: ModalityCues) -> None:
        self.actors = actors
        self.cues = cues
        self.channels: dict[tuple[str | None, str], str] = {}

    def _report_verb(self, sent: Span, inside: range) -> Token | None:
        verbs = [
            t for t in sent
            if t.i not in inside and t.lemma_.lower() in self.cues.report and t.pos_ in ("VERB",)
        ]
        if not verbs:
            return None
        return min(verbs, key=lambda v: min(abs(v.i - inside.start), abs(v.i - inside.stop)))

    def _speaker_from_verb(self, verb: Token) -> Referent | None:
        for subj in subject_of(verb):
            ref = self.actors.referent_in(subj, kinds=("person", "role", "state",
                                                      "organisation", "outlet"))
            if ref is not None:
                return ref
        return None

    def _climb(self, doc: Doc, inside: range) -> Token | None:
        """The first verb outside the quote above its words."""
        roots = [doc[i] for i in inside if doc[i].head.i not in inside]
        for tok in roots:
            cur = tok.head
            for _ in range(6):
                if cur.i not in inside and cur.pos_ in ("VERB", "AUX") and subject_of(cur):
                    return cur
                if cur.head.i == cur.i:
                    break
                cur = cur.head
        return None

    def _channel(self, sent: Span, verb: Token | None, speaker: Referent | None,
                 inside: range) -> str | None:
        outside = [t for t in sent if t.i not in inside]
        if speaker is not None and speaker.kind == "outlet":
            return speaker.name
        channel = _outlet_in(outside, self.actors)
        if speaker is not None:
            key = (speaker.code, speaker.kind)
            if channel is not None:
                self.channels[key] = channel
            else:
                channel = self.channels.get(key)
        return channel

    def find(self, doc: Doc) -> list[RawQuote]:
        out: list[RawQuote] = []
        text = doc.text
        for start, end in quote_spans(text):
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            inside = range(span.start, span.end)
            sent = doc[span.start].sent
            verb = self._report_verb(sent, inside)
            speaker = self._speaker_from_verb(verb) if verb is not None else None
            confidence = 0.9 if speaker is not None else 0.5
            if speaker is None:
                climbed = self._climb(doc, inside)
                if climbed is not None:
                    speaker = self._speaker_from_verb(climbed)
                    confidence = 0.7
            channel = self._channel(sent, verb, speaker, inside)
            out.append(RawQuote(start, end, text[start:end].strip(" ,.;:"), sent, speaker,
                                channel, confidence))
        self._borrow_speakers(doc, out)
        return out

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
                gap = abs(other.sentence.start - q.sentence.start)
                if other.speaker is not None and same_paragraph(q, other) and gap < 200:
                    q.speaker = other.speaker
                    q.channel = q.channel or other.channel
                    q.confidence = 0.6
                    break
