"""End-to-end tests of the ``watchfloor`` command line (``watchfloor.cli.app``).

Every test drives the real Typer app through ``typer.testing.CliRunner`` against SQLite files
under pytest's temporary folders, never the user's default database. Loading the spaCy model
takes seconds, so ``run`` is invoked once per module into a shared database
(``shared_db``) that the read-only commands (events, show, quotes, claims, timeline, export)
reuse; only the idempotence, ingest/extract and eval tests load the model again.

Output is read with a wide console (``COLUMNS=200``) so that rich tables do not shorten ids
and codes; one test checks a 120-column terminal still shows every id and the evidence.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from watchfloor import cli
from watchfloor.cli import app

DEMO = Path(__file__).resolve().parents[1] / "corpus" / "demo"
# Two articles with events from different years (one names a weapon system, Hwasong-14) and
# one with no security events at all.
ARTICLES = ("001-fourth-nuclear-test", "018-hwasong-14-first-icbm", "016-bts-billboard-award")
GOLD_ARTICLE = "011-fifth-nuclear-test"
WIDE = "200"
ANSI = re.compile(r"\x1b\[[0-9;]*m")

Row = dict[str, Any]


def invoke(db: Path | None, *args: object, env: dict[str, str] | None = None,
           input: str | None = None) -> Result:
    """Run ``watchfloor [--db DB] ARGS`` in-process with a wide, colourless console.

    WATCHFLOOR_DB is removed from the environment unless ``env`` sets it, so a test can never
    fall back to the user's default database by accident.
    """
    full_env: dict[str, str | None] = {"COLUMNS": WIDE, "WATCHFLOOR_DB": None}
    full_env.update(env or {})
    argv = [*(["--db", str(db)] if db is not None else []), *map(str, args)]
    return CliRunner().invoke(app, argv, env=full_env, input=input)


def stdout(result: Result) -> str:
    return ANSI.sub("", result.stdout)


def stderr(result: Result) -> str:
    return ANSI.sub("", result.stderr)


def flat(text: str) -> str:
    """Text with every run of whitespace made one space (tables and consoles wrap lines)."""
    return " ".join(text.split())


def ok(result: Result) -> Result:
    assert result.exit_code == 0, f"exit {result.exit_code}: {result.output}\n{result.exception!r}"
    return result


def as_json(db: Path, *args: object) -> list[Row]:
    data = json.loads(stdout(ok(invoke(db, *args, "--format", "json"))))
    assert isinstance(data, list)
    return data


def summary(result: Result) -> dict[str, int]:
    """The 'documents seen: 3, documents new: 3, ...' line that ingest, extract and run print."""
    return {k: int(v) for k, v in re.findall(r"([a-z][a-z ]*?): (\d+)", flat(stderr(result)))}


def copy_articles(folder: Path, names: tuple[str, ...], gold: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(DEMO / f"{name}.md", folder)
        if gold:
            shutil.copy(DEMO / f"{name}.gold.yaml", folder)
    return folder


def ids(rows: list[Row]) -> list[str]:
    return [r["id"] for r in rows]


# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def console_width_from_env() -> Iterator[None]:
    """rich fixes a console's width from COLUMNS when it is created, at import; forget it so
    that the COLUMNS each invocation sets applies, whatever the shell running pytest exports."""
    with pytest.MonkeyPatch.context() as mp:
        for console in (cli.out, cli.err):
            mp.setattr(console, "_width", None)
        yield


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_articles(tmp_path_factory.mktemp("articles"), ARTICLES)


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory, articles: Path) -> tuple[Path, Result]:
    """One ``watchfloor run`` of the three articles into a fresh database."""
    db = tmp_path_factory.mktemp("db") / "watchfloor.sqlite"
    return db, ok(invoke(db, "run", articles))


@pytest.fixture(scope="module")
def shared_db(first_run: tuple[Path, Result]) -> Path:
    return first_run[0]


@pytest.fixture(scope="module")
def all_events(shared_db: Path) -> list[Row]:
    rows = as_json(shared_db, "events")
    assert rows, "the demo articles should yield events"
    return rows


@pytest.fixture(scope="module")
def all_quotes(shared_db: Path) -> list[Row]:
    return as_json(shared_db, "quotes")


@pytest.fixture(scope="module")
def all_claims(shared_db: Path) -> list[Row]:
    return as_json(shared_db, "claims")


# --- run, ingest, extract -------------------------------------------------------------------


def test_run_reports_documents_and_events(
    first_run: tuple[Path, Result], all_events: list[Row]
) -> None:
    counts = summary(first_run[1])
    assert counts["documents seen"] == 3
    assert counts["documents new"] == 3
    assert counts["extracted"] == 3
    assert counts["rejected"] == 0
    assert counts["events"] == len(all_events) > 0


def test_run_again_adds_nothing(shared_db: Path, articles: Path, all_events: list[Row],
                                all_quotes: list[Row], all_claims: list[Row]) -> None:
    counts = summary(ok(invoke(shared_db, "run", articles)))
    assert counts["documents seen"] == 3
    assert counts["documents new"] == 0
    assert counts["extracted"] == 0
    assert counts["skipped already extracted"] == 3
    assert counts["events"] == 0
    assert ids(as_json(shared_db, "events")) == ids(all_events)
    assert ids(as_json(shared_db, "quotes")) == ids(all_quotes)
    assert ids(as_json(shared_db, "claims")) == ids(all_claims)


def test_ingest_then_extract_matches_run(tmp_path: Path, articles: Path,
                                         all_events: list[Row]) -> None:
    """ingest stores documents only; extract then yields what run did. The database comes from
    WATCHFLOOR_DB here, not --db."""
    env = {"WATCHFLOOR_DB": str(tmp_path / "split.sqlite")}

    first = summary(ok(invoke(None, "ingest", articles, env=env)))
    assert (first["documents new"], first["extracted"], first["events"]) == (3, 0, 0)
    assert json.loads(stdout(ok(invoke(None, "events", "--format", "json", env=env)))) == []
    again = summary(ok(invoke(None, "ingest", articles, env=env)))
    assert (again["documents seen"], again["documents new"]) == (3, 0)

    extracted = summary(ok(invoke(None, "extract", env=env)))
    assert extracted["extracted"] == 3
    assert extracted["events"] == len(all_events)
    rows = json.loads(stdout(ok(invoke(None, "events", "--format", "json", env=env))))
    assert ids(rows) == ids(all_events)
    assert (tmp_path / "split.sqlite").is_file()


def test_ingest_reads_stdin(tmp_path: Path, articles: Path) -> None:
    db = tmp_path / "stdin.sqlite"
    text = (articles / f"{ARTICLES[0]}.md").read_text(encoding="utf-8")
    assert summary(ok(invoke(db, "ingest", "-", input=text)))["documents new"] == 1
    # The same article from its file is recognised as already stored.
    counts = summary(ok(invoke(db, "ingest", articles)))
    assert (counts["documents seen"], counts["documents new"]) == (3, 2)


def test_db_option_overrides_environment(tmp_path: Path, shared_db: Path,
                                         all_events: list[Row]) -> None:
    env = {"WATCHFLOOR_DB": str(tmp_path / "other.sqlite")}
    rows = json.loads(stdout(ok(invoke(shared_db, "events", "--format", "json", env=env))))
    assert ids(rows) == ids(all_events)


# --- events ---------------------------------------------------------------------------------


def test_events_json_is_a_list_of_events(all_events: list[Row]) -> None:
    assert len(set(ids(all_events))) == len(all_events)
    for row in all_events:
        assert row["id"].startswith("ev_")
        assert row["type"] and row["modality"]
        assert {"actor", "target", "weapon", "weapon_class", "date", "evidence"} <= row.keys()
    weapon_tests = [r for r in all_events if r["type"] == "weapon_test"]
    assert weapon_tests and all(r["actor"] == "PRK" for r in weapon_tests)


FILTERS: list[tuple[list[str], Callable[[Row], bool]]] = [
    (["--type", "weapon_test", "--actor", "PRK"],
     lambda r: r["type"] == "weapon_test" and r["actor"] == "PRK"),
    (["--actor", "USA"], lambda r: r["actor"] == "USA"),
    (["--target", "PRK"], lambda r: r["target"] == "PRK"),
    (["--weapon", "Hwasong-14"], lambda r: r["weapon"] == "Hwasong-14"),
    (["--class", "nuclear"], lambda r: "nuclear" in r["weapon_class"]),
    (["--modality", "hypothetical"], lambda r: r["modality"] == "hypothetical"),
    (["--type", "weapon_test", "--modality", "asserted"],
     lambda r: r["type"] == "weapon_test" and r["modality"] == "asserted"),
]


@pytest.mark.parametrize(("args", "keep"), FILTERS, ids=[" ".join(a) for a, _ in FILTERS])
def test_events_filters_keep_exactly_the_matching_rows(
    shared_db: Path, all_events: list[Row], args: list[str], keep: Callable[[Row], bool]
) -> None:
    expected = [r for r in all_events if keep(r)]
    assert 0 < len(expected) < len(all_events), "the filter should be tested on a real split"
    assert as_json(shared_db, "events", *args) == expected


def _overlaps(row: Row, start: date | None, end: date | None) -> bool:
    if row["date_start"] is None:
        return False
    first = date.fromisoformat(row["date_start"])
    last = date.fromisoformat(row["date_end"] or row["date_start"])
    return (start is None or last >= start) and (end is None or first <= end)


DATE_RANGES = [("2017-01-01", None), (None, "2016-12-31"), ("2016-01-06", "2016-01-06"),
               ("2017-07-01", "2017-07-31")]


@pytest.mark.parametrize(("start", "end"), DATE_RANGES)
def test_events_from_to_keep_events_overlapping_the_range(
    shared_db: Path, all_events: list[Row], start: str | None, end: str | None
) -> None:
    args = [*(["--from", start] if start else []), *(["--to", end] if end else [])]
    d_from = date.fromisoformat(start) if start else None
    d_to = date.fromisoformat(end) if end else None
    expected = [r for r in all_events if _overlaps(r, d_from, d_to)]
    assert 0 < len(expected) < len(all_events)
    rows = as_json(shared_db, "events", *args)
    assert rows == expected
    for r in rows:
        assert d_from is None or date.fromisoformat(r["date_end"] or r["date_start"]) >= d_from
        assert d_to is None or date.fromisoformat(r["date_start"]) <= d_to


def test_events_are_in_date_order_with_undated_last(all_events: list[Row]) -> None:
    starts = [r["date_start"] for r in all_events]
    dated = [s for s in starts if s is not None]
    assert dated == sorted(dated)
    assert starts[: len(dated)] == dated


def test_events_limit(shared_db: Path, all_events: list[Row]) -> None:
    assert as_json(shared_db, "events", "--limit", "3") == all_events[:3]
    assert as_json(shared_db, "events", "--limit", "0") == []


def test_events_csv_has_a_header_and_the_json_rows(shared_db: Path,
                                                   all_events: list[Row]) -> None:
    text = stdout(ok(invoke(shared_db, "events", "--format", "csv")))
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    assert reader.fieldnames == list(all_events[0])
    assert len(rows) == len(all_events)
    for got, want in zip(rows, all_events, strict=True):
        assert got["id"] == want["id"]
        assert got["type"] == want["type"]
        assert got["actor"] == (want["actor"] or "")
        assert json.loads(got["weapon_class"]) == want["weapon_class"]
        assert got["evidence"] == want["evidence"]


def test_events_table_lists_every_event(shared_db: Path, all_events: list[Row]) -> None:
    text = stdout(ok(invoke(shared_db, "events")))
    assert f"{len(all_events)} events" in text
    for row in all_events:
        assert row["id"] in text


def test_events_empty_selection(shared_db: Path) -> None:
    assert as_json(shared_db, "events", "--actor", "NOBODY") == []
    assert "0 events" in stdout(ok(invoke(shared_db, "events", "--actor", "NOBODY")))


def test_events_csv_header_does_not_depend_on_matches(shared_db: Path,
                                                      all_events: list[Row]) -> None:
    text = stdout(ok(invoke(shared_db, "events", "--actor", "NOBODY", "--format", "csv")))
    assert text.splitlines()[0].split(",") == list(all_events[0])


def test_events_table_in_a_120_column_terminal_shows_ids_and_evidence(
    shared_db: Path, all_events: list[Row]
) -> None:
    text = stdout(ok(invoke(shared_db, "events", env={"COLUMNS": "120"})))
    for row in all_events:
        assert row["id"] in text
        first_words = " ".join(row["evidence"].split()[:2])
        assert first_words in flat(text)


@pytest.mark.parametrize(
    ("args", "flag", "value"),
    [(["--from", "notadate"], "--from", "notadate"),
     (["--to", "2016-13-01"], "--to", "2016-13-01")],
)
def test_events_bad_date_is_a_usage_error(shared_db: Path, args: list[str], flag: str,
                                          value: str) -> None:
    result = invoke(shared_db, "events", *args)
    assert result.exit_code == 2
    message = stderr(result)
    assert flag in message and value in message and "YYYY-MM-DD" in message
    assert stdout(result) == ""


def test_events_unknown_format_is_a_usage_error(shared_db: Path) -> None:
    result = invoke(shared_db, "events", "--format", "xml")
    assert result.exit_code == 2
    assert "xml" in result.output


# --- show -----------------------------------------------------------------------------------


def test_show_prints_each_event_with_its_evidence(shared_db: Path,
                                                  all_events: list[Row]) -> None:
    for row in all_events:
        text = flat(stdout(ok(invoke(shared_db, "show", row["id"]))))
        assert f"id {row['id']}" in text
        assert f"type {row['type']}" in text
        assert flat(row["evidence"]) in text


def test_show_accepts_a_unique_prefix(shared_db: Path, all_events: list[Row]) -> None:
    target = all_events[0]["id"]
    prefix = next(target[:n] for n in range(4, len(target))
                  if sum(i.startswith(target[:n]) for i in ids(all_events)) == 1)
    assert len(prefix) < len(target)
    assert stdout(ok(invoke(shared_db, "show", prefix))) == stdout(
        ok(invoke(shared_db, "show", target)))


def test_show_unknown_id_is_an_error_naming_it(shared_db: Path) -> None:
    result = invoke(shared_db, "show", "ev_doesnotexist")
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "ev_doesnotexist" in stderr(result)
    assert "not found" in stderr(result)
    assert stdout(result) == ""


def test_show_ambiguous_prefix_is_a_clean_error(shared_db: Path) -> None:
    result = invoke(shared_db, "show", "ev_")
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "W403" in stderr(result)


# --- quotes, claims, timeline ---------------------------------------------------------------


def test_quotes_table_matches_json(shared_db: Path, all_quotes: list[Row]) -> None:
    assert all_quotes
    assert all(r["id"].startswith("qt_") and r["text"] for r in all_quotes)
    text = stdout(ok(invoke(shared_db, "quotes")))
    assert f"{len(all_quotes)} quotes" in text
    for row in all_quotes:
        assert row["speaker"] in text
        assert " ".join(row["text"].split()[:2]) in flat(text)


def test_quotes_actor_filter(shared_db: Path, all_quotes: list[Row]) -> None:
    expected = [r for r in all_quotes if r["speaker_actor"] == "PRK"]
    assert 0 < len(expected) < len(all_quotes)
    assert as_json(shared_db, "quotes", "--actor", "PRK") == expected


def test_claims_table_matches_json(shared_db: Path, all_claims: list[Row]) -> None:
    assert all_claims
    assert all(r["id"].startswith("cl_") and r["kind"] for r in all_claims)
    text = stdout(ok(invoke(shared_db, "claims")))
    assert f"{len(all_claims)} claims" in text
    for row in all_claims:
        assert row["kind"] in text
        assert flat(row["evidence"]) in flat(text)
    rows = list(csv.DictReader(io.StringIO(stdout(ok(invoke(shared_db, "claims", "--format",
                                                                   "csv"))))))
    assert [r["id"] for r in rows] == ids(all_claims)


def test_timeline_lists_dated_asserted_events_in_date_order(
    shared_db: Path, all_events: list[Row]
) -> None:
    by_id = {r["id"]: r for r in all_events}
    expected = {r["id"] for r in all_events
                if r["modality"] == "asserted" and r["date_start"] is not None}
    rows = as_json(shared_db, "timeline", "--reports")
    assert expected and {r["id"] for r in rows} == expected
    assert len(rows) == len(expected)
    starts = [by_id[r["id"]]["date_start"] for r in rows]
    assert starts == sorted(starts)
    for r in rows:
        assert r["date"] == by_id[r["id"]]["date"]
        assert r["type"] == by_id[r["id"]]["type"]

    text = stdout(ok(invoke(shared_db, "timeline", "--reports")))
    assert f"timeline: {len(rows)} asserted reports" in text


def test_timeline_modality(shared_db: Path, all_events: list[Row]) -> None:
    expected = {r["id"] for r in all_events
                if r["modality"] == "hypothetical" and r["date_start"] is not None}
    assert expected
    assert {r["id"] for r in as_json(shared_db, "timeline", "--reports", "--modality",
                                      "hypothetical")} == expected


@pytest.mark.parametrize(("by", "pattern"), [("month", r"\d{4}-\d{2}"), ("year", r"\d{4}"),
                                             ("day", r"\d{4}-\d{2}-\d{2}")])
def test_timeline_by_period_counts_the_timeline(shared_db: Path, all_events: list[Row],
                                                by: str, pattern: str) -> None:
    by_id = {r["id"]: r for r in all_events}

    def countable(row: Row) -> bool:  # dated to a month or better
        e = by_id[row["id"]]
        return (date.fromisoformat(e["date_end"] or e["date_start"])
                - date.fromisoformat(e["date_start"])).days <= 31

    timeline = [t for t in as_json(shared_db, "timeline", "--reports") if countable(t)]
    counts = as_json(shared_db, "timeline", "--reports", "--by", by)
    assert counts and sum(r["count"] for r in counts) == len(timeline)
    assert all(re.fullmatch(pattern, r["period"]) for r in counts)
    for row in counts:
        assert row["count"] == sum(
            1 for t in timeline
            if t["type"] == row["type"] and by_id[t["id"]]["date_start"].startswith(row["period"]))
    text = stdout(ok(invoke(shared_db, "timeline", "--reports", "--by", by)))
    assert f"reports per {by}" in text


def test_timeline_counts_each_event_once_however_many_articles_report_it(
    shared_db: Path, all_events: list[Row]
) -> None:
    # issue 4: count events, not reports
    records = as_json(shared_db, "timeline")
    reports = as_json(shared_db, "timeline", "--reports")
    assert records and all(r["id"].startswith("rec_") for r in records)
    assert sum(r["documents"] for r in records) == len(reports)
    merged = as_json(shared_db, "events", "--merged")
    dated = {r["id"] for r in merged if r["modality"] == "asserted" and r["date_start"]}
    assert {r["id"] for r in records} == dated
    spans = {r["id"]: (date.fromisoformat(r["date_end"] or r["date_start"])
                       - date.fromisoformat(r["date_start"])).days
             for r in merged if r["date_start"]}
    by_month = as_json(shared_db, "timeline", "--by", "month")
    assert sum(r["count"] for r in by_month) == sum(spans[r["id"]] <= 31 for r in records)


# --- export ---------------------------------------------------------------------------------


def _read_export(path: Path) -> list[Row]:
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    pq = pytest.importorskip("pyarrow.parquet")
    return list(pq.read_table(path).to_pylist())


@pytest.mark.parametrize("suffix", ["csv", "jsonl", "parquet"])
def test_export_events_format_from_suffix(tmp_path: Path, shared_db: Path,
                                          all_events: list[Row], suffix: str) -> None:
    path = tmp_path / "out" / f"events.{suffix}"
    result = ok(invoke(shared_db, "export", path))
    assert f"wrote {len(all_events)} events" in flat(stderr(result))
    rows = _read_export(path)
    assert len(rows) == len(all_events)
    assert ids(rows) == ids(all_events)


def test_export_quotes_and_claims(tmp_path: Path, shared_db: Path, all_quotes: list[Row],
                                  all_claims: list[Row]) -> None:
    ok(invoke(shared_db, "export", tmp_path / "quotes.jsonl", "--what", "quotes"))
    assert ids(_read_export(tmp_path / "quotes.jsonl")) == ids(all_quotes)
    ok(invoke(shared_db, "export", tmp_path / "claims.csv", "--what", "claims"))
    assert ids(_read_export(tmp_path / "claims.csv")) == ids(all_claims)


def test_export_format_option_beats_suffix(tmp_path: Path, shared_db: Path,
                                           all_events: list[Row]) -> None:
    path = tmp_path / "events.txt"
    ok(invoke(shared_db, "export", path, "--format", "jsonl"))
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert ids(rows) == ids(all_events)


@pytest.mark.parametrize("name", ["events.txt", "events"])
def test_export_unknown_suffix_is_an_error(tmp_path: Path, shared_db: Path, name: str) -> None:
    path = tmp_path / name
    result = invoke(shared_db, "export", path)
    assert result.exit_code == 2
    message = flat(stderr(result))
    assert str(path) in message and "--format" in message
    assert not path.exists()


def test_export_onto_a_directory_is_a_clean_error(tmp_path: Path, shared_db: Path) -> None:
    path = tmp_path / "events.csv"
    path.mkdir()
    result = invoke(shared_db, "export", path)
    assert result.exit_code != 0
    assert isinstance(result.exception, SystemExit)
    assert str(path) in flat(stderr(result))


def test_export_of_nothing_still_has_a_csv_header(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    result = ok(invoke(tmp_path / "empty.sqlite", "export", path))
    assert "wrote 0 events" in stderr(result)
    assert "id" in path.read_text(encoding="utf-8").splitlines()[0].split(",")


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["ingest", "run"])
def test_missing_input_path_is_an_error(tmp_path: Path, command: str) -> None:
    missing = tmp_path / "no-such-article.md"
    db = tmp_path / "db.sqlite"
    result = invoke(db, command, missing)
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    message = flat(stderr(result))
    assert str(missing) in message and "no such file" in message


def test_ingest_rejects_bad_files_with_a_reason(tmp_path: Path) -> None:
    """A folder yields only supported types; a file named explicitly is rejected with a code.
    Rejections are reported but do not fail a batch that stored something."""
    folder = copy_articles(tmp_path / "in", ARTICLES[2:])
    pdf = folder / "report.pdf"
    pdf.write_text("not really a pdf", encoding="utf-8")
    (folder / "blob.txt").write_bytes(b"binary\x00data" * 10)
    result = ok(invoke(tmp_path / "db.sqlite", "ingest", folder, pdf))
    message = flat(stderr(result))
    assert "W106" in message and "report.pdf" in message
    assert "W101" in message and "blob.txt" in message
    counts = summary(result)
    assert (counts["rejected"], counts["documents new"]) == (2, 1)
    folder_only = summary(ok(invoke(tmp_path / "db.sqlite", "ingest", folder)))
    assert folder_only["rejected"] == 1  # the .pdf inside the folder is skipped, not rejected


# --- eval -----------------------------------------------------------------------------------


def test_eval_without_gold_files_is_an_error(tmp_path: Path) -> None:
    folder = copy_articles(tmp_path / "nogold", (GOLD_ARTICLE,))
    result = invoke(tmp_path / "db.sqlite", "eval", folder, "--json")
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    message = flat(stderr(result))
    assert "W502" in message and str(folder) in message and "gold" in message
    assert stdout(result) == ""


def test_eval_json_reports_metrics(tmp_path: Path) -> None:
    folder = copy_articles(tmp_path / "gold", (GOLD_ARTICLE,), gold=True)
    report = json.loads(stdout(ok(invoke(tmp_path / "db.sqlite", "eval", folder, "--json"))))
    assert report["documents"] == 1
    metrics = report["metrics"]
    for key in ("event_precision", "event_recall", "event_f1", "quote_f1", "claim_f1"):
        assert 0.0 <= metrics[key] <= 1.0
    assert metrics["event_f1"] > 0
    assert [a["file"] for a in report["articles"]] == [f"{GOLD_ARTICLE}.md"]
    events = report["events"]
    assert events["aligned"] <= min(events["gold"], events["pred"])
    assert events["gold"] > 0


@pytest.mark.parametrize("args", [["--modality", "bogus"], ["--type", "launch"],
                                  ["--limit", "-1"]])
def test_events_bad_filter_values_are_errors(shared_db: Path, args: list[str]) -> None:
    result = invoke(shared_db, "events", *args)
    assert result.exit_code == 2
    assert args[1] in stderr(result)


def test_ingest_of_only_rejected_inputs_fails(tmp_path: Path) -> None:
    bad = tmp_path / "blob.txt"
    bad.write_bytes(b"\x00\x01\x02binary")
    result = invoke(tmp_path / "db.sqlite", "ingest", bad)
    assert result.exit_code == 1
    assert "rejected" in stderr(result)


def test_eval_of_a_missing_folder_says_so(tmp_path: Path) -> None:
    result = invoke(tmp_path / "db.sqlite", "eval", tmp_path / "nowhere")
    assert result.exit_code == 1
    assert "no such folder" in flat(stderr(result))


def flaky_extractor(extractor: Any) -> Any:
    """The extractor with a bug: extraction raises on the one article that names Hwasong-14."""
    from watchfloor.extract.extractor import Extractor

    class Flaky(Extractor):
        def extract_annotated(self, doc: Any, sdoc: Any) -> Any:
            if "Hwasong-14" in doc.text:
                raise RuntimeError("a rule hit an empty sequence")
            return super().extract_annotated(doc, sdoc)

    return Flaky(**{f: getattr(extractor, f) for f in Extractor.__dataclass_fields__})


def test_a_document_that_fails_extraction_is_named_and_the_run_exits_1(
    tmp_path: Path, articles: Path, extractor: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    flaky = flaky_extractor(extractor)
    db = tmp_path / "w.sqlite"
    monkeypatch.setattr(cli, "_extractor", lambda pack: flaky)
    result = invoke(db, "run", articles)
    assert result.exit_code == 1
    err_text = stderr(result)
    assert "W204" in err_text and "018-hwasong-14-first-icbm" in err_text
    assert "failed: 1" in err_text and "extracted: 2" in err_text
    # fixed, a second run extracts only the document that failed
    monkeypatch.setattr(cli, "_extractor", lambda pack: extractor)
    again = invoke(db, "extract")
    assert again.exit_code == 0
    assert "extracted: 1" in stderr(again) and "failed: 0" in stderr(again)


def test_eval_names_the_gold_files_it_could_not_score_and_scores_the_rest(
    tmp_path: Path, extractor: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = copy_articles(tmp_path / "gold", (GOLD_ARTICLE, ARTICLES[1]), gold=True)
    shutil.copy(DEMO / f"{ARTICLES[0]}.md", folder)
    (folder / f"{ARTICLES[0]}.gold.yaml").write_text("events: [unclosed\n", encoding="utf-8")
    flaky = flaky_extractor(extractor)
    monkeypatch.setattr(cli, "_extractor", lambda pack: flaky)
    result = invoke(tmp_path / "db.sqlite", "eval", folder, "--json")
    assert result.exit_code == 1  # a partial measurement is not a success
    report = json.loads(stdout(result))
    assert [a["file"] for a in report["articles"]] == [f"{GOLD_ARTICLE}.md"]
    failed = " ".join(report["failed"])
    assert "W504" in failed and f"{ARTICLES[1]}.gold.yaml" in failed and "RuntimeError" in failed
    assert "W501" in failed and f"{ARTICLES[0]}.gold.yaml" in failed and "YAML" in failed
    # a gate never passes, and floors are never pinned, on a corpus measured in part
    baseline = tmp_path / "baseline.json"
    pinned = invoke(tmp_path / "db.sqlite", "eval", folder, "--gate", baseline, "--pin")
    assert pinned.exit_code != 0 and not baseline.exists()
    assert "not pinned" in flat(stderr(pinned))


def test_reference_check_reports_rows_with_line_numbers_and_refuses_an_unknown_file(
    tmp_path: Path,
) -> None:
    good = tmp_path / "nuclear.csv"
    good.write_text(
        "test_no,date_utc,origin_time_utc_yao2018,lat_yao2018,lon_yao2018,depth_m_yao2018,"
        "yield_kt_yao2018,usgs_event_id,usgs_origin_time,usgs_mb\n"
        "1,2006-10-09,01:35:27.998,41.28,129.10,,0.48,usp000eurb,2006-10-09T01:35:28Z,4.3\n"
        "2,2009-02-30,00:54:42.000,41.29,129.08,,2.35,usp000gwvd,2009-05-25T00:54:43Z,4.7\n",
        encoding="utf-8")
    result = invoke(None, "reference", "check", good, "--format", "json")
    assert result.exit_code == 1  # a row refused
    rows = json.loads(stdout(result))
    assert [(r["line"], r["column"], r["severity"]) for r in rows] == [(3, "date_utc", "error")]
    assert "format nuclear; rows read: 1, rows refused: 1, warnings: 0" in flat(stderr(result))
    other = tmp_path / "notes.csv"
    other.write_text("date,headline\n2017-01-01,hello\n", encoding="utf-8")
    result = invoke(None, "reference", "check", other)
    assert result.exit_code == 1 and "W601" in stderr(result) and "notes.csv" in stderr(result)


NUCLEAR_HEADER = ("test_no,date_utc,origin_time_utc_yao2018,lat_yao2018,lon_yao2018,"
                  "depth_m_yao2018,yield_kt_yao2018,usgs_event_id,usgs_origin_time,usgs_mb\n")


def test_reference_import_lists_refused_rows_and_compare_matches_the_chronology(
    tmp_path: Path, first_run: tuple[Path, Result],
) -> None:
    db = tmp_path / "copy.sqlite"
    shutil.copy(first_run[0], db)
    table = tmp_path / "nuclear.csv"
    table.write_text(
        NUCLEAR_HEADER
        + "4,2016-01-06,01:30:00.990,41.30,129.05,,8.8,us10004bnm,2016-01-06T01:30:01Z,5.1\n"
        + "5,2016-13-09,00:30:00.990,41.29,129.08,,23.1,us10006mpi,2016-09-09T00:30:01Z,5.3\n"
        + "6,2017-09-03,03:30:01.000,41.34,129.03,,250,us2000aert,2017-09-03T03:30:01Z,6.3\n",
        encoding="utf-8")
    result = ok(invoke(db, "reference", "import", table, "--format", "json"))
    assert "imported as 'nuclear' (format nuclear): 2 rows, 2 events, 1 rows refused" in flat(
        stderr(result))
    assert [(r["line"], r["column"]) for r in json.loads(stdout(result))] == [(3, "date_utc")]
    again = ok(invoke(db, "reference", "import", table))
    assert "unchanged (already imported)" in flat(stderr(again))
    assert [r["name"] for r in as_json(db, "reference", "list")] == ["nuclear"]

    launches = tmp_path / "launches.csv"
    launches.write_text(
        "date,time,series,missile,facility,landing,apogee,distance,bearing,outcome,"
        "description,glide\n"
        "2017-07-04,00:40 (UTC),,Hwasong-14,Panghyon,sea-of-japan,2802,933,,success,,\n"
        "2017-07-28,14:41 (UTC),,Hwasong-14,Mupyong-ni,sea-of-japan,3724,998,,success,,\n",
        encoding="utf-8")
    ok(invoke(db, "reference", "import", launches, "--name", "launches"))
    ok(invoke(db, "consolidate"))
    data = json.loads(stdout(ok(invoke(db, "compare", "--reference", "launches", "--from",
                                       "2017-01-01", "--to", "2017-12-31", "--format",
                                       "json"))))
    # the demo article reports the launch of 2017-07-04 (line 2), not that of 07-28 (line 3)
    sides = [(i["side"], i["reference"], i["event_system"]) for i in data["items"]]
    assert sides == [("matched", "launches:2", "Hwasong-14"),
                     ("reference only", "launches:3", None)]
    assert (data["summary"]["recall"], data["summary"]["precision"]) == (0.5, 1.0)
    assert data["summary"]["system_agreement"] == 1.0
    missing = invoke(db, "compare", "--reference", "cns-2023", "--from", "2016-01-01",
                     "--to", "2016-12-31")
    assert missing.exit_code == 1 and "W602" in stderr(missing)
    backwards = invoke(db, "compare", "--reference", "nuclear", "--from", "2017-01-01",
                       "--to", "2016-01-01")
    assert backwards.exit_code == 2


def test_claims_check_names_the_reference_rows_behind_each_verdict(
    tmp_path: Path, first_run: tuple[Path, Result],
) -> None:
    db = tmp_path / "copy.sqlite"
    shutil.copy(first_run[0], db)
    before = ok(invoke(db, "claims", "--check", "--format", "json"))
    assert "no reference set imported" in flat(stderr(before))
    table = tmp_path / "nuclear.csv"
    rows = [("2006-10-09", "01:35:28"), ("2009-05-25", "00:54:43"), ("2013-02-12", "02:57:51"),
            ("2016-01-06", "01:30:01"), ("2016-09-09", "00:30:01"), ("2017-09-03", "03:30:01")]
    table.write_text(NUCLEAR_HEADER + "".join(
        f"{n},{day},{clock}.000,41.3,129.1,,10,us{n},{day}T{clock}Z,5.0\n"
        for n, (day, clock) in enumerate(rows, 1)), encoding="utf-8")
    ok(invoke(db, "reference", "import", table))
    checked = json.loads(stdout(ok(invoke(db, "claims", "--check", "--format", "json"))))
    # 001: "the North's fourth nuclear test and its first since February 2013"
    ordinal = next(c for c in checked if c["kind"] == "ordinal" and c["value"] == 4)
    assert ordinal["verdict"] == "supported"
    assert ordinal["evidence_keys"] == ["nuclear:2", "nuclear:3", "nuclear:4", "nuclear:5"]
    assert ordinal["evidence_rows"][0].startswith("nuclear line 2: 2006-10-09 01:35 UTC")
    since = next(c for c in checked if c["kind"] == "first_since" and c["since"] == "2013-02")
    assert since["verdict"] == "supported" and since["evidence_keys"] == ["nuclear:4"]
    assert {"verdict", "claimed", "found", "reason"} <= set(checked[0])
    text = flat(stdout(ok(invoke(db, "claims", "--check"))))
    assert "supported" in text and "claims checked" in text


@pytest.mark.parametrize("suffix", ["csv", "jsonl", "parquet"])
def test_export_records_writes_one_row_per_consolidated_event(
    shared_db: Path, tmp_path: Path, suffix: str
) -> None:
    merged = as_json(shared_db, "events", "--merged")
    path = tmp_path / f"records.{suffix}"
    result = ok(invoke(shared_db, "export", path, "--what", "records"))
    assert f"wrote {len(merged)} records" in flat(stderr(result))
    if suffix == "jsonl":
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    elif suffix == "csv":
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    else:
        import pyarrow.parquet as pq

        rows = pq.read_table(path).to_pylist()
    assert [r["id"] for r in rows] == [r["id"] for r in merged]
    assert {"status", "sources", "documents", "disagreements", "confidence"} <= set(rows[0])
    # every record says which article events support it, as many as its documents at least
    for r in rows:
        reports = json.loads(r["reports"]) if isinstance(r["reports"], str) else r["reports"]
        assert all(re.fullmatch(r"[0-9a-f]+:\d+", k) for k in reports)
        assert len(reports) >= r["documents"] if suffix != "csv" else len(reports) >= int(
            r["documents"])
    disagreements = [r["disagreements"] for r in rows]
    if suffix == "jsonl":
        assert all(isinstance(d, dict) for d in disagreements)
    else:
        assert all(isinstance(json.loads(d), dict) for d in disagreements)


def test_run_can_leave_consolidation_for_later(tmp_path: Path, articles: Path) -> None:
    db = tmp_path / "later.sqlite"
    result = ok(invoke(db, "run", articles, "--no-consolidate"))
    assert "consolidated" not in stderr(result)
    assert as_json(db, "events", "--merged") == []
    assert "consolidated" in stderr(ok(invoke(db, "consolidate")))
    assert as_json(db, "events", "--merged")


# -- search and tokens (issue 5) ----------------------------------------------------------


def test_documents_lists_and_searches_the_articles(shared_db: Path) -> None:
    assert len(as_json(shared_db, "documents")) == 3
    found = as_json(shared_db, "documents", "--search", "Hwasong")
    assert [r["title"] for r in found] == [
        "North Korea says it tested its first ICBM; Washington calls for global action"]
    assert as_json(shared_db, "documents", "--search", "Hwasong -ICBM") == []
    refused = invoke(shared_db, "documents", "--search", "-Hwasong")
    assert refused.exit_code == 1 and "W406" in stderr(refused)


def test_merged_events_are_searched_by_their_sentences(shared_db: Path) -> None:
    every = as_json(shared_db, "events", "--merged")
    bomb = as_json(shared_db, "events", "--merged", "--search", '"hydrogen bomb"')
    assert [(e["type"], e["date_end"]) for e in bomb] == [("weapon_test", "2016-01-06")]
    freeze = as_json(shared_db, "events", "--merged", "--search", "freeze")
    assert freeze and len(freeze) < len(every)
    assert {e["type"] for e in freeze} <= {"appeal", "meeting"}
    alone = invoke(shared_db, "events", "--search", "nuclear")
    assert alone.exit_code == 2 and "add --merged" in stderr(alone)


def test_quotes_are_searched(shared_db: Path, all_quotes: list[Row]) -> None:
    word = next(w for q in all_quotes for w in q["text"].split() if w.isalpha() and len(w) > 6)
    found = as_json(shared_db, "quotes", "--search", word)
    assert found and all(word.lower() in q["text"].lower() + (q["speaker"] or "").lower()
                         for q in found)


def test_tokens_are_created_once_listed_without_secrets_and_revoked(tmp_path: Path) -> None:
    db = tmp_path / "tokens.sqlite"
    created = ok(invoke(db, "token", "create", "newsroom importer"))
    token = stdout(created).strip()
    assert token.startswith("wf_") and "shown only now" in flat(stderr(created))
    listed = as_json(db, "token", "list")
    assert [(t["name"], t["revoked_at"]) for t in listed] == [("newsroom importer", None)]
    assert token.split("_", 2)[2] not in json.dumps(listed)
    ok(invoke(db, "token", "revoke", listed[0]["id"]))
    assert as_json(db, "token", "list")[0]["revoked_at"] is not None
    again = invoke(db, "token", "revoke", listed[0]["id"])
    assert again.exit_code == 1 and "no live token" in stderr(again)
