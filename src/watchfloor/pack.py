"""Load a domain pack: a folder of YAML files that holds what the code knows about a domain.

Actors, weapon systems and the phrases that name weapon classes, places and datelines, news
outlets, the event ontology and the modality cues are data, so that a second pack (Iran, say)
needs no code change. ``load_pack`` reads a pack folder once, validates every value and turns it
into frozen, slotted records; a bad value stops the load with ``E.W301`` naming the file, the
entry and the key, a missing file with ``E.W302``. The pack is stamped with the sha256 of its
files (``pack_sha256``), and that hash goes on every record extracted with it.

The file formats are documented in docs/DOMAIN_PACK.md.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any, NoReturn
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from watchfloor.errors import E, WatchfloorError
from watchfloor.records import EVENT_TYPES

PACK_FILES: tuple[str, ...] = (
    "pack.yaml",
    "actors.yaml",
    "weapons.yaml",
    "places.yaml",
    "outlets.yaml",
    "ontology.yaml",
    "modality.yaml",
)
ACTOR_KINDS: tuple[str, ...] = ("state", "organisation", "person")
# The weapon classes of GOLD_FORMAT.md; records.py has no list of its own yet.
WEAPON_CLASSES: tuple[str, ...] = (
    "SRBM",
    "MRBM",
    "IRBM",
    "ICBM",
    "SLBM",
    "cruise",
    "hypersonic",
    "nuclear",
    "space_launch",
    "artillery",
)
PLACE_KINDS: tuple[str, ...] = (
    "city",
    "region",
    "island",
    "sea",
    "border",
    "launch_site",
    "test_site",
    "nuclear_site",
    "military_base",
    "naval_base",
    "airbase",
    "airport",
    "facility",
    "venue",
)
# PLOVER event types (openeventdata/PLOVER, 2021 manual).
PLOVER_TYPES: tuple[str, ...] = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)
MODALITY_REQUIRED: tuple[str, ...] = ("hypothetical", "intended", "desired", "negated", "report")
MODALITY_OPTIONAL: tuple[str, ...] = ("outcome", "failure", "habitual", "capability",
                                      "reference", "cessation")

_CODE = re.compile(r"[A-Z][A-Z0-9]{1,15}")
_STATE_CODE = re.compile(r"[A-Z]{3}")
_CAMEO = re.compile(r"[0-9]{2,4}")


# --- records -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Role:
    """A role an actor held, from ``start`` to ``end`` inclusive; None is an open end."""

    role: str
    start: date | None
    end: date | None

    def covers(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class Actor:
    """A state, an organisation (a state's body carries the state's code) or a person.

    ``aliases`` always holds ``name`` and every ambiguous alias; ``ambiguous`` lists those
    aliases that count only once the document has named the actor in full ("Kim").
    """

    code: str
    name: str
    kind: str  # state | organisation | person
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    roles: tuple[Role, ...]
    ambiguous: tuple[str, ...]

    def roles_on(self, day: date) -> tuple[str, ...]:
        return tuple(r.role for r in self.roles if r.covers(day))


@dataclass(frozen=True, slots=True)
class WeaponSystem:
    name: str  # canonical, as GOLD_FORMAT.md spells it
    classes: tuple[str, ...]
    aliases: tuple[str, ...]  # always holds name


@dataclass(frozen=True, slots=True)
class WeaponClassTerm:
    weapon_class: str
    phrases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    country: str | None
    kind: str
    aliases: tuple[str, ...]  # always holds name
    lat: float | None
    lon: float | None


@dataclass(frozen=True, slots=True)
class Outlet:
    name: str
    country: str | None
    state_media: bool
    aliases: tuple[str, ...]  # always holds name


@dataclass(frozen=True, slots=True)
class Conflict:
    """A war known by name, with its two sides (principal party first) and the day it ended;
    a truce or peace treaty said to end it is between its sides."""

    name: str
    sides: tuple[tuple[str, ...], tuple[str, ...]]
    ended: date | None


@dataclass(frozen=True, slots=True)
class EventType:
    """One event type of GOLD_FORMAT.md with its CAMEO and PLOVER codes and trigger words.

    ``objects`` are lemmas one of which must stand in a trigger's phrase for the trigger to
    count ("launch" needs a missile, a rocket, a satellite ...); empty means any trigger counts.
    ``stances`` gives the stance a trigger lemma expresses ("welcome" -> praise).
    ``actor_kinds`` are the kinds of actor that can do it (organisations do not test missiles);
    empty means any kind. ``verb_objects`` names, for some verbs, the lemmas one of which must
    head the verb's object (or the object name a weapon) for it to count ("withdraw" troops
    or guard posts, not an alert); with no object, they or an actor must be its subject
    ("the troops withdrew", not "withdrew from the treaty").
    """

    name: str
    cameo: str
    plover: str
    verbs: tuple[str, ...]
    nouns: tuple[str, ...]
    phrases: tuple[str, ...]
    definition: str = ""
    objects: tuple[str, ...] = ()
    actor_kinds: tuple[str, ...] = ()
    particles: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    stances: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    verb_objects: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        object.__setattr__(self, "particles", MappingProxyType(dict(self.particles)))
        object.__setattr__(self, "stances", MappingProxyType(dict(self.stances)))
        object.__setattr__(self, "verb_objects", MappingProxyType(dict(self.verb_objects)))

    def __reduce__(self) -> tuple[Any, ...]:
        # A mappingproxy cannot be pickled, and a pack must travel to Dask workers.
        return (EventType, (*_field_values(self)[:-3], dict(self.particles), dict(self.stances),
                            dict(self.verb_objects)))


@dataclass(frozen=True, slots=True)
class Pack:
    """A loaded domain pack. Built once by ``load_pack`` and passed around; never mutated."""

    path: Path
    name: str
    description: str
    sha256: str
    default_tz: str
    actors: tuple[Actor, ...]
    role_nouns: tuple[str, ...]
    weapons: tuple[WeaponSystem, ...]
    weapon_classes: tuple[WeaponClassTerm, ...]
    places: tuple[Place, ...]
    datelines: Mapping[str, str]  # "SEOUL" -> "Asia/Seoul"
    outlets: tuple[Outlet, ...]
    event_types: Mapping[str, EventType]
    modality: Mapping[str, tuple[str, ...]]  # cue name -> words and phrases
    # talks known by name -> their two principal parties ("six-party talks" -> PRK, USA)
    forums: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    # wars known by name, by each of their names in lower case ("korean war")
    conflicts: Mapping[str, Conflict] = field(default_factory=dict)
    _actor_keys: Mapping[str, int] = field(init=False, repr=False, compare=False)
    _actor_folded: Mapping[str, int] = field(init=False, repr=False, compare=False)
    _alias_actors: Mapping[str, tuple[int, ...]] = field(init=False, repr=False, compare=False)
    _zones: Mapping[str, str] = field(init=False, repr=False, compare=False)
    _names: Mapping[str, Mapping[str, int]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in ("datelines", "event_types", "modality", "forums", "conflicts"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))
        keys, folded, by_alias = _actor_tables(self.actors)
        object.__setattr__(self, "_actor_keys", MappingProxyType(keys))
        object.__setattr__(self, "_actor_folded", MappingProxyType(folded))
        object.__setattr__(self, "_alias_actors", MappingProxyType(by_alias))
        zones = {_fold(k): v for k, v in self.datelines.items()}
        object.__setattr__(self, "_zones", MappingProxyType(zones))
        names = {
            "weapon": _name_table(self.weapons),
            "place": _name_table(self.places),
            "outlet": _name_table(self.outlets),
        }
        object.__setattr__(self, "_names", MappingProxyType(names))

    def __reduce__(self) -> tuple[Any, ...]:
        values = [
            dict(v) if isinstance(v, Mapping) else v
            for f, v in zip(fields(self), _field_values(self), strict=True)
            if f.init
        ]
        return (Pack, tuple(values))

    def __hash__(self) -> int:
        return hash((self.sha256, str(self.path)))

    def actor(self, code_or_name: str) -> Actor | None:
        """The actor with this code, canonical name or unambiguous alias.

        A code gives its state (or, for an organisation's code, the organisation), not one of
        the people or bodies that share it. Codes and canonical names also match ignoring
        case; aliases match only as written.
        """
        i = self._actor_keys.get(code_or_name)
        if i is None:
            i = self._actor_folded.get(_fold(code_or_name))
        return None if i is None else self.actors[i]

    def actors_named(self, alias: str) -> tuple[Actor, ...]:
        """Every actor that has this alias or demonym, ambiguous ones included ("Kim")."""
        return tuple(self.actors[i] for i in self._alias_actors.get(alias, ()))

    def dateline_tz(self, dateline: str) -> str | None:
        """The IANA zone of a dateline city, ignoring case: "SEOUL", "Seoul", "SEOUL, South
        Korea" all give "Asia/Seoul"."""
        zone = self._zones.get(_fold(dateline))
        if zone is None:
            city = re.split(r"[,(]", dateline, maxsplit=1)[0]
            zone = self._zones.get(_fold(city.strip(" -–—:")))
        return zone

    def weapon(self, name_or_alias: str) -> WeaponSystem | None:
        i = self._names["weapon"].get(name_or_alias)
        return None if i is None else self.weapons[i]

    def place(self, name_or_alias: str) -> Place | None:
        i = self._names["place"].get(name_or_alias)
        return None if i is None else self.places[i]

    def outlet(self, name_or_alias: str) -> Outlet | None:
        i = self._names["outlet"].get(name_or_alias)
        return None if i is None else self.outlets[i]


def _field_values(obj: Any) -> list[Any]:
    return [getattr(obj, f.name) for f in fields(obj)]


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _actor_tables(
    actors: tuple[Actor, ...],
) -> tuple[dict[str, int], dict[str, int], dict[str, tuple[int, ...]]]:
    """Lookup tables for Pack.actor: codes first, then canonical names, then aliases that
    name one actor and are not ambiguous."""
    keys: dict[str, int] = {}
    by_alias: dict[str, list[int]] = {}
    # A code names its state or organisation, never a person or a body sharing the code.
    for rank in ("state", "organisation", "person"):
        for i, a in enumerate(actors):
            if a.kind == rank:
                keys.setdefault(a.code, i)
    for i, a in enumerate(actors):
        keys.setdefault(a.name, i)
    for i, a in enumerate(actors):
        for alias in (*a.aliases, *a.demonyms):
            by_alias.setdefault(alias, [])
            if i not in by_alias[alias]:
                by_alias[alias].append(i)
    # Only codes and canonical names are matched ignoring case: folded aliases would turn
    # the pronoun "us" into the United States and "who" into the World Health Organization.
    folded: dict[str, int] = {}
    for key, i in keys.items():
        folded.setdefault(_fold(key), i)
    for alias, idx in by_alias.items():
        if len(idx) == 1 and alias not in actors[idx[0]].ambiguous:
            keys.setdefault(alias, idx[0])
    return keys, folded, {k: tuple(v) for k, v in by_alias.items()}


def _name_table(items: Iterable[WeaponSystem | Place | Outlet]) -> dict[str, int]:
    table: dict[str, int] = {}
    for i, item in enumerate(items):
        for alias in (item.name, *item.aliases):
            table.setdefault(alias, i)
    return table


# --- hashing -------------------------------------------------------------------------------


def _pack_files(path: Path) -> list[tuple[str, bytes]]:
    """Every file of the pack, as (relative POSIX name, bytes), sorted by name.

    Hidden files and __pycache__ are left out: an editor's swap file must not change the hash.
    """
    if not path.is_dir():
        raise WatchfloorError(
            E.W301, path=path, detail="is not a folder; give a pack folder such as packs/korea"
        )
    files: list[tuple[str, bytes]] = []
    for p in path.rglob("*"):
        rel = p.relative_to(path)
        if any(part.startswith(".") or part == "__pycache__" for part in rel.parts):
            continue
        if p.is_file():
            files.append((rel.as_posix(), p.read_bytes()))
    files.sort(key=lambda item: item[0])
    return files


def _digest(files: list[tuple[str, bytes]]) -> str:
    h = hashlib.sha256()
    for name, data in files:
        # Name and length delimit each file, so moving bytes from one file to the next, or
        # renaming a file, always changes the hash.
        h.update(name.encode("utf-8") + b"\0" + str(len(data)).encode("ascii") + b"\0")
        h.update(data)
    return h.hexdigest()


def pack_sha256(path: Path) -> str:
    """sha256 over the pack's files, sorted by relative name: name, NUL, byte length, NUL,
    bytes for each (docs/DOMAIN_PACK.md)."""
    return _digest(_pack_files(Path(path)))


# --- YAML ----------------------------------------------------------------------------------


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys, which plain YAML lets the last one win."""


def _mapping_without_duplicates(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            duplicate = key in seen
        except TypeError:  # an unhashable key; construct_mapping reports it
            break
        if duplicate:
            raise yaml.constructor.ConstructorError(
                "while reading a mapping",
                node.start_mark,
                f"found duplicate key {key!r}",
                key_node.start_mark,
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=True)


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates
)


def _parse_yaml(file: Path, data: bytes) -> dict[str, Any]:
    try:
        doc = yaml.load(data.decode("utf-8"), Loader=_StrictLoader)
    except UnicodeDecodeError as exc:
        raise WatchfloorError(E.W301, path=file, detail=f"is not UTF-8: {exc}") from exc
    except yaml.YAMLError as exc:
        raise WatchfloorError(E.W301, path=file, detail=f"is not valid YAML: {exc}") from exc
    except ValueError as exc:  # PyYAML builds dates while parsing: 2016-13-40 fails here
        raise WatchfloorError(E.W301, path=file, detail=f"holds a bad value: {exc}") from exc
    if doc is None:
        doc = {}
    if not isinstance(doc, dict):
        raise WatchfloorError(E.W301, path=file, detail="must hold a mapping of keys at the top")
    return doc


# --- validation ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Where:
    """The file and entry a value comes from, so that every error can name them."""

    file: Path
    entry: str = ""

    def at(self, entry: str) -> _Where:
        return _Where(self.file, entry)

    def fail(self, key: str | None, problem: str) -> NoReturn:
        parts = [p for p in (self.entry, f"key '{key}'" if key else "") if p]
        where = ", ".join(parts)
        raise WatchfloorError(
            E.W301, path=self.file, detail=f"{where}: {problem}" if where else problem
        )


def _keys(
    where: _Where, data: object, required: Iterable[str], optional: Iterable[str] = ()
) -> dict[str, Any]:
    if not isinstance(data, dict):
        where.fail(None, f"must be a mapping of keys, got {type(data).__name__} {data!r}")
    required = tuple(required)
    allowed = set(required) | set(optional)
    for key in data:
        if key not in allowed:
            where.fail(str(key), f"unknown key; allowed keys are {', '.join(sorted(allowed))}")
    for key in required:
        if key not in data or data[key] is None:
            where.fail(key, "is missing")
    return data


def _text(where: _Where, data: Mapping[str, Any], key: str, default: str | None = None) -> str:
    value = data.get(key, default)
    if not isinstance(value, str) or not value.strip():
        where.fail(key, f"must be a non-empty string, got {value!r}")
    return value.strip()


def _opt_text(where: _Where, data: Mapping[str, Any], key: str) -> str | None:
    return None if data.get(key) is None else _text(where, data, key)


def _texts(where: _Where, data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    """A list of non-empty strings, duplicates dropped, order kept."""
    value = data.get(key)
    if value is None:
        return ()
    if not isinstance(value, list):
        where.fail(key, f"must be a list of strings, got {value!r}")
    out: list[str] = []
    for item in value:
        # YAML reads bare no/yes/on/off as booleans and 010 as a number: say so.
        if not isinstance(item, str) or not item.strip():
            where.fail(key, f"item {item!r} is not a non-empty string; quote it in the YAML")
        if item.strip() not in out:
            out.append(item.strip())
    return tuple(out)


def _list(where: _Where, data: Mapping[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        where.fail(key, f"must be a list, got {type(value).__name__}")
    return value


def _zone(where: _Where, key: str, value: object) -> str:
    if not isinstance(value, str) or not value:
        where.fail(key, f"must be an IANA time zone name such as Asia/Seoul, got {value!r}")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        where.fail(key, f"{value!r} is not an IANA time zone; use a name such as Asia/Seoul")
    return value


def _date(where: _Where, key: str, value: object) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        where.fail(key, f"{value!r} is a time; give a date YYYY-MM-DD")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    where.fail(key, f"{value!r} is not a date YYYY-MM-DD")


def _float(where: _Where, data: Mapping[str, Any], key: str, limit: float) -> float | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or abs(value) > limit:
        where.fail(key, f"must be a number between -{limit:g} and {limit:g}, got {value!r}")
    return float(value)


def _choice(where: _Where, key: str, value: str, allowed: Iterable[str]) -> str:
    allowed = tuple(allowed)
    if value not in allowed:
        where.fail(key, f"{value!r} is not one of {', '.join(allowed)}")
    return value


def _with_name(name: str, aliases: tuple[str, ...]) -> tuple[str, ...]:
    return aliases if name in aliases else (name, *aliases)


# --- the files -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Header:
    name: str
    description: str
    default_tz: str


def _read_header(file: Path, doc: dict[str, Any]) -> _Header:
    where = _Where(file)
    data = _keys(where, doc, ("name", "description", "default_tz"))
    return _Header(
        name=_text(where, data, "name"),
        description=_text(where, data, "description"),
        default_tz=_zone(where, "default_tz", data["default_tz"]),
    )


def _alias_items(where: _Where, raw: object) -> tuple[list[str], list[str]]:
    """Aliases as written, and which of them are marked ``{alias: X, ambiguous: true}``."""
    if raw is None:
        return [], []
    if not isinstance(raw, list):
        where.fail("aliases", f"must be a list, got {raw!r}")
    aliases: list[str] = []
    marked: list[str] = []
    for item in raw:
        if isinstance(item, dict):
            entry = _keys(where, item, ("alias",), ("ambiguous",))
            alias = _text(where, entry, "alias")
            flag = entry.get("ambiguous", False)
            if not isinstance(flag, bool):
                where.fail("ambiguous", f"must be true or false, got {flag!r}")
            if flag:
                marked.append(alias)
        elif isinstance(item, str) and item.strip():
            alias = item.strip()
        else:
            where.fail("aliases", f"item {item!r} is not a non-empty string; quote it")
        if alias not in aliases:
            aliases.append(alias)
    return aliases, marked


def _read_role(where: _Where, raw: object) -> Role:
    data = _keys(where, raw, ("role",), ("from", "to"))
    role = Role(
        _text(where, data, "role"),
        _date(where, "from", data.get("from")),
        _date(where, "to", data.get("to")),
    )
    if role.start and role.end and role.end < role.start:
        where.fail("to", f"{role.end} is before from {role.start}")
    return role


def _read_actor(where: _Where, raw: object) -> Actor:
    data = _keys(
        where, raw, ("code", "name", "kind"), ("aliases", "demonyms", "roles", "ambiguous")
    )
    code = _text(where, data, "code")
    name = _text(where, data, "name")
    where = where.at(f"{where.entry} ({name})")
    kind = _choice(where, "kind", _text(where, data, "kind"), ACTOR_KINDS)
    if not _CODE.fullmatch(code):
        where.fail("code", f"{code!r} must be upper-case letters and digits, e.g. PRK or UNSC")
    if kind == "state" and not _STATE_CODE.fullmatch(code):
        where.fail("code", f"{code!r}: a state's code is its ISO 3166-1 alpha-3 code")
    aliases, marked = _alias_items(where, data.get("aliases"))
    listed = _texts(where, data, "ambiguous")
    for alias in listed:
        if alias not in aliases:
            aliases.append(alias)
    ambiguous = tuple(dict.fromkeys((*marked, *listed)))
    if name in ambiguous:
        where.fail("ambiguous", f"the canonical name {name!r} cannot be ambiguous")
    roles = tuple(
        _read_role(where.at(f"{where.entry}, role {i + 1}"), r)
        for i, r in enumerate(_list(where, data, "roles"))
    )
    return Actor(
        code=code,
        name=name,
        kind=kind,
        aliases=_with_name(name, tuple(aliases)),
        demonyms=_texts(where, data, "demonyms"),
        roles=roles,
        ambiguous=ambiguous,
    )


def _check_actor_aliases(where: _Where, actors: tuple[Actor, ...]) -> None:
    owners: dict[str, int] = {}
    for i, actor in enumerate(actors):
        for alias in (*actor.aliases, *actor.demonyms):
            j = owners.setdefault(alias, i)
            if j == i:
                continue
            other = actors[j]
            if alias in actor.ambiguous and alias in other.ambiguous:
                continue
            where.at(f"actor {i + 1} ({actor.name})").fail(
                "aliases",
                f"{alias!r} also names actor {j + 1} ({other.name}, {other.code}); an alias "
                "may name two actors only when both mark it ambiguous",
            )


def _check_codes(where: _Where, actors: tuple[Actor, ...]) -> frozenset[str]:
    """Codes that a state or organisation defines; people must use one of them."""
    defined = frozenset(a.code for a in actors if a.kind != "person")
    for i, actor in enumerate(actors):
        if actor.code not in defined:
            where.at(f"actor {i + 1} ({actor.name})").fail(
                "code", f"{actor.code!r} is not the code of any state or organisation in the pack"
            )
    return defined


def _read_actors(file: Path, doc: dict[str, Any]) -> tuple[tuple[Actor, ...], tuple[str, ...]]:
    where = _Where(file)
    data = _keys(where, doc, ("actors",), ("role_nouns",))
    actors = tuple(
        _read_actor(where.at(f"actor {i + 1}"), raw)
        for i, raw in enumerate(_list(where, data, "actors"))
    )
    if not actors:
        where.fail("actors", "lists no actors")
    role_nouns = _texts(where, data, "role_nouns")
    for noun in role_nouns:
        # Extraction compares them with a token's lower-case lemma.
        if noun != noun.lower() or " " in noun:
            where.fail("role_nouns", f"{noun!r} must be one lower-case word")
    _check_actor_aliases(where, actors)
    return actors, role_nouns


def _read_weapons(
    file: Path, doc: dict[str, Any]
) -> tuple[tuple[WeaponSystem, ...], tuple[WeaponClassTerm, ...]]:
    where = _Where(file)
    data = _keys(where, doc, ("systems", "classes"))
    systems: list[WeaponSystem] = []
    owners: dict[str, str] = {}
    for i, raw in enumerate(_list(where, data, "systems")):
        w = where.at(f"system {i + 1}")
        entry = _keys(w, raw, ("name", "classes"), ("aliases",))
        name = _text(w, entry, "name")
        w = w.at(f"system {i + 1} ({name})")
        classes = _texts(w, entry, "classes")
        if not classes:
            w.fail("classes", "must list at least one class")
        for c in classes:
            _choice(w, "classes", c, WEAPON_CLASSES)
        aliases = _with_name(name, _texts(w, entry, "aliases"))
        for alias in aliases:
            if owners.setdefault(alias, name) != name:
                w.fail("aliases", f"{alias!r} also names system {owners[alias]}")
        systems.append(WeaponSystem(name=name, classes=classes, aliases=aliases))
    terms: list[WeaponClassTerm] = []
    phrase_owner: dict[str, str] = {}
    for i, raw in enumerate(_list(where, data, "classes")):
        w = where.at(f"class {i + 1}")
        entry = _keys(w, raw, ("class", "phrases"))
        wclass = _choice(w, "class", _text(w, entry, "class"), WEAPON_CLASSES)
        w = w.at(f"class {i + 1} ({wclass})")
        if any(t.weapon_class == wclass for t in terms):
            w.fail("class", f"{wclass} is listed twice; put all its phrases in one entry")
        phrases = _texts(w, entry, "phrases")
        for phrase in phrases:
            # Annotation matches class phrases in any case, so clashes are found folded.
            owner = phrase_owner.setdefault(phrase.casefold(), wclass)
            if owner != wclass:
                w.fail("phrases", f"{phrase!r} already names class {owner}")
        terms.append(WeaponClassTerm(weapon_class=wclass, phrases=phrases))
    return tuple(systems), tuple(terms)


def _read_places(
    file: Path, doc: dict[str, Any], codes: frozenset[str]
) -> tuple[tuple[Place, ...], dict[str, str]]:
    where = _Where(file)
    data = _keys(where, doc, ("places", "datelines"))
    places: list[Place] = []
    owners: dict[str, str] = {}
    for i, raw in enumerate(_list(where, data, "places")):
        w = where.at(f"place {i + 1}")
        entry = _keys(w, raw, ("name", "kind"), ("country", "aliases", "lat", "lon"))
        name = _text(w, entry, "name")
        w = w.at(f"place {i + 1} ({name})")
        country = _opt_text(w, entry, "country")
        if country is not None and country not in codes:
            w.fail("country", f"{country!r} is not a code defined in actors.yaml")
        lat, lon = _float(w, entry, "lat", 90), _float(w, entry, "lon", 180)
        if (lat is None) != (lon is None):
            w.fail("lat" if lat is None else "lon", "give both lat and lon, or neither")
        aliases = _with_name(name, _texts(w, entry, "aliases"))
        for alias in aliases:
            if owners.setdefault(alias, name) != name:
                w.fail("aliases", f"{alias!r} also names place {owners[alias]}")
        places.append(
            Place(
                name=name,
                country=country,
                kind=_choice(w, "kind", _text(w, entry, "kind"), PLACE_KINDS),
                aliases=aliases,
                lat=lat,
                lon=lon,
            )
        )
    raw_datelines = data["datelines"]
    if not isinstance(raw_datelines, dict):
        where.fail("datelines", "must be a mapping of CITY: Area/Zone")
    datelines: dict[str, str] = {}
    folded: set[str] = set()
    for city, zone in raw_datelines.items():
        w = where.at(f"dateline {city!r}")
        if not isinstance(city, str) or not city.strip() or city != city.upper():
            w.fail("datelines", "a dateline city is written in capitals, as in SEOUL")
        if _fold(city) in folded:
            w.fail("datelines", "is listed twice")
        folded.add(_fold(city))
        datelines[city.strip()] = _zone(w, "datelines", zone)
    return tuple(places), datelines


def _read_outlets(file: Path, doc: dict[str, Any], codes: frozenset[str]) -> tuple[Outlet, ...]:
    where = _Where(file)
    data = _keys(where, doc, ("outlets",))
    outlets: list[Outlet] = []
    owners: dict[str, str] = {}
    for i, raw in enumerate(_list(where, data, "outlets")):
        w = where.at(f"outlet {i + 1}")
        entry = _keys(w, raw, ("name",), ("country", "state_media", "aliases"))
        name = _text(w, entry, "name")
        w = w.at(f"outlet {i + 1} ({name})")
        country = _opt_text(w, entry, "country")
        if country is not None and country not in codes:
            w.fail("country", f"{country!r} is not a code defined in actors.yaml")
        state_media = entry.get("state_media", False)
        if not isinstance(state_media, bool):
            w.fail("state_media", f"must be true or false, got {state_media!r}")
        aliases = _with_name(name, _texts(w, entry, "aliases"))
        for alias in aliases:
            if owners.setdefault(alias, name) != name:
                w.fail("aliases", f"{alias!r} also names outlet {owners[alias]}")
        outlets.append(Outlet(name=name, country=country, state_media=state_media, aliases=aliases))
    return tuple(outlets)


def _read_event_type(where: _Where, name: str, raw: object) -> EventType:
    data = _keys(
        where,
        raw,
        ("cameo", "plover", "definition"),
        ("verbs", "nouns", "phrases", "objects", "actor_kinds", "particles", "stances",
         "verb_objects"),
    )
    cameo = data["cameo"]
    if not isinstance(cameo, str) or not _CAMEO.fullmatch(cameo):
        where.fail("cameo", f"{cameo!r} must be a quoted CAMEO code of 2-4 digits, e.g. '036'")
    plover = _choice(where, "plover", _text(where, data, "plover"), PLOVER_TYPES)
    verbs, nouns = _texts(where, data, "verbs"), _texts(where, data, "nouns")
    for key, words in (
        ("verbs", verbs),
        ("nouns", nouns),
        ("objects", _texts(where, data, "objects")),
    ):
        for word in words:
            # Extraction compares them with one token's lower-case lemma.
            if word != word.lower() or " " in word:
                where.fail(key, f"{word!r} must be one lower-case lemma; put phrases in phrases")
    phrases = _texts(where, data, "phrases")
    for phrase in phrases:
        # A hyphen splits tokens too: "test-fire" is a phrase of three tokens.
        if len(re.split(r"[\s-]+", phrase)) < 2:
            where.fail("phrases", f"{phrase!r} is one word; put it in verbs or nouns")
    raw_stances = data.get("stances") or {}
    if not isinstance(raw_stances, dict):
        where.fail("stances", "must be a mapping of trigger lemma: stance")
    stances: dict[str, str] = {}
    for lemma, stance in raw_stances.items():
        if lemma not in verbs and lemma not in nouns:
            where.fail("stances", f"{lemma!r} is not one of this type's verbs or nouns")
        if not isinstance(stance, str) or not stance:
            where.fail("stances", f"the stance of {lemma!r} must be a non-empty string")
        stances[lemma] = stance
    particles = _verb_mapping(where, data, "particles", verbs, "preposition")
    verb_objects = _verb_mapping(where, data, "verb_objects", verbs, "object lemma")
    for lemma, words in verb_objects.items():
        if not words or any(w != w.lower() or " " in w for w in words):
            where.fail("verb_objects", f"the objects of {lemma!r} must be lower-case lemmas")
    return EventType(
        name=name,
        cameo=cameo,
        plover=plover,
        verbs=verbs,
        nouns=nouns,
        phrases=phrases,
        definition=_text(where, data, "definition"),
        objects=_texts(where, data, "objects"),
        actor_kinds=tuple(
            _choice(where, "actor_kinds", kind, ACTOR_KINDS)
            for kind in _texts(where, data, "actor_kinds")
        ),
        particles=particles,
        stances=stances,
        verb_objects=verb_objects,
    )


def _verb_mapping(where: _Where, data: Mapping[str, Any], key: str, verbs: tuple[str, ...],
                  what: str) -> dict[str, tuple[str, ...]]:
    """An optional mapping of the type's own verb lemmas to lists of words."""
    raw = data.get(key) or {}
    if not isinstance(raw, dict):
        where.fail(key, f"must be a mapping of verb lemma: [{what}, ...]")
    out: dict[str, tuple[str, ...]] = {}
    for lemma in raw:
        if lemma not in verbs:
            where.fail(key, f"{lemma!r} is not one of this type's verbs")
        out[lemma] = _texts(where, raw, lemma)
    return out


def _entry_list(where: _Where, doc: object, key: str, keys: str) -> list[Any]:
    """An optional top-level list of entries; empty when the key is absent."""
    raw = doc.get(key) if isinstance(doc, dict) else None
    if raw is None:
        return []
    if not isinstance(raw, list):
        where.fail(key, f"must be a list of entries with {keys}, got {raw!r}")
    return raw


def _read_forums(file: Path, doc: dict[str, Any], codes: frozenset[str]
                 ) -> dict[str, tuple[str, str]]:
    """The ontology's forums: talks known by a name of their own, each with the two principal
    parties that GOLD_FORMAT.md codes talks of four or more parties between."""
    where = _Where(file)
    forums: dict[str, tuple[str, str]] = {}
    for i, item in enumerate(_entry_list(where, doc, "forums", "name and parties")):
        at = where.at(f"forum {i + 1}")
        entry = _keys(at, item, ("name", "parties"), ("aliases",))
        parties = _texts(at, entry, "parties")
        if len(parties) != 2:
            at.fail("parties", f"must name two different principal parties, got {parties!r}")
        for code in parties:
            if code not in codes:
                at.fail("parties", f"{code!r} is no actor code of actors.yaml")
        for name in (_text(at, entry, "name"), *_texts(at, entry, "aliases")):
            key = name.lower()
            if key in forums:
                at.fail("name", f"{name!r} names another forum too")
            forums[key] = (parties[0], parties[1])
    return forums


def _read_conflicts(file: Path, doc: dict[str, Any], codes: frozenset[str]
                    ) -> dict[str, Conflict]:
    """The ontology's conflicts: wars known by name, with their sides and end."""
    where = _Where(file)
    conflicts: dict[str, Conflict] = {}
    for i, item in enumerate(_entry_list(where, doc, "conflicts", "name and sides")):
        at = where.at(f"conflict {i + 1}")
        entry = _keys(at, item, ("name", "sides"), ("aliases", "ended"))
        sides = entry["sides"]
        if not isinstance(sides, list) or len(sides) != 2:
            at.fail("sides", f"must be two lists of actor codes, got {sides!r}")
        parties = [_texts(at, {"sides": side}, "sides") for side in sides]
        if not all(parties) or set(parties[0]) & set(parties[1]):
            at.fail("sides", f"must be two non-empty lists with no code on both, got {sides!r}")
        for code in (*parties[0], *parties[1]):
            if code not in codes:
                at.fail("sides", f"{code!r} is no actor code of actors.yaml")
        name = _text(at, entry, "name")
        conflict = Conflict(name, (parties[0], parties[1]), _date(at, "ended", entry.get("ended")))
        for alias in (name, *_texts(at, entry, "aliases")):
            if alias.lower() in conflicts:
                at.fail("name", f"{alias!r} names another conflict too")
            conflicts[alias.lower()] = conflict
    return conflicts


def _read_ontology(file: Path, doc: dict[str, Any]) -> dict[str, EventType]:
    where = _Where(file)
    data = _keys(where, doc, ("event_types",), ("forums", "conflicts"))
    raw = data["event_types"]
    if not isinstance(raw, dict):
        where.fail("event_types", "must be a mapping of event type: entry")
    missing = [t for t in EVENT_TYPES if t not in raw]
    extra = [str(t) for t in raw if t not in EVENT_TYPES]
    if missing or extra:
        where.fail(
            "event_types",
            f"must be exactly the {len(EVENT_TYPES)} types of "
            f"GOLD_FORMAT.md; missing: {', '.join(missing) or '-'}; "
            f"unknown: {', '.join(extra) or '-'}",
        )
    return {t: _read_event_type(where.at(f"event type {t}"), t, raw[t]) for t in EVENT_TYPES}


def _read_modality(file: Path, doc: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    where = _Where(file)
    data = _keys(where, doc, MODALITY_REQUIRED, MODALITY_OPTIONAL)
    cues: dict[str, tuple[str, ...]] = {}
    for key in (*MODALITY_REQUIRED, *MODALITY_OPTIONAL):
        if key in data:
            words = _texts(where, data, key)
            if not words:
                where.fail(key, "must list at least one cue")
            cues[key] = words
    return cues


def _check_labels(
    path: Path,
    actors: tuple[Actor, ...],
    weapons: tuple[WeaponSystem, ...],
    classes: tuple[WeaponClassTerm, ...],
    places: tuple[Place, ...],
    outlets: tuple[Outlet, ...],
) -> None:
    """Each name carries one label: annotation cannot give one span two entity labels, and
    which of two identical patterns wins is not defined."""
    owner: dict[str, str] = {}
    for a in actors:
        for alias in (*a.aliases, *a.demonyms):
            owner.setdefault(alias, f"actor {a.name}")
    groups: list[tuple[str, str, Iterable[tuple[str, tuple[str, ...]]]]] = [
        ("weapons.yaml", "system", ((w.name, w.aliases) for w in weapons)),
        ("places.yaml", "place", ((p.name, p.aliases) for p in places)),
        ("outlets.yaml", "outlet", ((o.name, o.aliases) for o in outlets)),
    ]
    for file, label, items in groups:
        for name, aliases in items:
            for alias in aliases:
                other = owner.setdefault(alias, f"{label} {name}")
                if other != f"{label} {name}":
                    _Where(path / file, f"{label} {name}").fail(
                        "aliases",
                        f"{alias!r} is already a name of {other}; a name may carry one label only",
                    )
    # Class phrases match in any case, so they are compared folded.
    folded = {k.casefold(): v for k, v in owner.items()}
    for term in classes:
        for phrase in term.phrases:
            if phrase.casefold() in folded:
                _Where(path / "weapons.yaml", f"class {term.weapon_class}").fail(
                    "phrases", f"{phrase!r} is already a name of {folded[phrase.casefold()]}"
                )


def load_pack(path: Path) -> Pack:
    """Read, validate and freeze the pack in ``path``. Raises WatchfloorError W301 or W302."""
    path = Path(path)
    files = _pack_files(path)
    contents = dict(files)
    for name in PACK_FILES:
        if name not in contents:
            raise WatchfloorError(E.W302, path=path, name=name, required=", ".join(PACK_FILES))
    docs = {name: _parse_yaml(path / name, contents[name]) for name in PACK_FILES}
    header = _read_header(path / "pack.yaml", docs["pack.yaml"])
    actors, role_nouns = _read_actors(path / "actors.yaml", docs["actors.yaml"])
    codes = _check_codes(_Where(path / "actors.yaml"), actors)
    weapons, classes = _read_weapons(path / "weapons.yaml", docs["weapons.yaml"])
    places, datelines = _read_places(path / "places.yaml", docs["places.yaml"], codes)
    outlets = _read_outlets(path / "outlets.yaml", docs["outlets.yaml"], codes)
    _check_labels(path, actors, weapons, classes, places, outlets)
    return Pack(
        path=path,
        name=header.name,
        description=header.description,
        # Hash the very bytes that were parsed, so the stamp cannot describe another version.
        sha256=_digest(files),
        default_tz=header.default_tz,
        actors=actors,
        role_nouns=role_nouns,
        weapons=weapons,
        weapon_classes=classes,
        places=places,
        datelines=datelines,
        outlets=outlets,
        event_types=_read_ontology(path / "ontology.yaml", docs["ontology.yaml"]),
        modality=_read_modality(path / "modality.yaml", docs["modality.yaml"]),
        forums=_read_forums(path / "ontology.yaml", docs["ontology.yaml"], codes),
        conflicts=_read_conflicts(path / "ontology.yaml", docs["ontology.yaml"], codes),
    )
