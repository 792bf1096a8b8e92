"""Speech acts with no trigger word of their own: names put on an act or an actor, and
comments made through a verb of saying.

- "called the launch a stern warning to the U.S." is a threat; "called it a grave threat" a
  statement; "called him a dotard", "called the drills preparations for invasion" a charge.
- "Russia said the move would harm stability" is a statement aimed at the mover; "said the
  launch was a clear breach" a charge.

``SpeechActs`` is the part of the event finder (events.EventFinder) that reads them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from watchfloor.extract.actors import ActorIndex, Referent
from watchfloor.extract.grammar import (
    JOINT_TYPES,
    SUBJECTS,
    clause_verb,
    conjuncts,
    expert_named,
    of_parties,
    phrase_of,
    subject_of,
    symmetric,
)
from watchfloor.extract.modality import infinitive

if TYPE_CHECKING:
    from watchfloor.extract.events import Lexicon

# Words for an act that a comment can be about besides the ontology's trigger nouns: "said
# the move would harm stability".
ACT_WORDS = frozenset({"move", "decision", "step", "action", "act", "plan", "deployment",
                       "launch", "test", "provocation"})
# Verbs that put a name on someone or on what they did: "called him a dotard".
CALLING_VERBS = frozenset({"call", "describe", "brand", "label", "term", "dub"})
COPULAS = frozenset({"be", "look", "seem", "appear", "remain", "prove", "become", "sound"})
MODALS = frozenset({"would", "could", "will", "can", "may", "might", "must", "should"})
# What words are said in: "said in a statement that ...".
STATEMENT_NOUNS = frozenset({"statement", "message", "letter", "remark", "interview", "speech",
                             "address", "communique", "commentary"})
# Modals by which a speaker asks something of the party a clause is about.
URGING = frozenset({"should", "must", "ought"})
# REACTED_EVENT value: whatever act was reported last ("the move"); followed by a type, the
# last act of that type ("the move to deploy")
LAST_ACT = "*last"
# Words of an epithet that charge hostility: "called the drills preparations for invasion",
# "a declaration of war", "nuclear war moves".
HOSTILITY = frozenset({"war", "invasion", "aggression", "attack", "provocation", "crime",
                       "hostile", "hostility", "plot", "blackmail", "piracy", "invade"})


# Words by which a comment charges its subject with wrongdoing: "the regime is notoriously
# deceitful", "a master of evasion", "reckless pursuit of weapons".
ACCUSING = frozenset({"deceitful", "dishonest", "reckless", "illicit", "illegal", "unlawful",
                      "evasion", "evade", "lie", "lying", "liar", "cheat", "cheating",
                      "criminal", "rogue", "outlaw", "lawless", "belligerent", "aggressive",
                      "provocative", "destabilizing", "destabilising", "irresponsible",
                      "brutal", "barbaric", "hostile", "dangerous", "bent", "smear",  # hell-bent
                      "banned"})


# Verbs by which a speaker gives an assessment of another party: "said it did not believe
# that North Korea had ...", "said it had seen no evidence that ...".
BELIEF_VERBS = frozenset({"believe", "think", "doubt", "assess", "judge", "conclude", "see",
                          "find", "suspect"})


def _urging(clause: Token) -> bool:
    """Whether a said clause asks something of its subject: "the North should stop",
    "Pyongyang must return to compliance", "needed to demonstrate", "has to stop"."""
    lemma = clause.lemma_.lower()
    return any(c.dep_ == "aux" and c.lower_ in URGING for c in clause.children) or (
        lemma in ("need", "have")
        # (not "has yet to respond": a report of what has not happened)
        and not any(c.dep_ == "advmod" and c.lower_ in ("yet", "still") for c in clause.children)
        and any(
            # (the parser may take "needed to show" for a purpose)
            (c.dep_ == "xcomp" or (c.dep_ == "advcl" and lemma == "need")) and infinitive(c)
            for c in clause.children))


def _everyone(subject: Token) -> bool:
    """"all parties concerned", "all sides": everyone a call is made to."""
    return subject.lemma_.lower() in ("party", "side", "country", "nation") and any(
        c.lower_ == "all" for c in subject.children)


class SpeechActs:
    """Comments and names put on acts, for the event finder that inherits it."""

    lex: Lexicon
    actors: ActorIndex

    def referents(self, tokens: Sequence[Token], exclude: set[str] | frozenset[str] = frozenset(),
                  *, speech: bool = False) -> list[Referent]:
        """The actors the tokens stand for: the event finder's resolution."""
        raise NotImplementedError

    # --- characterisations: "called the launch a warning", "called him a dotard" --------

    def characterised(self, noun: Token) -> tuple[Token, Token | None] | None:
        """For a noun that characterises something ("called the launch a stern warning",
        "denounced the test as a threat"): the verb and the thing characterised."""
        if noun.pos_ not in ("NOUN", "PROPN") and not (noun.pos_ == "ADJ"
                                                        and noun.dep_ == "oprd"):
            return None  # a noun, or an adjective put on something: "totally unacceptable"
        dets = [c for c in noun.children if c.dep_ == "det"]
        if (noun.dep_ == "dobj" and noun.head.lemma_.lower() in CALLING_VERBS and len(dets) > 1
                and dets[0].lower_ in ("this", "that")):
            # "called this \"a declaration of war\"", parsed as one phrase with two articles
            return noun.head, dets[0]
        if noun.dep_ == "oprd":
            verb = noun.head
        elif noun.dep_ == "pobj" and noun.head.lower_ == "as" and noun.head.head.pos_ == "VERB":
            verb = noun.head.head
        else:
            return None
        thing = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if (thing is not None and thing.lower_ in ("which", "that") and verb.dep_ == "relcl"):
            thing = verb.head  # "drills, which Pyongyang has denounced as a rehearsal"
        return verb, thing

    def _characterisation_type(self, noun: Token, etype: str, verb: Token) -> str:
        """A threat sent to someone else ("called the launch a stern warning to the U.S.") is
        the speaker's threat; one the speaker sees ("called it a grave threat to Japan's
        security") is its statement about the act."""
        if etype != "threaten":
            return etype
        speakers = {r.code for r in self._subjects_with_outlets(verb)}
        aimed = [p for t in (noun, verb) for c in t.children
                 if c.dep_ == "prep" and c.lower_ == "to"
                 for p in c.children if p.dep_ == "pobj"]
        for p in aimed:
            ref = self.actors.referent_in(p)
            if ref is not None and ref.code and ref.code not in speakers:
                return etype  # "a stern warning to the U.S.": sent to someone else
        return "statement"  # "called it a grave threat (to Japan's security)": a judgement

    def _owners(self, noun: Token, exclude: set[str]) -> list[Referent]:
        """Whose doings a noun names: "moves of the United States", "Seoul's moves",
        "crimes committed by Russia"."""
        return self.referents([
            *of_parties(noun), *(c for c in noun.children if c.dep_ == "poss"),
            *(p for a in noun.children if a.dep_ == "acl" for g in a.children
              if g.dep_ == "agent" for p in g.children if p.dep_ == "pobj")], exclude)

    def _speech_verb(self, tok: Token) -> Token:
        """What dates a comment: the verb of saying that carries it ("in a statement on
        Tuesday, he said the satellite would watch what he called reckless moves"), else the
        comment's own words."""
        if tok.dep_ == "ccomp" and tok.head.lemma_.lower() in self.lex.cues.report:
            return tok.head  # "said the move would harm stability"
        verb = tok.head if tok.dep_ == "oprd" else tok
        for v in [verb, *verb.ancestors]:
            if v.pos_ == "VERB" and v.lemma_.lower() in self.lex.cues.report:
                return v
        return tok

    def _subjects_with_outlets(self, verb: Token) -> list[Referent]:
        """The subject of a verb, where a state's news agency counts as its state."""
        return self.referents([c for h in subject_of(verb) for c in conjuncts(h)],
                              speech=True)

    def epithets(self, sent: Span, triggers: Sequence[tuple[Token, str]]
                 ) -> list[tuple[str, Token, list[Referent], list[Referent], str | None]]:
        """A name put on another actor or on its act by a verb of calling ("Kim called him
        a dotard", "called the drills a rehearsal for invasion"): a charge against that
        actor, or a statement about its act."""
        found: list[tuple[str, Token, list[Referent], list[Referent], str | None]] = []
        taken = {t.i for t, _ in triggers}
        for noun in sent:
            named = self.characterised(noun)
            if named is None or noun.i in taken:
                continue
            verb, thing = named
            if (verb.i in taken or thing is None
                    or verb.lemma_.lower() not in CALLING_VERBS):
                continue
            speakers = self._subjects_with_outlets(verb)
            codes = {r.code for r in speakers if r.code}
            if not speakers:
                continue
            if thing.lower_ in ("this", "that"):
                # "called this a declaration of war": the act reported last
                hostile = any(t.lemma_.lower() in HOSTILITY for t in noun.subtree)
                found.append(("accuse" if hostile else "statement", noun, speakers, [],
                              LAST_ACT))
                continue
            if thing.lower_ == "what":
                # "what he called the reckless military moves of the United States and South
                # Korea", "what he called crimes committed by Russia": the name is put on the
                # parties' own doings, a charge against them
                owners = self._owners(noun, codes)
                if owners:
                    found.append(("accuse", noun, speakers, owners, None))
                continue
            if self._act_word(thing):
                targets, reacts_to = self.act_target(thing, codes)
                if reacts_to is not None and symmetric(reacts_to):
                    continue  # "called the meeting a new milestone": its own meeting
                # "called the drills preparations for invasion": a charge of hostility;
                # "called the launch a grave threat", "totally unacceptable": a judgement
                hostile = any(t.lemma_.lower() in HOSTILITY for t in noun.subtree)
                found.append(("accuse" if hostile else "statement", noun, speakers, targets,
                              reacts_to))
                continue
            ref = self.actors.referent_in(thing)
            if ref is not None and ref.code and ref.code not in codes:
                found.append(("accuse", noun, speakers, [ref], None))
        return found

    # --- comments made through a verb of saying ----------------------------------------

    def reported_comment(self, trig: Token) -> tuple[list[Referent], Token | None]:
        """For a speech-act trigger whose subject is an act, not an actor ("the launch
        violated", "the launch was a breach"): the speaker of the clause that reports it, and
        the act."""
        # the trigger's own clause: "the launch was a breach", "the test was ... in violation
        # of U.N. resolutions"
        clause = trig if trig.pos_ in ("VERB", "AUX") else clause_verb(trig)
        while clause.dep_ == "conj" and not any(c.dep_ in SUBJECTS for c in clause.children):
            clause = clause.head
        subject = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None or not self._act_word(subject):
            return [], None
        speakers = self._speakers(clause)
        return speakers, (subject if speakers else None)

    def comments(self, sent: Span, triggers: Sequence[tuple[Token, str]]
                 ) -> list[tuple[str, Token, list[Referent], list[Referent], str | None]]:
        """Comments with no trigger word of their own: a speaker says that an act, or
        another actor, is something ("said the launches were a direct challenge", "said the
        move would harm stability", "said Beijing was firmly opposed to it"). Each is a
        statement by the speaker aimed at the act's author or at that actor: the comment's
        stance toward them is the news. Plain reports ("said the missile flew 400 km") and
        clauses with an event of their own ("said North Korea fired") are not comments.

        A comment that charges the other party with wrongdoing ("said the regime was
        notoriously deceitful", "is a master of evasion") is an accusation, quoted or not."""
        found: list[tuple[str, Token, list[Referent], list[Referent], str | None]] = []
        taken = {t.i for t, _ in triggers}
        for verb in sent:
            if verb.pos_ != "VERB" or verb.lemma_.lower() not in self.lex.cues.report:
                continue
            # "dismissed talks, saying the speech was a blunder": its reason, no comment of
            # its own (but "condemned the launch, saying Pyongyang must stop" asks something)
            reason = (verb.dep_ in ("advcl", "xcomp", "conj") and verb.head.i in taken
                      and not any(c.dep_ in SUBJECTS for c in verb.children))
            said = [c for c in verb.children if c.dep_ == "ccomp" or (
                c.dep_ == "xcomp" and verb.dep_ == "relcl")]
            # ("saying in a statement that Pyongyang must return to compliance": the parser
            # may hang what is said on the statement)
            said += [a for c in verb.children if c.dep_ == "prep" for p in c.children
                     if p.dep_ == "pobj" and p.lemma_.lower() in STATEMENT_NOUNS
                     for a in p.children if a.dep_ == "acl"
                     and any(s.dep_ in SUBJECTS for s in a.children)]
            # ("said the launch was a breach and that the North should stop ...": each
            # clause joined with a subject of its own is said too)
            said += [j for c in said for j in c.conjuncts
                     if j.i > c.i and any(s.dep_ in SUBJECTS for s in j.children)]
            for clause in said:
                urging = _urging(clause)
                if reason and not urging:
                    continue
                judged = self._judgement(clause, verb)
                if judged is not None:
                    found.append(judged)
                    continue
                charge = any(t.lemma_.lower() in ACCUSING or t.lower_ in ACCUSING
                             for t in clause.subtree)
                if not charge and not urging and not self._evaluative(clause):
                    continue
                subject = next((c for c in clause.children
                                if c.dep_ in ("nsubj", "nsubjpass")), None)
                described = False  # the subject is what a relative clause describes
                if (subject is not None and subject.lower_ in ("who", "which", "that")
                        and verb.dep_ == "relcl"):
                    # "the United States and South Korea, who it said were hell-bent on
                    # war", "a launch that Washington said used banned technology": them
                    subject, described = verb.head, True
                if (subject is None and verb.dep_ == "relcl" and verb.head.pos_ == "NOUN"
                        and any(c.dep_ == "nsubj" and c.lower_ in ("that", "which")
                                for c in verb.children)):
                    # the same, the relative parsed as the saying's
                    subject, described = verb.head, True
                elif subject is None and any(c.dep_ == "mark" and c.lower_ in ("that", "which")
                                             for c in verb.children):
                    # the same, with "that" parsed as the saying's conjunction: what the
                    # clause the saying hangs on acted on ("launched a rocket ... that
                    # Washington said used banned technology")
                    subject = next((o for o in verb.head.children if o.dep_ == "dobj"
                                    and o.i < verb.i), None)
                # Not: a clause before its verb of saying ("..., the resolution is paper,"
                # she said) or a quotation, unless it charges; nor "it" (the missile, or the
                # act?).
                if (subject is None or subject.lower_ in ("it", "this", "that") or (
                        not charge and not urging
                        and (clause.i < verb.i or clause.left_edge.is_quote))):
                    continue
                inner = [t for t in clause.subtree if t.i != subject.i
                         and t.lemma_.lower() not in ACCUSING and t.lower_ not in ACCUSING]
                if not urging and any(t.i in taken or self._trigger_word(t) for t in inner):
                    # "said it would launch": an event of its own, not a comment (but "said
                    # Tehran must stop its threats" asks it to)
                    continue
                if self._act_word(subject) and not described and not any(
                        c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ != "a")
                        for c in subject.children):
                    continue  # "said a launch could come": a new event, not a comment on one
                said_in = (self.referents(subject_of(verb), speech=True)
                           if clause.dep_ == "acl" else [])  # "saying in a statement that"
                speakers = [r for r in self._speakers(clause) or said_in
                            if not self.actors.is_expert(r)]
                if not speakers:
                    continue
                codes = {r.code for r in speakers if r.code}
                if subject.dep_ == "dobj" and subject.head.i in taken:
                    # "launched a rocket that Washington said used banned technology": the
                    # charge is against who launched it
                    targets, reacts_to = [r for h in subject_of(subject.head)
                                          for c in conjuncts(h)
                                          if (r := self.actors.referent_in(c)) is not None
                                          and r.code and r.code not in codes], None
                elif self._act_word(subject):
                    targets, reacts_to = self.act_target(subject, codes)
                else:
                    refs = [r for c in conjuncts(subject)
                            if (r := self.actors.referent_in(c)) is not None and r.code]
                    if not refs and urging and _everyone(subject):
                        # "all parties concerned should avoid actions that ...": asked of all
                        found.append(("appeal", clause, speakers, [], None))
                        continue
                    if not refs:
                        continue
                    others = [r for r in refs if r.code not in codes]
                    targets, reacts_to = (others, None) if others else (
                        self._complement_target(clause, codes))
                if targets or reacts_to:
                    kind = "accuse" if charge else "statement"
                    if targets and not described and urging:
                        # "said the North should stop pouring its resources into weapons":
                        # what another party should do is asked of it
                        kind = "appeal"
                    found.append((kind, clause, speakers, targets, reacts_to))
        return found

    def _judgement(self, clause: Token, verb: Token
                   ) -> tuple[str, Token, list[Referent], list[Referent], str | None] | None:
        """"said it did not believe that North Korea had miniaturized a warhead", "said it had
        seen no evidence that the North had succeeded": the speaker's assessment of another
        party, a statement aimed at it."""
        if clause.lemma_.lower() not in BELIEF_VERBS:
            return None
        if clause.lemma_.lower() in ("see", "find") and not any(
                t.lemma_.lower() in ("evidence", "sign", "indication", "proof")
                for t in clause.children if t.dep_ == "dobj"):
            return None  # "said it saw the launch": no judgement
        inner = [c for t in (clause, *(o for o in clause.children if o.dep_ == "dobj"))
                 for c in t.children if c.dep_ in ("ccomp", "acl")]
        subjects = [s for c in inner for s in c.children if s.dep_ in ("nsubj", "nsubjpass")]
        if not subjects or verb.i > clause.i:
            return None
        speakers = [r for r in self._speakers(clause) if not self.actors.is_expert(r)]
        codes = {r.code for r in speakers if r.code}
        targets = [r for s in subjects for c in conjuncts(s)
                   if (r := self.actors.referent_in(c)) is not None and r.code
                   and r.code not in codes]
        if not speakers or not targets:
            return None
        return "statement", clause, speakers, targets, None

    def _trigger_word(self, tok: Token) -> bool:
        lemma = tok.lemma_.lower()
        return (lemma in self.lex.verbs if tok.pos_ == "VERB" else
                tok.pos_ in ("NOUN", "PROPN") and lemma in self.lex.nouns)

    def _evaluative(self, clause: Token) -> bool:
        """A clause that judges rather than reports: "was a direct challenge", "was firmly
        opposed to it", "would harm stability", "would not work"."""
        children = list(clause.children)
        if clause.lemma_ in COPULAS and any(c.dep_ in ("attr", "acomp") for c in children):
            return True  # "was a direct challenge", "looked too weak for a true H-bomb"
        if clause.lemma_ in ("appear", "seem", "continue") and any(
                c.dep_ == "xcomp" for c in children):
            # "the North appeared to be exaggerating its achievement", "its actions continue
            # to be hostile"
            return True
        return any((c.dep_ == "aux" and c.lower_ in MODALS) or c.dep_ == "neg"
                   for c in children)

    def _act_word(self, tok: Token) -> bool:
        lemma = tok.lemma_.lower()
        return tok.pos_ in ("NOUN", "PROPN") and (lemma in ACT_WORDS or lemma in self.lex.nouns)

    def _speakers(self, clause: Token) -> list[Referent]:
        """Who says the clause: the subject of the verb of saying it complements."""
        tok = clause
        while tok.dep_ == "conj" and tok.head.i != tok.i:
            tok = tok.head
        verb = tok.head
        if not (tok.dep_ == "ccomp" or (tok.dep_ == "xcomp" and verb.dep_ == "relcl")) or (
                verb.lemma_.lower() not in self.lex.cues.report):
            return []
        # "a launch that Washington said used ...": the parser may give the saying the
        # relative pronoun as a second subject; the sayer is the other
        heads = [c for c in verb.children if c.dep_ == "nsubj"
                 and c.lower_ not in ("that", "which", "who")] or subject_of(verb)
        # not an expert: "Kim Seo-yeon, an analyst at ..., said"; a state's own news agency
        # speaks for it
        return self.referents([c for h in heads if not expert_named(h)
                               for c in conjuncts(h)], speech=True)

    def act_target(self, act: Token, actor_codes: set[str]
                   ) -> tuple[list[Referent], str | None]:
        """Whose act it is: the possessor or party named in its phrase ("North Korea's
        launch"), else the type of the act, for the extractor to fill with its usual doer."""
        for t in phrase_of(act):
            ref = self.actors.by_token.get(t.i)
            if (t.dep_ in ("poss", "compound", "amod") and ref is not None and ref.code
                    and ref.code not in actor_codes):
                return [ref], None
        if act.pos_ in ("NOUN", "PROPN"):
            for c in act.children:
                if c.dep_ == "poss" and c.lower_ in ("its", "their"):
                    ref = self.actors.referent_in(c)
                    if ref is not None and ref.code and ref.code not in actor_codes:
                        return [ref], None
        types = self.lex.nouns.get(act.lemma_.lower(), ())
        if not types and act.lemma_.lower() in ACT_WORDS:
            for c in act.children:
                named = self.lex.verbs.get(c.lemma_.lower(), ())
                if c.dep_ in ("acl", "relcl") and infinitive(c) and named:
                    # "the move to deploy the system": the last deployment reported
                    return [], LAST_ACT + named[0]
            return [], LAST_ACT  # "the move", "the decision": the act reported last
        return [], (types[0] if types else "weapon_test")

    def _complement_target(self, clause: Token, codes: set[str]
                           ) -> tuple[list[Referent], str | None]:
        """"Beijing was firmly opposed to it": what the comment is aimed at."""
        for t in clause.subtree:
            if t.dep_ == "pobj" and t.head.lower_ in ("to", "against", "about", "over"):
                if t.lower_ in ("it", "this", "that") or self._act_word(t):
                    return self.act_target(t, codes)  # "opposed to it": to the act
                ref = self.actors.referent_in(t)
                if ref is not None and ref.code and ref.code not in codes:
                    return [ref], None
        return [], None

    @staticmethod
    def _pairs(etype: str, actors: list[Referent], targets: list[Referent]
               ) -> list[tuple[Referent | None, Referent | None]]:
        """CAMEO dyads: one event per actor and target. A meeting or agreement of conjoined
        parties with no separate target ("Kim and Trump met"), or of three parties in all
        ("Biden hosted Yoon and Kishida"), is one event per pair of them, and of four or more
        conjoined (six-party talks), one between the first two named."""
        if etype in JOINT_TYPES and targets:
            # "its joint exercises with South Korea": both hold them
            actors = [*actors, *(t for t in targets if all(a.code != t.code for a in actors))]
            targets = []
        if symmetric(etype) and not targets and len(actors) >= 2:
            parties = actors if len(actors) <= 3 else actors[:2]
            return [(a, b) for i, a in enumerate(parties) for b in parties[i + 1:]]
        if symmetric(etype) and targets:
            # "Biden hosted Yoon and Kishida": a meeting of three is one event per pair,
            # the guests' too
            parties = list({r.code: r for r in (*actors, *targets) if r.code}.values())
            if len(parties) == 3:
                return [(a, b) for i, a in enumerate(parties) for b in parties[i + 1:]]
        actor_list: list[Referent | None] = list(actors) or [None]
        target_list: list[Referent | None] = list(targets) or [None]
        return [(a, tg) for a in actor_list for tg in target_list]
