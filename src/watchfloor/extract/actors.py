"""Actors: pack entities, unknown people tied to a state by their title, and pronouns.

Resolution works on the dependency parse: an actor is the pack entity inside a phrase (the
subject of a verb, the possessor of a noun), skipping relative clauses so that "the official,
who visited Seoul, said" is not Seoul speaking. People the pack does not know ("Unification
Ministry spokesman Jeong Joon-hee") take the state named in their own phrase or apposition,
and keep it for later mentions of their surname. Pronouns take the most recent compatible
referent: he/she a person or a role phrase ("a senior US official"), it/they a state.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from watchfloor.annotate import ACTOR, OUTLET
from watchfloor.pack import Actor, Pack

PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his"})
GROUP_PRONOUNS = frozenset({"it", "its", "they", "them", "their"})
# "the country", "the regime": a state named before, resolved as "it" is.
# Nouns for the others a party stands in relation to: "its neighbours" are not it.
RELATIONAL = frozenset({"neighbor", "neighbour", "ally", "rival", "enemy", "partner", "critic",
                        "adversary", "foe", "opponent", "friend", "backer"})
STATE_DESCRIPTIONS = frozenset({"country", "nation", "regime", "government", "administration",
                                "authorities", "leadership", "military"})
FIRST_PERSON = frozenset({"we", "us", "our", "i", "me", "my"})
# People quoted for their expertise speak for no state, whatever their affiliation's country.
EXPERTS = frozenset({"analyst", "expert", "researcher", "professor", "scholar", "specialist",
                     "commentator", "correspondent", "presenter", "announcer", "anchor",
                     "newsreader", "fellow", "economist", "scientist"})
# Dependency relations that open a clause or phrase that is not part of the head's identity.
DETACHED = frozenset({"relcl", "acl", "advcl", "ccomp", "xcomp", "parataxis", "conj", "cc"})


# People and bodies that act for the state of the place they are in: "officials in Seoul",
# "the foreign ministry in Beijing". Anyone else in a place is only there: "pharmacies in
# Seoul", "protesters in Tokyo".
OFFICIALS = frozenset({"official", "authority", "government", "ministry", "diplomat",
                       "spokesman", "spokeswoman", "spokesperson", "police", "military",
                       "leader", "officer", "lawmaker", "prosecutor", "court", "investigator",
                       "envoy", "embassy", "mission", "agency", "source", "administration",
                       "regime", "force", "troop", "army", "navy", "office", "leadership",
                       "president", "minister", "ambassador", "delegation", "negotiator"})
LOCATIVE = frozenset({"in", "at", "near", "inside", "outside"})


def _only_where(place: Token, head: Token) -> bool:
    """Whether a name in head's phrase only says where head is ("pharmacies in Seoul")."""
    t = place
    while t.i != head.i and t.dep_ in ("compound", "amod", "det", "flat"):
        t = t.head
    return (t.dep_ == "pobj" and t.head.lower_ in LOCATIVE and t.head.head.i == head.i
            and head.lemma_.lower() not in OFFICIALS)


# Private people a story may name by their state alone: "a South Korean national".
PRIVATE_PEOPLE = frozenset({"man", "woman", "national", "citizen", "student", "pastor",
                            "missionary", "tourist", "journalist", "worker", "businessman",
                            "businesswoman", "sailor", "fisherman", "detainee", "prisoner",
                            "defector"})


@dataclass(slots=True)
class Referent:
    """Something a later pronoun or title can point back to."""

    start: int  # token index
    end: int
    text: str
    code: str | None
    name: str
    kind: str  # state, organisation, person, role, outlet


@dataclass(slots=True)
class ActorIndex:
    """Per-document actor knowledge, filled in reading order."""

    pack: Pack
    doc: Doc
    by_token: dict[int, Referent] = field(default_factory=dict)
    referents: list[Referent] = field(default_factory=list)
    known_people: dict[str, Referent] = field(default_factory=dict)  # surname -> person
    _sents: list[Span] | None = None
    _report: frozenset[str] = frozenset()
    _named_codes: Counter[str] = field(default_factory=Counter)  # states the document names

    @classmethod
    def build(cls, pack: Pack, doc: Doc) -> ActorIndex:
        index = cls(pack=pack, doc=doc)
        index._named_codes = Counter(
            pack.actors[int(e.ent_id_)].code for e in doc.ents
            if e.label_ == ACTOR and pack.actors[int(e.ent_id_)].kind == "state"
        )
        report = pack.modality.get("report", ())
        index._report = frozenset(w.lower() for w in report if " " not in w)
        for ent in doc.ents:
            ref = index._referent_for(ent)
            if ref is None:
                continue
            index.referents.append(ref)
            for i in range(ent.start, ent.end):
                index.by_token[i] = ref
        index._add_role_phrases()
        index.referents.sort(key=lambda r: r.start)
        return index

    def _referent_for(self, ent: Span) -> Referent | None:
        if ent.label_ == ACTOR:
            actor = self.pack.actors[int(ent.ent_id_)]
            if ent.text in actor.ambiguous:
                chosen = self._ambiguous(ent.text)
                if chosen is None:
                    return None
                actor = chosen
            ref = Referent(ent.start, ent.end, ent.text, actor.code, actor.name, actor.kind)
            if actor.kind == "person":
                self.known_people[actor.name.split()[-1]] = ref
                self.known_people[actor.name] = ref
            return ref
        if ent.label_ == OUTLET:
            outlet = next((o for o in self.pack.outlets if o.name == ent.ent_id_), None)
            code = outlet.country if outlet is not None else None
            return Referent(ent.start, ent.end, ent.text, code, ent.ent_id_, "outlet")
        if ent.label_ == "PERSON":
            return self._unknown_person(ent)
        return None

    def _ambiguous(self, alias: str) -> Actor | None:
        """Which of the actors sharing an alias ("Kim") this mention is: the one the story
        has named in full (the latest, if several), else the first the pack lists of the
        state the story names most (its leader is listed before its diplomats)."""
        candidates = self.pack.actors_named(alias)
        named = {r.name: k for k, r in enumerate(self.referents)
                 if r.kind in ("person", "organisation")}
        full = [a for a in candidates if a.name in named]
        if full:
            return max(full, key=lambda a: named[a.name])
        in_story = [a for a in candidates if self._named_codes[a.code] > 0]
        if not in_story:
            return None
        return max(in_story, key=lambda a: self._named_codes[a.code])

    def known_people_names(self) -> set[str]:
        return {r.name for r in self.known_people.values()}

    def _unknown_person(self, ent: Span) -> Referent | None:
        parts = ent.text.split()
        earlier = self.known_people.get(ent.text) or self.known_people.get(parts[-1])
        if earlier is None and len(parts) > 1:
            earlier = self.known_people.get(parts[0])  # Korean names: family name first
        if earlier is not None:
            return Referent(ent.start, ent.end, ent.text, earlier.code, earlier.name, "person")
        code = self._code_near_person(ent)
        ref = Referent(ent.start, ent.end, ent.text, code, ent.text, "person")
        if len(parts) > 1:
            self.known_people[ent.text] = ref
            self.known_people[parts[-1]] = ref
            self.known_people[parts[0]] = ref
        return ref

    def _code_near_person(self, ent: Span) -> str | None:
        """The state in a person's own title: compounds before the name, its apposition, or
        the phrase the name is an apposition of."""
        head = ent.root
        candidates: list[Token] = [t for t in head.subtree if t.i < ent.start or t.i >= ent.end]
        if head.dep_ == "appos" or (head.head.dep_ == "compound" and head.head.i > ent.end):
            candidates.extend(head.head.subtree)
        for tok in candidates:
            ref = self.by_token.get(tok.i)
            if ref is not None and ref.kind in ("state", "organisation") and ref.code:
                return ref.code
            actor_ent = self._ruler_actor(tok)
            if actor_ent is not None:
                return actor_ent
        return None

    def _ruler_actor(self, tok: Token) -> str | None:
        if tok.ent_type_ == ACTOR:
            actor = self.pack.actors[int(tok.ent_id_)]
            if actor.kind != "person":
                return actor.code
        return None

    def _add_role_phrases(self) -> None:
        """Noun phrases headed by a role noun ("a senior US official", "the spokesman")."""
        roles = set(self.pack.role_nouns)
        for tok in self.doc:
            if (tok.pos_ not in ("NOUN", "PROPN") or tok.lemma_.lower() not in roles
                    or tok.i in self.by_token):
                continue
            if tok.pos_ == "PROPN" and tok.dep_ in ("compound", "appos"):
                continue  # "Ambassador Liu Jieyi": a title of the person named
            left = min((t.i for t in tok.subtree if t.dep_ not in DETACHED and t.i <= tok.i),
                       default=tok.i)
            code = None
            state = False
            for t in self.doc[left : tok.i]:
                ref = self.by_token.get(t.i)
                if (ref is not None and ref.code and ref.kind in ("state", "organisation")
                        and not (state and ref.kind == "organisation")):
                    # "the North Korean U.N. mission" is the state's, posted at the body
                    code, state = ref.code, ref.kind == "state"
            if code is None:
                for child in tok.children:
                    if child.dep_ in ("poss", "prep"):
                        code = self.code_in(child)
                        if code:
                            break
            if code is None and tok.dep_ in ("nsubj", "nsubjpass"):
                # "In Seoul, the defence ministry said": the capital the clause is set in
                for prep in tok.head.children:
                    if prep.dep_ == "prep" and prep.lower_ == "in" and prep.i < tok.i:
                        ref = next((self.by_token[p.i] for p in prep.children
                                    if p.dep_ == "pobj" and p.i in self.by_token), None)
                        if ref is not None and ref.kind == "state" and ref.code:
                            code = ref.code
            phrase = self.doc[left : tok.i + 1]
            text = phrase.text
            if phrase[0].lower_ in ("a", "an", "the"):
                text = phrase[1:].text
            self.referents.append(Referent(left, tok.i + 1, text, code, text, "role"))
        self._add_private_people()

    def _add_private_people(self) -> None:
        """People known by their state alone ("a South Korean national", "a Korean-American
        man", "an American student"), whom a later "he" or "him" can point back to: the
        detained, the freed, the tried."""
        for tok in self.doc:
            if (tok.pos_ != "NOUN" or tok.lemma_.lower() not in PRIVATE_PEOPLE
                    or tok.i in self.by_token):
                continue
            states = [r for t in self.doc[tok.left_edge.i:tok.i]
                      if t.dep_ in ("amod", "compound", "nmod")
                      and (r := self.by_token.get(t.i)) is not None
                      and r.kind == "state" and r.code]
            if states:
                left = tok.left_edge.i
                text = self.doc[left:tok.i + 1].text
                self.referents.append(Referent(left, tok.i + 1, text, states[-1].code, text,
                                               "role"))

    # --- queries used by the other extractors -------------------------------------------

    def code_in(self, tok: Token, *, kinds: tuple[str, ...] = ("state", "organisation", "person",
                "role")) -> str | None:
        """The actor code named inside a phrase headed by tok (not inside its clauses)."""
        ref = self.referent_in(tok, kinds=kinds)
        return ref.code if ref is not None else None

    def referent_in(
        self,
        tok: Token,
        *,
        kinds: tuple[str, ...] = ("state", "organisation", "person", "role"),
    ) -> Referent | None:
        own: Referent | None = self.by_token.get(tok.i)
        if own is not None and own.kind in kinds:
            return own
        if tok.lower_ in PERSON_PRONOUNS | GROUP_PRONOUNS:
            return self.antecedent(tok)
        for ref in self.referents:
            if ref.start <= tok.i < ref.end and ref.kind in kinds and ref.code:
                return ref
        for t in phrase_tokens(tok):
            inner = self.by_token.get(t.i)
            if inner is not None and inner.kind in kinds and not _only_where(t, tok):
                return inner
        for t in phrase_tokens(tok):
            if t.lower_ in PERSON_PRONOUNS | GROUP_PRONOUNS and t.dep_ == "poss":
                if t.head.lemma_.lower() in RELATIONAL:
                    return None  # "its neighbors", "its allies": others than it
                return self.antecedent(t)
        if tok.lower_ in STATE_DESCRIPTIONS and any(
            c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in tok.children
        ):
            # "the country", "the government" that names no state: the one meant before
            return self.antecedent(tok, as_word="it", kinds=("state",))
        for ref in self.referents:
            if ref.start <= tok.i < ref.end and ref.kind in kinds:
                return ref
        return None

    def antecedent(self, tok: Token, depth: int = 0, as_word: str | None = None,
                   kinds: tuple[str, ...] | None = None) -> Referent | None:
        """What a pronoun points back to: the nearest referent of its kind earlier in its
        sentence, passing over the source of an attribution that does not govern it ("North
        Korea fired a missile, South Korea's military said, its first launch ..."); with none,
        the subject of one of the last sentences (the topic); else the nearest referent."""
        word = as_word or tok.lower_
        if word in PERSON_PRONOUNS:
            wanted: tuple[str, ...] = ("person", "role")
        elif word in GROUP_PRONOUNS:
            wanted = ("state", "organisation")
        else:
            return None
        wanted = kinds or wanted  # "the regime", "the country": a state, not a body
        sent = tok.sent
        own_subject = self._own_subject(tok)
        # "on leaders' minds as they meet": leaders at large, if named after any party
        group = max((t.i for t in sent if t.i < tok.i and generic_group(t)), default=-1) \
            if word in ("they", "them", "their") else -1
        if word in PERSON_PRONOUNS and own_subject is None:
            # "Obama joined Park and Abe ... over what he called provocations": the subject of
            # a clause governing the pronoun before a person named nearer it
            governing = self._governing_subject(tok, wanted)
            if governing is not None:
                return governing
        parallel = self._parallel_subject(tok, wanted)
        if parallel is not None:
            return parallel
        for ref in reversed(self.referents):
            if ref.start >= tok.i or ref.start < sent.start:
                continue
            if ref.start < group:
                return None
            if own_subject is not None and own_subject[0] <= ref.start < own_subject[1]:
                continue  # "Kim called him a dotard": him is not Kim
            if ref.kind in wanted and ref.code is not None and not self._aside(ref, tok):
                return ref
        if group >= 0:
            return None
        if depth < 3:
            found = self._topic(tok, wanted, depth)
            if found is not None:
                return found
        best: Referent | None = None
        for ref in self.referents:
            if ref.start >= tok.i:
                break
            if ref.kind in wanted and ref.code is not None:
                best = ref
        return best

    def _parallel_subject(self, tok: Token, wanted: tuple[str, ...]) -> Referent | None:
        """The subject of the clause a subject pronoun's clause is joined to: "North Korea
        has supplied kits to Iran, but it has never tested the missile": it is North Korea,
        not Iran, named nearer as an object."""
        verb = tok.head
        if tok.dep_ != "nsubj" or verb.dep_ != "conj":
            return None
        first = verb.head
        while first.dep_ == "conj" and first.head.i != first.i:
            first = first.head
        for c in first.children:
            if c.dep_ == "nsubj":
                ref = self.by_token.get(c.i)
                if ref is None and c.lower_ in PERSON_PRONOUNS | GROUP_PRONOUNS:
                    return None
                if ref is not None and ref.kind in wanted and ref.code is not None:
                    return ref
        return None

    def _own_subject(self, tok: Token) -> tuple[int, int] | None:
        """The token span of the subject of the verb an object pronoun depends on."""
        if tok.lower_ not in ("him", "her", "them") or tok.dep_ not in ("dobj", "iobj",
                                                                       "dative", "pobj"):
            return None
        verb = tok.head.head if tok.dep_ == "pobj" else tok.head
        for c in verb.children:
            if c.dep_ in ("nsubj", "nsubjpass"):
                return c.left_edge.i, c.i + 1
        return None

    def _aside(self, ref: Referent, tok: Token) -> bool:
        """Whether ref is the source of an attribution ("X said") that tok is not part of."""
        head = self.doc[ref.end - 1]
        while head.dep_ in ("compound", "poss", "case", "amod") and head.head.i != head.i:
            head = head.head
        verb = head.head
        if head.dep_ not in ("nsubj", "nsubjpass") or verb.lemma_.lower() not in self._report:
            return False
        return not any(t.i == tok.i for t in verb.subtree)

    def _governing_subject(self, tok: Token, wanted: tuple[str, ...]) -> Referent | None:
        """The nearest subject, before the pronoun, of a verb above it that names a person
        ("Kim, who said his country ...": the one the relative clause is about)."""
        t = tok
        while t.head.i != t.i:
            if t.dep_ == "ccomp" and t.head.lemma_.lower() in self._report:
                return None  # "confirmed Warmbier was there and said he had been held": a
                # reported clause may speak of anyone before, not only the one reporting it
            t = t.head
            if t.pos_ not in ("VERB", "AUX"):
                continue
            subject = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")
                            and c.i < tok.i and c.i != tok.i), None)
            if subject is None:
                continue
            if subject.lower_ in ("who", "that") and t.dep_ == "relcl":
                subject = t.head
            if subject.lower_ in PERSON_PRONOUNS | GROUP_PRONOUNS:
                return None  # a pronoun of its own: the nearest-first search decides
            ref = self.by_token.get(subject.i)
            if ref is not None and ref.kind in wanted and ref.code is not None:
                return ref
            return None
        return None

    def _subject_ref(self, verb: Token, before: int, wanted: tuple[str, ...],
                     depth: int) -> Referent | None:
        for child in verb.children:
            if child.dep_ not in ("nsubj", "nsubjpass") or child.i >= before:
                continue
            if child.lower_ == "it" and verb.lemma_ == "be":
                # "It was the North's fifth launch": the topic is whose event it was.
                attrs = [c for c in verb.children if c.dep_ == "attr"]
                ref = next((r for a in attrs if (r := self.referent_in(a, kinds=wanted))), None)
                if ref is None:
                    ref = self.antecedent(child, depth + 1)
            elif child.lower_ in PERSON_PRONOUNS | GROUP_PRONOUNS:
                ref = self.antecedent(child, depth + 1)
            else:
                ref = self.referent_in(child, kinds=wanted)
            if ref is not None and ref.code is not None and ref.kind in wanted:
                return ref
        return None

    def _topic(self, tok: Token, wanted: tuple[str, ...], depth: int) -> Referent | None:
        sents = list(self.doc.sents) if self._sents is None else self._sents
        self._sents = sents
        here = next((k for k, s in enumerate(sents) if s.start <= tok.i < s.end), 0)
        for sent in reversed(sents[max(0, here - 2):here]):
            ref = self._subject_ref(sent.root, sent.end, wanted, depth)
            if ref is not None:
                return ref
        return None

    def is_expert(self, ref: Referent) -> bool:
        """An analyst, scholar or other expert: named with such a title here or in any other
        mention of the same person ("Kim Seo-yeon, an analyst at ...", later "Kim said")."""
        if ref.kind not in ("person", "role"):
            return False
        mentions = [r for r in self.referents if r.name == ref.name] or [ref]
        for r in mentions:
            root = self.doc[r.start:r.end].root
            near = [*self.doc[r.start:r.end]]
            near.extend(t for c in root.children if c.dep_ == "appos" for t in c.subtree)
            if root.dep_ == "appos":
                near.append(root.head)
            if any(t.lemma_.lower() in EXPERTS for t in near):
                return True
        return False

    def referents_between(self, start: int, end: int) -> list[Referent]:
        return [r for r in self.referents if start <= r.start < end]


# People in the plural that "they" may mean instead of the parties named before.
GROUP_NOUNS = frozenset({"leader", "official", "minister", "diplomat", "delegate", "envoy",
                         "negotiator", "lawmaker", "country", "nation", "government"})


def generic_group(tok: Token) -> bool:
    """"leaders' minds", "officials from 50 countries": people at large, not ones named
    ("the two leaders", "both countries", "their ministers" point back to named parties)."""
    return tok.tag_ == "NNS" and tok.lemma_.lower() in GROUP_NOUNS and not any(
        c.dep_ in ("det", "nummod", "poss") or c.lower_ == "both" for c in tok.children)


def phrase_tokens(head: Token, skip: frozenset[str] = DETACHED) -> list[Token]:
    """The tokens of the phrase headed by head, nearest first, not entering children whose
    relation is in skip (by default the clauses inside it)."""
    out: list[Token] = []
    stack = [head]
    while stack:
        tok = stack.pop(0)
        out.append(tok)
        stack.extend(c for c in tok.children if c.dep_ not in skip)
    return out
