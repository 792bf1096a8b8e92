"""Full-text search conditions for the store, one query language on both backends.

A search is words (all must match), "quoted phrases", ``-word`` to exclude and ``OR`` between
alternatives, as in a web search box. On PostgreSQL this is exactly what
``websearch_to_tsquery`` reads; on SQLite the same search is translated into an FTS5 MATCH
expression in which every word is a quoted string, so no user input is ever read as FTS5
syntax (a stray ``*``, ``:`` or ``NEAR`` cannot raise an error or change the query). The text is
always a bound parameter, never part of the SQL.

The tables searched and the indexes behind them are built by migration 0003.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Table, func, literal_column, text

from watchfloor.errors import E, WatchfloorError
from watchfloor.store import schema

MAX_QUERY = 500  # characters
MAX_TERMS = 32
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"[^\W_]", re.UNICODE)  # a letter or digit: "_" alone is no word
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Search:
    """A parsed search: OR-groups of (wanted, excluded) terms; a term is a word or phrase."""

    query: str
    groups: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]

    def fts5(self) -> str:
        """The FTS5 MATCH expression: ``("a" AND "b c" NOT "d") OR ("e")``."""
        parts = []
        for wanted, excluded in self.groups:
            expr = " AND ".join(_quoted(t) for t in wanted)
            expr += "".join(f" NOT {_quoted(t)}" for t in excluded)
            parts.append(f"({expr})")
        return " OR ".join(parts)


def parse(query: str) -> Search:
    """Parse a search box query; W406 when it holds no word to look for."""
    if len(query) > MAX_QUERY:
        raise WatchfloorError(E.W406, query=query[:40] + "…",
                              detail=f"longer than {MAX_QUERY} characters")
    if _CONTROL.search(query):
        raise WatchfloorError(E.W406, query=query, detail="holds a control character (NUL?)")
    query = " ".join(query.split())  # tabs and line breaks are spaces
    groups: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    wanted: list[str] = []
    excluded: list[str] = []
    terms = 0
    for minus, phrase, word in _TOKEN.findall(query):
        if word == "OR" and not minus:
            _close(query, wanted, excluded, groups)
            wanted, excluded = [], []
            continue
        negative = bool(minus) or (word.startswith("-") and len(word) > 1)
        term = phrase if not word else word.lstrip("-") if negative else word
        if not _WORD.search(term):
            continue  # punctuation alone matches nothing on either backend
        terms += 1
        (excluded if negative else wanted).append(term.strip())
    _close(query, wanted, excluded, groups)
    if terms > MAX_TERMS:
        raise WatchfloorError(E.W406, query=query, detail=f"more than {MAX_TERMS} terms")
    if not groups:
        raise WatchfloorError(
            E.W406, query=query,
            detail="no word to look for; give at least one word (a '-word' only excludes)")
    return Search(query=query, groups=tuple(groups))


def _close(query: str, wanted: list[str], excluded: list[str],
           groups: list[tuple[tuple[str, ...], tuple[str, ...]]]) -> None:
    """End an alternative. One with exclusions only ("a OR -b") is refused: SQLite's FTS5
    cannot search for "everything but b", and PostgreSQL would; both must answer alike."""
    if wanted:
        groups.append((tuple(wanted), tuple(excluded)))
    elif excluded:
        raise WatchfloorError(E.W406, query=query, detail="an alternative after OR has only "
                              f"excluded words ({', '.join('-' + t for t in excluded)}); give "
                              "it a word to look for")


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _tsvector(expr: ColumnElement[str]) -> ColumnElement[object]:
    # 'english' as a literal, not a bound parameter: the expression must be the indexed one.
    return func.to_tsvector(literal_column("'english'"), expr)


def _tsquery(search: Search) -> ColumnElement[object]:
    return func.websearch_to_tsquery(literal_column("'english'"), search.query)


def _titled(table: Table, title: str) -> ColumnElement[str]:
    both = func.coalesce(table.c[title], literal_column("''")).op("||")(literal_column("' '"))
    return both.op("||")(table.c.text)


def _fts5_rowids(fts_table: str, search: Search) -> ColumnElement[bool]:
    rowids = text(f"SELECT rowid FROM {fts_table} WHERE {fts_table} MATCH :fts").bindparams(
        fts=search.fts5())
    return literal_column(f"{fts_table.removesuffix('_fts')}.rowid").in_(rowids)


def documents_matching(dialect: str, search: Search) -> ColumnElement[bool]:
    """A condition on ``documents``: its title or text matches."""
    if dialect == "sqlite":
        return _fts5_rowids("documents_fts", search)
    return _tsvector(_titled(schema.documents, "title")).bool_op("@@")(_tsquery(search))


def quotes_matching(dialect: str, search: Search) -> ColumnElement[bool]:
    """A condition on ``quotes``: the quote or its speaker matches."""
    if dialect == "sqlite":
        return _fts5_rowids("quotes_fts", search)
    return _tsvector(_titled(schema.quotes, "speaker")).bool_op("@@")(_tsquery(search))


def sentences_matching(dialect: str, search: Search) -> ColumnElement[bool]:
    """A condition on ``sentences``: the sentence matches."""
    if dialect == "sqlite":
        return _fts5_rowids("sentences_fts", search)
    return _tsvector(schema.sentences.c.text).bool_op("@@")(_tsquery(search))
