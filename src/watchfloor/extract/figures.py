"""Flight figures a launch report gives: how far the missile flew and how high it went
("flew about 1,000 km (620 miles)", "reached an altitude of 2,111.5 km"). Sources differ on
them (Seoul's 800 km against Tokyo's 1,000 km), so each report keeps its own and consolidation
keeps every value with its source.

Read only from the clause of the act's own words (the trigger's clause and the clauses joined
to it: "was launched at 7:34 a.m. and flew about 1,000 km"), never from a clause about another
act ("farther than the 700 km of May's test" is in a phrase of its own and is skipped when it
compares). Miles become kilometres; a figure given in both keeps the kilometres.
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from watchfloor.extract.grammar import clause_verb

_NUMBER = r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?"
_UNIT = r"(km|kilomet(?:er|re)s?|miles?|mi)\b"
_HEDGE = (r"(?:about|some|around|roughly|nearly|almost|approximately|more than|over|up to|"
          r"an estimated)?\s*")
DISTANCE = re.compile(
    r"\b(?:fl[eo]w|flown|flying|travel+ed|travel+ing|covered|flight of|range of|distance of)"
    rf"\s+(?:for\s+)?{_HEDGE}{_NUMBER}\s*{_UNIT}", re.IGNORECASE)
APOGEE = re.compile(
    rf"\b(?:altitude|apogee|height)\s+of\s+{_HEDGE}{_NUMBER}\s*{_UNIT}", re.IGNORECASE)
# A figure compared with another act's is that act's ("farther than the 700 km of May").
COMPARED = re.compile(r"\b(?:than|compared with|compared to|unlike)\s*$", re.IGNORECASE)
KM_PER_MILE = 1.609344


def _km(match: re.Match[str]) -> float:
    whole, fraction, unit = match.group(1), match.group(2), match.group(3).lower()
    value = float(whole.replace(",", "") + (f".{fraction}" if fraction else ""))
    return round(value * KM_PER_MILE, 1) if unit.startswith("mi") else value


def flight_figures(trigger: Token) -> tuple[float | None, float | None]:
    """(distance_km, apogee_km) the act's own clause gives, else None for each."""
    verb = clause_verb(trigger)
    span = trigger.doc[verb.left_edge.i:verb.right_edge.i + 1]
    text = span.text
    figures: list[float | None] = []
    for pattern in (DISTANCE, APOGEE):
        found = next((m for m in pattern.finditer(text)
                      if not COMPARED.search(text[max(0, m.start() - 20):m.start()])), None)
        figures.append(_km(found) if found is not None else None)
    return figures[0], figures[1]
