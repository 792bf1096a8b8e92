"""Read a reference file, whatever its schema: detect the format from the header, validate
every row, and give the rows that hold as records and the others as problems with their line
numbers. A bad row never stops the file.

Formats (../shared/reference/README.md has the sources):

- ``cns-2023``: the CNS North Korea Missile Test Database as published in April 2023, one row
  per missile: dates like ``9-Apr-84``, 12-hour UTC times, missile name and type in columns of
  their own, units in the numbers ("1,380 km"). The file is Windows-1252, not UTF-8.
- ``cns-2026``: the later export, one row per missile: ISO dates, ``HH:MM (UTC)`` times,
  missiles and facilities as keys of ``missile.en.json`` and ``facility.en.json`` beside it.
- ``nuclear``: one row per nuclear test, with USGS and Yao (2018) figures.

Both CNS files give months alone for some early tests ("Sep-84", "1984-09"): those become
month intervals. Missiles fired together share a date and time; grouping them into events is
the consolidation step's work, not the reader's.
"""

from __future__ import annotations

import calendar
import csv
import io
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Literal

from watchfloor.errors import E, WatchfloorError

Outcome = Literal["success", "failure", "unknown"]

# The header names each format must have (lower case, trimmed).
FORMATS: Mapping[str, frozenset[str]] = {
    "cns-2023": frozenset({"date", "launch time (utc)", "missile name", "missile type",
                           "test outcome"}),
    "cns-2026": frozenset({"date", "time", "series", "missile", "facility", "outcome"}),
    "nuclear": frozenset({"test_no", "date_utc", "usgs_event_id"}),
}
UNKNOWN = frozenset({"", "unknown", "n/a", "na", "none", "-"})
OUTCOMES: Mapping[str, Outcome] = {"success": "success", "failure": "failure",
                                   "fail": "failure", "failed": "failure"}
NUMBER = re.compile(r"^(\d[\d,]*(?:\.\d+)?)\s*(?:km)?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class RowProblem:
    line: int  # the file line the row starts on (the header is line 1)
    column: str
    message: str
    severity: Literal["error", "warning"] = "error"  # an error drops the row


@dataclass(frozen=True, slots=True)
class ReferenceTest:
    """One row of a reference file: a missile fired, or a nuclear test."""

    source: str
    line: int
    kind: Literal["missile", "nuclear"]
    date_start: date
    date_end: date  # a month-only date is the whole month
    time_utc: time | None = None
    system: str | None = None  # the name the file gives ("Scud-B", "Hwasong-15")
    weapon_class: str | None = None  # the file's class ("SRBM", "ICBM", "SLV")
    facility: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    outcome: Outcome = "unknown"
    apogee_km: float | None = None
    distance_km: float | None = None
    yield_kt: float | None = None


@dataclass(slots=True)
class ReferenceRead:
    source: str
    format: str
    records: list[ReferenceTest] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ReferenceSet:
    """A reference file as the store keeps it: its name, where it came from, what it held."""

    name: str
    format: str
    source: str
    sha256: str
    imported_at: str
    rows: int
    refused: int
    warnings: int


def detect_format(header: list[str]) -> str | None:
    """The format whose header names are all in this header, else None."""
    names = {h.strip().lower() for h in header}
    return next((f for f, needed in FORMATS.items() if needed <= names), None)


def read_reference(path: Path) -> ReferenceRead:
    """Read one reference file (W601 when it cannot be read or its format is unknown)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise WatchfloorError(E.W601, path=path, detail=exc.strerror or str(exc)) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # the 2023 CNS file
    rows = csv.reader(io.StringIO(text, newline=""))
    header = next(rows, None)
    kind = detect_format(header) if header else None
    if header is None or kind is None:
        known = "; ".join(f"{f}: {', '.join(sorted(n))}" for f, n in FORMATS.items())
        raise WatchfloorError(E.W601, path=path,
                              detail=f"cannot tell its format from its header; known: {known}")
    names = [h.strip().lower() for h in header]
    lookups = _lookups(path.parent) if kind == "cns-2026" else {}
    read = ReferenceRead(source=path.name, format=kind)
    if kind == "cns-2026":
        for name in ("missile", "facility"):
            if name not in lookups:
                read.problems.append(RowProblem(1, name, (
                    f"{name}.en.json is not beside the file: {name} keys are kept as they are, "
                    "with no name or class; put the file's JSON lookups beside it"), "warning"))
    parse = _PARSERS[kind]
    line = 2
    for values in rows:
        start = line
        line += sum(v.count("\n") for v in values) + 1  # quoted fields may hold line breaks
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(names):
            read.problems.append(RowProblem(start, "*", f"{len(values)} fields, the header "
                                                         f"has {len(names)}"))
            continue
        row = {n: v.strip() for n, v in zip(names, values, strict=True)}
        problems: list[RowProblem] = []
        record = parse(row, start, path.name, problems, lookups)
        read.problems.extend(problems)
        if record is not None and not any(p.severity == "error" for p in problems):
            read.records.append(record)
    if not read.records:
        raise WatchfloorError(E.W601, path=path, detail=(
            f"no row could be read ({len(read.problems)} refused); a reference set is never "
            "replaced by an empty one"))
    return read


def lookup_files(path: Path, fmt: str) -> list[Path]:
    """The files besides ``path`` that its rows are read with (they stamp the set too)."""
    if fmt != "cns-2026":
        return []
    return [f for f in (path.parent / "missile.en.json", path.parent / "facility.en.json")
            if f.is_file()]


# --- one parser per format ---------------------------------------------------------------


def _cns_2023(row: Mapping[str, str], line: int, source: str, problems: list[RowProblem],
              lookups: Mapping[str, Mapping[str, Mapping[str, object]]]) -> ReferenceTest | None:
    span = _date(row["date"], ("%d-%b-%y",), ("%b-%y",), line, "date", problems)
    if span is None:
        return None
    return ReferenceTest(
        source=source, line=line, kind="missile", date_start=span[0], date_end=span[1],
        time_utc=_time(row["launch time (utc)"], ("%I:%M:%S %p", "%I:%M %p"), line,
                       "launch time (utc)", problems),
        system=_text(row.get("missile name", "")),
        weapon_class=_text(row.get("missile type", "")),
        facility=_text(row.get("facility name", "")),
        latitude=_float(row.get("facility latitude", ""), line, "facility latitude", problems),
        longitude=_float(row.get("facility longitude", ""), line, "facility longitude",
                         problems),
        outcome=_outcome(row["test outcome"], line, "test outcome", problems),
        apogee_km=_km(row.get("apogee", ""), line, "apogee", problems),
        distance_km=_km(row.get("distance travelled", ""), line, "distance travelled",
                        problems),
    )


def _cns_2026(row: Mapping[str, str], line: int, source: str, problems: list[RowProblem],
              lookups: Mapping[str, Mapping[str, Mapping[str, object]]]) -> ReferenceTest | None:
    span = _date(row["date"], ("%Y-%m-%d",), ("%Y-%m",), line, "date", problems)
    if span is None:
        return None
    missile = lookups.get("missile", {}).get(row["missile"].lower(), {})
    site = lookups.get("facility", {}).get(row["facility"].lower(), {})
    if lookups.get("missile") and row["missile"].lower() not in UNKNOWN and not missile:
        problems.append(RowProblem(line, "missile", f"{row['missile']!r} is not a key of "
                                                    "missile.en.json", "warning"))
    clock = re.sub(r"\s*\(utc\)\s*$", "", row["time"], flags=re.IGNORECASE)
    return ReferenceTest(
        source=source, line=line, kind="missile", date_start=span[0], date_end=span[1],
        time_utc=_time(clock, ("%H:%M",), line, "time", problems),
        system=_text(str(missile.get("name") or "")) or _text(row["missile"]),
        weapon_class=str(missile.get("type") or "") or None,
        facility=str(site.get("name") or "") or _text(row["facility"]),
        latitude=_number(site.get("lat")), longitude=_number(site.get("lon")),
        outcome=_outcome(row["outcome"], line, "outcome", problems),
        apogee_km=_km(row.get("apogee", ""), line, "apogee", problems),
        distance_km=_km(row.get("distance", ""), line, "distance", problems),
    )


def _nuclear(row: Mapping[str, str], line: int, source: str, problems: list[RowProblem],
             lookups: Mapping[str, Mapping[str, Mapping[str, object]]]) -> ReferenceTest | None:
    span = _date(row["date_utc"], ("%Y-%m-%d",), (), line, "date_utc", problems)
    if span is None:
        return None
    clock = row.get("origin_time_utc_yao2018", "").split(".")[0]
    yield_text = row.get("yield_kt_yao2018", "").split("±")[0]
    return ReferenceTest(
        source=source, line=line, kind="nuclear", date_start=span[0], date_end=span[1],
        time_utc=_time(clock, ("%H:%M:%S",), line, "origin_time_utc_yao2018", problems),
        weapon_class="nuclear", outcome="success",
        latitude=_float(row.get("lat_yao2018", ""), line, "lat_yao2018", problems),
        longitude=_float(row.get("lon_yao2018", ""), line, "lon_yao2018", problems),
        yield_kt=_float(yield_text, line, "yield_kt_yao2018", problems),
    )


Parser = Callable[[Mapping[str, str], int, str, list[RowProblem],
                   Mapping[str, Mapping[str, Mapping[str, object]]]], ReferenceTest | None]
_PARSERS: Mapping[str, Parser] = {"cns-2023": _cns_2023, "cns-2026": _cns_2026,
                                  "nuclear": _nuclear}


# --- fields ------------------------------------------------------------------------------


def _lookups(folder: Path) -> dict[str, dict[str, Mapping[str, object]]]:
    """The 2026 export's keys: missile.en.json and facility.en.json beside the file."""
    out: dict[str, dict[str, Mapping[str, object]]] = {}
    for name, key in (("missile", None), ("facility", "facilities")):
        path = folder / f"{name}.en.json"
        if not path.is_file():
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise WatchfloorError(E.W601, path=path, detail=f"not readable JSON: {exc}") from exc
        table = data.get(key, {}) if key else data
        out[name] = {str(k).lower(): v for k, v in table.items() if isinstance(v, dict)}
    return out


def _date(value: str, days: tuple[str, ...], months: tuple[str, ...], line: int, column: str,
          problems: list[RowProblem]) -> tuple[date, date] | None:
    for fmt in days:
        try:
            day = datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        return day, day
    for fmt in months:
        try:
            first = datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])
    problems.append(RowProblem(line, column, f"{value!r} is no date of this format"))
    return None


def _time(value: str, formats: tuple[str, ...], line: int, column: str,
          problems: list[RowProblem]) -> time | None:
    if value.strip().lower() in UNKNOWN:
        return None
    for fmt in formats:
        try:
            return datetime.strptime(value.strip(), fmt).time()
        except ValueError:
            continue
    problems.append(RowProblem(line, column, f"{value!r} is no time of day; kept without one",
                               "warning"))
    return None


def _outcome(value: str, line: int, column: str, problems: list[RowProblem]) -> Outcome:
    word = value.strip().lower()
    if word in UNKNOWN:
        return "unknown"
    if word not in OUTCOMES:
        problems.append(RowProblem(line, column, f"{value!r} is no outcome; kept as unknown",
                                   "warning"))
        return "unknown"
    return OUTCOMES[word]


def _km(value: str, line: int, column: str, problems: list[RowProblem]) -> float | None:
    if value.strip().lower() in UNKNOWN:
        return None
    found = NUMBER.match(value.strip())
    if found is None:
        # "between 110 and 670 km": a range the record cannot hold as one figure
        problems.append(RowProblem(line, column, f"{value!r} is no single distance; kept "
                                                 "without one", "warning"))
        return None
    return float(found.group(1).replace(",", ""))


def _float(value: str, line: int, column: str, problems: list[RowProblem]) -> float | None:
    if value.strip().lower() in UNKNOWN:
        return None
    try:
        return float(value.replace(",", ""))
    except ValueError:
        problems.append(RowProblem(line, column, f"{value!r} is no number; kept without one",
                                   "warning"))
        return None


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _text(value: str) -> str | None:
    cleaned = " ".join(value.split())
    return None if cleaned.lower() in UNKNOWN else cleaned
