"""Exports of events, consolidated records, quotes and claims as CSV, JSONL or Parquet.

Rows are flat: tuples become JSON arrays in CSV and lists in JSONL and Parquet, dates ISO
8601 strings, and every row keeps its provenance columns, so an exported event still leads
back to its document, sentence and span.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, fields, is_dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, get_type_hints

from watchfloor.records import CanonicalEvent, Claim, EventMention, Quote

Record = EventMention | Quote | Claim | CanonicalEvent

FORMATS = ("csv", "jsonl", "parquet")
Row = dict[str, Any]


def _flat(obj: Any, prefix: str = "") -> Row:
    row: Row = {}
    assert is_dataclass(obj)
    for f in fields(obj):
        value = getattr(obj, f.name)
        if is_dataclass(value):
            row.update(_flat(value, prefix=f"{f.name}_"))
        elif isinstance(value, (date, datetime)):
            row[prefix + f.name] = value.isoformat()
        elif isinstance(value, tuple):
            # a record's reports, (doc_id, ordinal) pairs, as "doc_id:ordinal" (one type per
            # column, as Parquet needs)
            row[prefix + f.name] = [":".join(map(str, v)) if isinstance(v, tuple) else v
                                    for v in value]
        elif isinstance(value, dict):  # a record's disagreements: one JSON text per cell
            row[prefix + f.name] = json.dumps(
                {k: asdict(v) if is_dataclass(v) and not isinstance(v, type) else v
                 for k, v in value.items()}, ensure_ascii=False, default=str)
        else:
            row[prefix + f.name] = value
    return row


def rows(records: Iterable[Record]) -> list[Row]:
    return [_flat(r) for r in records]


def columns_of(kind: type[Record], prefix: str = "") -> list[str]:
    """The column names rows() gives records of this kind, known without any record: the
    header of an export or listing that matched nothing."""
    hints = get_type_hints(kind)
    names: list[str] = []
    for f in fields(kind):
        inner = hints[f.name]
        if isinstance(inner, type) and is_dataclass(inner):
            names.extend(columns_of(inner, prefix=f"{f.name}_"))  # type: ignore[arg-type]
        else:
            names.append(prefix + f.name)
    return names


def write(records: Sequence[Record], path: Path, fmt: str,
          kind: type[Record] = EventMention) -> int:
    """Write records (of this kind) to path in fmt; returns the number of rows written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    data = rows(records)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "jsonl":
        with path.open("w", encoding="utf-8") as fh:
            for r in data:
                if isinstance(r.get("disagreements"), str):  # an object in JSON, not text
                    r = {**r, "disagreements": json.loads(r["disagreements"])}
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        names = list(data[0]) if data else columns_of(kind)
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=names)
            w.writeheader()
            for r in data:
                w.writerow({k: json.dumps(v) if isinstance(v, list) else v for k, v in r.items()})
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(data), path)
    return len(data)
