"""Read gold annotation files (``NAME.gold.yaml``, format: ../shared/GOLD_FORMAT.md).

The loader is strict: a gold file is the yardstick every score is measured against, so a typo
in it (an unknown key, a misspelt modality, two ``date`` keys in one entry) is an error naming
the entry and the key, never a silently different score.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any, cast, get_args

import yaml

from watchfloor.errors import E, WatchfloorError
from watchfloor.records import EVENT_TYPES, MODALITIES, ClaimKind, Modality

GOLD_SUFFIX = ".gold.yaml"
# Cross-document clusters of a gold folder (evaluate.clusters); stamped with the corpus.
CLUSTERS_FILE = "clusters.yaml"

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
CLAIM_KINDS: tuple[str, ...] = get_args(ClaimKind)

# ``notes`` is not in the format's tables but every real gold set uses it for the annotator's
# reasoning; it is accepted and kept out of scoring.
_DOCUMENT_KEYS = frozenset({"file", "published", "language", "url", "outlet", "title"})
_EVENT_KEYS = frozenset(
    {
        "id",
        "type",
        "actor",
        "target",
        "weapon",
        "weapon_class",
        "date",
        "tolerance_days",
        "modality",
        "stance",
        "status",
        "participants",
        "location",
        "count",
        "evidence",
        "notes",
    }
)
_QUOTE_KEYS = frozenset({"speaker", "speaker_actor", "channel", "text_startswith", "notes"})
_CLAIM_KEYS = frozenset(
    {"kind", "about", "actor", "target", "value", "since", "period", "evidence", "notes"}
)
_TOP_KEYS = frozenset({"document", "events", "quotes", "claims"})


@dataclass(frozen=True, slots=True)
class GoldEvent:
    id: str
    type: str
    actor: str
    target: str | None
    weapon: str | None
    weapon_class: tuple[str, ...]
    date_start: date | None
    date_end: date | None
    tolerance_days: int
    modality: Modality
    evidence: str
    stance: str | None = None
    status: str | None = None
    participants: tuple[str, ...] = ()
    location: str | None = None
    count: int | None = None
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class GoldQuote:
    speaker: str
    speaker_actor: str
    channel: str | None
    text_startswith: str


@dataclass(frozen=True, slots=True)
class GoldClaim:
    kind: ClaimKind
    about: str
    actor: str
    target: str | None
    value: int | None
    since: str | None  # "2017", "2012-12" or "2017-11-29"
    period_start: date | None
    period_end: date | None
    evidence: str


@dataclass(frozen=True, slots=True)
class GoldDocument:
    path: Path  # the gold file
    file: Path  # the article beside it
    published: datetime  # timezone-aware; a bare date is taken as 00:00 UTC
    language: str
    url: str | None
    outlet: str | None
    title: str | None
    events: tuple[GoldEvent, ...]
    quotes: tuple[GoldQuote, ...]
    claims: tuple[GoldClaim, ...]


class _Bad(Exception):
    """A problem in one place of a gold file; load_gold turns it into W501 with the path."""


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys, which plain YAML resolves by keeping the last."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Hashable, Any]:
    loader.flatten_mapping(node)
    seen: set[Hashable] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if isinstance(key, Hashable) and key in seen:
            line = key_node.start_mark.line + 1
            raise _Bad(f"line {line}: key {key!r} appears twice in one mapping")
        if isinstance(key, Hashable):
            seen.add(key)
    return loader.construct_mapping(node)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_gold(path: Path) -> GoldDocument:
    """Read and validate one gold file; WatchfloorError W501 names the entry and key at fault."""
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise WatchfloorError(E.W501, path=path, detail=f"cannot be read: {exc}") from exc
    try:
        data = yaml.load(raw, Loader=_StrictLoader)
        return _document(path, data)
    except yaml.YAMLError as exc:
        raise WatchfloorError(E.W501, path=path, detail=f"not valid YAML: {exc}") from exc
    except _Bad as exc:
        raise WatchfloorError(E.W501, path=path, detail=str(exc)) from exc


def find_gold_files(root: Path) -> list[Path]:
    """Every ``*.gold.yaml`` under root (or root itself if it is one), sorted."""
    if root.is_file() and root.name.endswith(GOLD_SUFFIX):
        return [root]
    found = sorted(p for p in root.rglob(f"*{GOLD_SUFFIX}") if p.is_file()) if root.is_dir() else []
    if not found:
        raise WatchfloorError(E.W502, path=root)
    return found


def corpus_sha256(root: Path) -> str:
    """sha256 over the sorted gold files and their articles: names (relative to root) and bytes.

    A quality floor is only meaningful for the corpus it was measured on; this is the stamp
    the gate compares. Relative names keep it stable when the corpus folder moves.
    """
    base = root.parent if root.is_file() else root
    h = hashlib.sha256()
    extra = [base / CLUSTERS_FILE] if (base / CLUSTERS_FILE).is_file() else []
    for gold_path in [*find_gold_files(root), *extra]:
        try:
            paths: tuple[Path, ...] = (
                (gold_path, load_gold(gold_path).file) if gold_path.name != CLUSTERS_FILE
                else (gold_path,))
        except WatchfloorError:  # a broken gold file is stamped by its own bytes
            paths = (gold_path,)
        for p in paths:
            name = p.relative_to(base).as_posix() if p.is_relative_to(base) else p.name
            data = p.read_bytes()
            # Length prefixes keep (name, bytes) boundaries unambiguous.
            h.update(f"{len(name)}:{name}:{len(data)}:".encode())
            h.update(data)
    return h.hexdigest()


# --- validation -------------------------------------------------------------------------------


def _document(path: Path, data: object) -> GoldDocument:
    top = _mapping(data, "the file", _TOP_KEYS)
    if "document" not in top:
        raise _Bad("the file has no 'document' section")
    if "events" not in top:
        raise _Bad("the file has no 'events' section; with nothing in scope, write `events: []`")
    meta = _mapping(top["document"], "document", _DOCUMENT_KEYS)
    file_name = _req_str(meta, "file", "document")
    article = path.parent / file_name
    if not article.is_file():
        raise _Bad(f"document: key 'file': article {file_name!r} not found beside the gold file")
    events = tuple(
        _event(e, f"events[{i}]") for i, e in enumerate(_list(top.get("events"), "events"))
    )
    seen: set[str] = set()
    for ev in events:
        if ev.id in seen:
            raise _Bad(f"events: id {ev.id!r} is used twice; ids are unique within a file")
        seen.add(ev.id)
    return GoldDocument(
        path=path,
        file=article,
        published=_published(meta.get("published")),
        language=_req_str(meta, "language", "document"),
        url=_opt_str(meta, "url", "document"),
        outlet=_opt_str(meta, "outlet", "document"),
        title=_opt_str(meta, "title", "document"),
        events=events,
        quotes=tuple(
            _quote(q, f"quotes[{i}]") for i, q in enumerate(_list(top.get("quotes"), "quotes"))
        ),
        claims=tuple(
            _claim(c, f"claims[{i}]") for i, c in enumerate(_list(top.get("claims"), "claims"))
        ),
    )


def _event(data: object, where: str) -> GoldEvent:
    m = _mapping(data, where, _EVENT_KEYS)
    ident = m.get("id")
    if isinstance(ident, int) and not isinstance(ident, bool):
        ident = str(ident)
    if not isinstance(ident, str) or not ident:
        raise _Bad(f"{where}: key 'id' is missing or not a string")
    where = f"{where} (id {ident})"
    start, end = _dates(m.get("date"), where, "date")
    tolerance = m.get("tolerance_days", 0)
    if not isinstance(tolerance, int) or isinstance(tolerance, bool) or tolerance < 0:
        raise _Bad(f"{where}: key 'tolerance_days': {tolerance!r} is not a whole number >= 0")
    count = m.get("count")
    if count is not None and (not isinstance(count, int) or isinstance(count, bool)):
        raise _Bad(f"{where}: key 'count': {count!r} is not a whole number")
    return GoldEvent(
        id=ident,
        type=_choice(m, "type", EVENT_TYPES, where),
        actor=_req_str(m, "actor", where),
        target=_opt_str(m, "target", where),
        weapon=_opt_str(m, "weapon", where),
        weapon_class=_weapon_classes(m.get("weapon_class"), where),
        date_start=start,
        date_end=end,
        tolerance_days=tolerance,
        modality=cast(Modality, _choice(m, "modality", MODALITIES, where)),
        evidence=_req_str(m, "evidence", where),
        stance=_opt_str(m, "stance", where),
        status=_opt_str(m, "status", where),
        participants=_str_list(m.get("participants"), where, "participants"),
        location=_opt_str(m, "location", where),
        count=count,
        notes=_opt_str(m, "notes", where),
    )


def _quote(data: object, where: str) -> GoldQuote:
    m = _mapping(data, where, _QUOTE_KEYS)
    return GoldQuote(
        speaker=_req_str(m, "speaker", where),
        speaker_actor=_req_str(m, "speaker_actor", where),
        channel=_opt_str(m, "channel", where),
        text_startswith=_req_str(m, "text_startswith", where),
    )


def _claim(data: object, where: str) -> GoldClaim:
    m = _mapping(data, where, _CLAIM_KEYS)
    kind = cast(ClaimKind, _choice(m, "kind", CLAIM_KINDS, where))
    value = m.get("value")
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        raise _Bad(f"{where}: key 'value': {value!r} is not a whole number")
    since = _since(m.get("since"), where)
    # Claims align on value, or on since for first_since: without it the claim cannot align.
    if kind == "first_since" and since is None:
        raise _Bad(f"{where}: key 'since' is required for a first_since claim")
    if kind != "first_since" and value is None:
        raise _Bad(f"{where}: key 'value' is required for a {kind} claim")
    start, end = _dates(m.get("period"), where, "period")
    return GoldClaim(
        kind=kind,
        about=_choice(m, "about", EVENT_TYPES, where),
        actor=_req_str(m, "actor", where),
        target=_opt_str(m, "target", where),
        value=value,
        since=since,
        period_start=start,
        period_end=end,
        evidence=_req_str(m, "evidence", where),
    )


def _mapping(data: object, where: str, allowed: frozenset[str]) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise _Bad(f"{where}: expected a mapping of keys, got {type(data).__name__}")
    unknown = sorted(str(k) for k in data if k not in allowed)
    if unknown:
        raise _Bad(
            f"{where}: unknown key {unknown[0]!r}; the keys allowed here are "
            + ", ".join(sorted(allowed))
        )
    return data


def _list(data: object, where: str) -> Sequence[object]:
    if data is None:
        return ()
    if not isinstance(data, list):
        raise _Bad(f"{where}: expected a list, got {type(data).__name__}")
    return data


def _req_str(m: Mapping[str, Any], key: str, where: str) -> str:
    value = m.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _Bad(f"{where}: key {key!r} is missing or not a non-empty string (got {value!r})")
    return value


def _opt_str(m: Mapping[str, Any], key: str, where: str) -> str | None:
    value = m.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _Bad(f"{where}: key {key!r}: {value!r} is not a string; quote it in the YAML")
    return value


def _choice(m: Mapping[str, Any], key: str, allowed: Sequence[str], where: str) -> str:
    value = m.get(key)
    if value not in allowed:
        raise _Bad(f"{where}: key {key!r}: {value!r} is not one of {', '.join(allowed)}")
    return str(value)


def _str_list(value: object, where: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
        raise _Bad(f"{where}: key {key!r}: {value!r} is not a string or a list of strings")
    return tuple(items)


def _weapon_classes(value: object, where: str) -> tuple[str, ...]:
    classes = _str_list(value, where, "weapon_class")
    for c in classes:
        if c not in WEAPON_CLASSES:
            raise _Bad(
                f"{where}: key 'weapon_class': {c!r} is not one of {', '.join(WEAPON_CLASSES)}"
            )
    return classes


def _one_date(value: object, where: str, key: str) -> date:
    # PyYAML turns an unquoted 2016-01-02 into a date; a quoted one stays a string.
    if isinstance(value, datetime):
        raise _Bad(f"{where}: key {key!r}: {value!r} is a time; give a date YYYY-MM-DD")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _Bad(f"{where}: key {key!r}: {value!r} is not a date YYYY-MM-DD")


def _dates(value: object, where: str, key: str) -> tuple[date | None, date | None]:
    if value is None:
        return None, None
    if isinstance(value, list):
        if len(value) != 2:
            raise _Bad(f"{where}: key {key!r}: a period is [start, end], got {value!r}")
        start, end = _one_date(value[0], where, key), _one_date(value[1], where, key)
        if end < start:
            raise _Bad(f"{where}: key {key!r}: period ends ({end}) before it starts ({start})")
        return start, end
    day = _one_date(value, where, key)
    return day, day


def _since(value: object, where: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise _Bad(f"{where}: key 'since': {value!r} is not a year or date")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise _Bad(f"{where}: key 'since': {value!r} is not a year or date")


def _published(value: object) -> datetime:
    where = "document: key 'published'"
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        return datetime.combine(value, time(0, 0), tzinfo=UTC)
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError as exc:
            raise _Bad(f"{where}: {value!r} is not an ISO 8601 date or time") from exc
        if len(value.strip()) == 10:  # a quoted bare date
            return datetime.combine(moment.date(), time(0, 0), tzinfo=UTC)
    else:
        raise _Bad(f"{where} is missing or not a date or time (got {value!r})")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise _Bad(f"{where}: {value!s} has no offset; add one, e.g. Z or +09:00")
    return moment
