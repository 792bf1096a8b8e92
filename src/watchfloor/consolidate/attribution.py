"""Whose word a report rests on: the outlet an article cites for it.

Three wire stories that each say "KCNA said the launch was a success" are one source, KCNA,
not three; and an act known only from the actor's own state media is *claimed*, not
reported. So a report whose sentence attributes it to an outlet the pack knows ("KCNA said",
"according to Yonhap", "state media reported") takes that outlet as its source; any other
report keeps its article's outlet.

The attribution must be the sentence's: the outlet named as the one saying ("X said/reported/
announced/claimed ...", "according to X", "X quoted ...", "told X"), not merely named ("Seoul
doubted KCNA's account" is Seoul's word). "State media" with no name is the state media of the
act's actor, as the pack lists them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from watchfloor.pack import Outlet, Pack

_SAYING = r"(?:said|says|reported|reports|announced|claimed|claims|quoted|cited|stated)"
_STATE_MEDIA = r"state(?:-run|-controlled)?\s+(?:media|news\s+agency|television|TV|radio)"


@dataclass(frozen=True, slots=True)
class Attribution:
    outlet: str  # the pack's name for it
    state_media_of: str | None  # its state, when it is that state's state media


class Attributions:
    """Built once per pack; finds the cited outlet of a sentence."""

    def __init__(self, pack: Pack) -> None:
        self._by_alias: dict[str, Outlet] = {}
        for outlet in pack.outlets:
            for alias in outlet.aliases:
                self._by_alias[alias.lower()] = outlet
        self._state_media: dict[str, Outlet] = {}
        for outlet in pack.outlets:  # the first listed outlet of a state is its voice
            if outlet.state_media and outlet.country and outlet.country not in self._state_media:
                self._state_media[outlet.country] = outlet
        names = sorted(self._by_alias, key=len, reverse=True)
        alias = "|".join(re.escape(n) for n in names) or r"(?!x)x"
        name = rf"(?:the\s+)?(?P<name>{alias}|{_STATE_MEDIA})"
        self._patterns = (
            re.compile(rf"\b(?:according\s+to|citing|quoted\s+by|told|in\s+a\s+report\s+by)"
                       rf"\s+{name}\b", re.IGNORECASE),
            re.compile(rf"\b{name}(?:'s?)?(?:\s+\w+){{0,3}}?\s+{_SAYING}\b", re.IGNORECASE),
        )

    def of(self, sentence: str, actor: str | None) -> Attribution | None:
        found = next((m for p in self._patterns if (m := p.search(sentence))), None)
        if found is None:
            return None
        said = " ".join(found.group("name").split())
        outlet = self._by_alias.get(said.lower())
        if outlet is None:  # "state media": the actor's own
            outlet = self._state_media.get(actor or "")
            if outlet is None:
                return None
        return Attribution(outlet.name, outlet.country if outlet.state_media else None)
