"""Tabular API responses: the same rows as JSON, CSV or JSON Lines.

A list endpoint answers JSON by default; ``?format=csv`` or ``?format=jsonl`` (or an Accept
header of ``text/csv`` or ``application/x-ndjson``) gives one row per item instead. In CSV a
nested value (a list, or the disagreements of an event) is written as JSON in its cell, so that
no information is lost and every row has the same columns. Rows are streamed, so a large page
starts arriving at once.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from fastapi import Request
from fastapi.responses import StreamingResponse

CSV_TYPE = "text/csv; charset=utf-8"
JSONL_TYPE = "application/x-ndjson"


class Format(StrEnum):
    json = "json"
    csv = "csv"
    jsonl = "jsonl"


def wanted(request: Request, given: Format | None) -> Format:
    """The format asked for: the query parameter, else the Accept header, else JSON."""
    if given is not None:
        return given
    accept = request.headers.get("accept", "")
    if "text/csv" in accept:
        return Format.csv
    if "application/x-ndjson" in accept or "application/jsonl" in accept:
        return Format.jsonl
    return Format.json


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


# A cell a spreadsheet would run as a formula ("=HYPERLINK(...)" in a hostile article's
# title): written with a leading apostrophe, which spreadsheets show as text (OWASP's advice).
_FORMULA = re.compile(r"^(?:[=+@\t\r]|-(?![\d.]))")


def _cell(value: Any) -> Any:
    if isinstance(value, Mapping | list | tuple):
        value = json.dumps(value, ensure_ascii=False, default=_plain)
    value = _plain(value)
    if isinstance(value, str) and _FORMULA.match(value):
        return "'" + value
    return value


def _csv_lines(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def _jsonl_lines(rows: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    for row in rows:
        yield json.dumps(row, ensure_ascii=False, default=_plain) + "\n"


def table_response(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], fmt: Format,
                   name: str) -> StreamingResponse:
    """``rows`` as CSV (these columns, in order) or JSON Lines, as a download named ``name``."""
    if fmt is Format.csv:
        body: Iterator[str] = _csv_lines(rows, columns)
        media, suffix = CSV_TYPE, "csv"
    else:
        body, media, suffix = _jsonl_lines(rows), JSONL_TYPE, "jsonl"
    return StreamingResponse(body, media_type=media, headers={
        "Content-Disposition": f'inline; filename="{name}.{suffix}"'})


TABLE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {CSV_TYPE.split(";")[0]: {"schema": {"type": "string"}},
                      JSONL_TYPE: {"schema": {"type": "string"}}},
          "description": "JSON by default; CSV or JSON Lines with ?format= or Accept."},
}
