"""The watchfloor command line: small commands over the library.

Exit codes: 0 success; 1 a WatchfloorError (the message says what to do); 2 bad usage;
3 the quality gate failed (``eval --gate``).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from watchfloor.errors import WatchfloorError
from watchfloor.settings import Settings, load_settings

app = typer.Typer(
    name="watchfloor",
    help="Build a sourced event database from news articles.\n\n"
    "Example: watchfloor run corpus/demo && watchfloor timeline",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)
T = TypeVar("T")


class Fmt(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class ExportFmt(StrEnum):
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"


class What(StrEnum):
    events = "events"
    records = "records"
    quotes = "quotes"
    claims = "claims"


class Period(StrEnum):
    day = "day"
    month = "month"
    year = "year"


@dataclass(slots=True)
class State:
    settings: Settings | None = None


STATE = State()


@app.callback()
def main(
    db: Annotated[str | None, typer.Option(help="Database file or URL (env WATCHFLOOR_DB).")]
    = None,
    config: Annotated[Path | None, typer.Option(help="A TOML settings file.")] = None,
    pack: Annotated[Path | None, typer.Option(help="Domain pack folder.")] = None,
    model: Annotated[str | None, typer.Option(help="spaCy model name.")] = None,
) -> None:
    """Global options apply to every command."""
    STATE.settings = _guard(lambda: load_settings(config, db_url=db, pack=pack, model=model))


def _settings() -> Settings:
    if STATE.settings is None:  # called as a library, not through the CLI callback
        STATE.settings = load_settings()
    return STATE.settings


def _guard(fn: Callable[[], T]) -> T:
    try:
        return fn()
    except WatchfloorError as exc:
        err.print(f"[red]error[/red] {exc}")
        raise typer.Exit(1) from exc


@contextmanager
def _progress(label: str, total: int | None) -> Iterator[Callable[[int], None]]:
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)


def _open_store() -> Any:
    from watchfloor.store.db import Store

    return _guard(lambda: Store.open(_settings().db_url))


def _pack() -> Any:
    from watchfloor.pack import load_pack

    return _guard(lambda: load_pack(_settings().pack))


def _extractor(pack: Any) -> Any:
    from watchfloor.extract.extractor import Extractor

    return _guard(lambda: Extractor.build(_settings(), pack))


def _do_ingest(store: Any, pack: Any, paths: list[Path]) -> Any:
    from watchfloor.ingest import ingest_paths, ingest_stdin, iter_input_files
    from watchfloor.pipeline import RunStats, ingest_into

    settings = _settings()
    stats = RunStats()
    files = [p for p in paths if str(p) != "-"]
    missing = [p for p in files if not p.exists()]
    for p in missing:
        err.print(f"[red]error[/red] {p}: no such file or folder")
    if missing:
        raise typer.Exit(1)
    if any(str(p) == "-" for p in paths):
        ingest_into(store, ingest_stdin(sys.stdin.buffer, settings, pack.datelines), stats)
    total = sum(1 for _ in iter_input_files(files))
    with _progress("ingest", total) as advance:
        ingest_into(store, ingest_paths(files, settings, pack.datelines), stats, advance)
    for rej in stats.rejections:
        err.print(f"[yellow]rejected[/yellow] {rej.code}: {rej.reason}")
    return stats


def _fail_if_nothing_taken(stats: Any) -> None:
    """Exit 1 when every input was rejected: a script must not take that for success."""
    if stats.rejected and not stats.documents_seen:
        err.print("[red]error[/red] every input was rejected; nothing was stored")
        raise typer.Exit(1)


def _do_extract(store: Any, pack: Any, force: bool, stats: Any = None) -> Any:
    from watchfloor.pipeline import extract_pending

    extractor = _extractor(pack)
    total = store.counts().get("documents", None)
    with _progress("extract", total) as advance:
        done = extract_pending(store, extractor, force=force, stats=stats,
                               batch_size=_settings().batch_size,
                               workers=_settings().workers, progress=advance)
    for failure in done.failures:
        err.print(f"[red]failed[/red] {failure}")
    return done


def _fail_if_any_failed(stats: Any) -> None:
    """Exit 1 when a document could not be extracted: the rest were, but a script must know."""
    if stats.failed:
        err.print(f"[red]error[/red] {stats.failed} document(s) could not be extracted")
        raise typer.Exit(1)


def _summary(stats: Any) -> None:
    parts = [f"{k.replace('_', ' ')}: {v}" for k, v in stats.as_dict().items()]
    err.print(", ".join(parts), soft_wrap=True)  # one line, for grep and logs


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders; '-' reads stdin.")],
) -> None:
    """Ingest articles (.txt, .html, .md, .jsonl) into the database, without extracting.

    Example: watchfloor ingest corpus/demo news.jsonl
    """
    store, pack = _open_store(), _pack()
    with store:
        stats = _do_ingest(store, pack, paths)
        _summary(stats)
    _fail_if_nothing_taken(stats)


@app.command()
def extract(
    force: Annotated[bool, typer.Option(help="Re-extract documents already extracted.")] = False,
) -> None:
    """Extract events, quotes and claims from every stored document not yet extracted.

    Example: watchfloor extract --force
    """
    store, pack = _open_store(), _pack()
    with store:
        stats = _do_extract(store, pack, force)
        _summary(stats)
    _fail_if_any_failed(stats)


@app.command()
def run(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders; '-' reads stdin.")],
    force: Annotated[bool, typer.Option(help="Re-extract documents already extracted.")] = False,
    consolidate: Annotated[bool, typer.Option(
        help="Merge the reports into events at the end (watchfloor consolidate).")] = True,
) -> None:
    """Ingest, extract and consolidate in one go; safe to re-run, it resumes where it stopped.

    Example: watchfloor --db var/demo.sqlite run corpus/demo
    """
    store, pack = _open_store(), _pack()
    with store:
        stats = _do_ingest(store, pack, paths)
        _summary(_do_extract(store, pack, force, stats))
        if consolidate:
            _consolidate(store, pack)
    _fail_if_nothing_taken(stats)
    _fail_if_any_failed(stats)


@app.command("consolidate")
def consolidate_(
    rebuild: Annotated[bool, typer.Option(
        help="Place every report afresh, as if all articles had come at once (the result then "
        "does not depend on the order they came in); changes are logged as usual.")] = False,
) -> None:
    """Merge the reports of every stored article into one record per real-world event: link
    syndicated copies, count independent sources, match the imported reference sets, and log
    what changed. Safe to re-run: the same inputs change nothing. `run` does it at its end.

    Example: watchfloor consolidate && watchfloor events --merged
    """
    store, pack = _open_store(), _pack()
    with store:
        _consolidate(store, pack, rebuild=rebuild)


def _consolidate(store: Any, pack: Any, *, rebuild: bool = False) -> None:
    from watchfloor.consolidate.run import consolidate_store

    result = _guard(lambda: consolidate_store(store, pack, rebuild=rebuild))
    d = result.diff
    refs = ", ".join(result.reference_sets) or "none imported"
    err.print(
        f"consolidated {result.reports} reports from {result.documents} documents into "
        f"{result.events} events ({len(d.created)} new, {len(d.updated)} changed, "
        f"{len(d.removed)} removed, {d.unchanged} unchanged); {result.copies} near-duplicate "
        f"copies; reference sets: {refs}"
    )


def _event_filters(**kw: Any) -> dict[str, Any]:
    return {k: v for k, v in kw.items() if v is not None}


def _emit(rows: list[dict[str, Any]], fmt: Fmt, columns: list[str], title: str,
          header: list[str] | None = None) -> None:
    """Print rows as a table (these columns), JSON or CSV (every field; ``header`` names them
    when nothing matched, so that the CSV always has the same columns)."""
    if fmt is Fmt.json:
        out.print_json(json.dumps(rows, default=str))
    elif fmt is Fmt.csv:
        import csv

        w = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else header or columns)
        w.writeheader()
        for r in rows:
            w.writerow({k: json.dumps(v) if isinstance(v, list) else v for k, v in r.items()})
    else:
        # Short fields stay on one line; the free text (evidence, quote) takes what width is
        # left and wraps, shortened so that one row never fills the screen.
        table = Table(title=title, show_lines=False, box=box.SIMPLE_HEAD, padding=(0, 1))
        widths = {c: min(MAX_WIDTHS.get(c, 22),
                         max([len(c), *(len(_cell(r.get(c))) for r in rows)]))
                  for c in columns if c not in TEXT_COLUMNS}
        left = out.width - sum(widths.values()) - 3 * len(columns) - 2
        for c in OPTIONAL_COLUMNS:  # in a narrow terminal, give up detail, not the text
            if left >= 30 or not any(t in columns for t in TEXT_COLUMNS):
                break
            if c in widths:
                columns = [k for k in columns if k != c]
                left += widths.pop(c) + 3
        for c in columns:
            if c in TEXT_COLUMNS:
                table.add_column(c, overflow="fold", width=max(30, left))
            else:
                table.add_column(c, no_wrap=True, overflow="ellipsis", max_width=widths[c])
        for r in rows:
            table.add_row(*[_cell(r.get(c), limit=TEXT_LIMIT if c in TEXT_COLUMNS else None)
                            for c in columns])
        out.print(table)


TEXT_COLUMNS = frozenset({"evidence", "text"})
# Columns a narrow terminal drops first (JSON and CSV keep everything).
OPTIONAL_COLUMNS = ("weapon_class", "weapon", "modality", "channel", "since", "value", "file")
# Widest a one-line column grows before it is cut with an ellipsis; ids are never cut.
MAX_WIDTHS = {"id": 40, "weapon": 14, "weapon_class": 14, "parties": 9, "modality": 12,
              "speaker": 24, "channel": 16, "file": 24, "column": 14, "our day": 22,
              "ref system": 16, "our system": 16, "record": 24}
TEXT_LIMIT = 160  # characters of free text shown per table row; JSON and CSV give it whole


def _cell(v: Any, limit: int | None = None) -> str:
    if v is None:
        return ""
    text = ", ".join(str(x) for x in v) if isinstance(v, list) else str(v)
    text = " ".join(text.split()) if limit is not None else text
    if limit is not None and len(text) > limit:
        text = text[:limit - 1].rstrip() + "…"
    return text


@app.command()
def events(
    actor: Annotated[str | None, typer.Option(help="Actor code, e.g. PRK.")] = None,
    target: Annotated[str | None, typer.Option(help="Target code, e.g. USA.")] = None,
    type: Annotated[str | None, typer.Option("--type", help="Event type.")] = None,
    weapon: Annotated[str | None, typer.Option(help="Weapon system, e.g. Hwasong-12.")] = None,
    weapon_class: Annotated[str | None, typer.Option("--class", help="Weapon class.")] = None,
    modality: Annotated[str | None, typer.Option(help="asserted, hypothetical, ...")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="YYYY-MM-DD")] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many rows.")] = None,
    merged: Annotated[bool, typer.Option(
        "--merged", help="One record per real-world event (after consolidate), with its "
        "status and sources, instead of each article's report.")] = False,
    status: Annotated[str | None, typer.Option(
        help="With --merged: claimed, reported, confirmed, revised, disputed, retracted.")]
    = None,
    search: Annotated[str | None, typer.Option(
        "--search", help="With --merged: words the reporting sentences hold, e.g. "
        "'Musudan -failed' or '\"solid fuel\" OR Pukguksong'.")] = None,
    fmt: Annotated[Fmt, typer.Option("--format", help="table, json or csv.")] = Fmt.table,
) -> None:
    """List extracted events with filters: each article's reports, or with --merged the
    consolidated events.

    Example: watchfloor events --actor PRK --type weapon_test --from 2016-01-01 --format csv
    """
    from watchfloor.analyze.timeline import date_label
    from watchfloor.records import EventMention
    from watchfloor.serve.export import columns_of, rows

    d_from, d_to = _parse_date(date_from, "--from"), _parse_date(date_to, "--to")
    _check_choice(modality, "--modality", MODALITIES)
    _check_choice(type, "--type", tuple(_pack().event_types))
    _check_choice(status, "--status", STATUSES)
    if limit is not None and limit < 0:
        err.print(f"[red]error[/red] --limit {limit} is negative; give 0 or more")
        raise typer.Exit(2)
    for flag, value in (("--status", status), ("--search", search)):
        if value is not None and not merged:
            err.print(f"[red]error[/red] {flag} filters consolidated events: add --merged")
            raise typer.Exit(2)
    if merged:
        _merged_events(dict(actor=actor, target=target, type=type, weapon=weapon,
                            weapon_class=weapon_class, modality=modality, status=status,
                            date_from=d_from, date_to=d_to, query=search, limit=limit), fmt)
        return
    store = _open_store()
    with store:
        found = store.events(**_event_filters(actor=actor, target=target, type=type,
                                              weapon=weapon, weapon_class=weapon_class,
                                              modality=modality, date_from=d_from,
                                              date_to=d_to, limit=limit))
    data = rows(found)
    for r, e in zip(data, found, strict=True):
        r["date"] = date_label(e)
        r["id"] = e.id
    if fmt is Fmt.table:  # narrow enough for a 120-column terminal: parties and weapon merged
        data = [{"id": e.id, "date": date_label(e), "type": e.type,
                 "parties": f"{e.actor}→{e.target}" if e.target else e.actor,
                 "weapon": e.weapon or ", ".join(e.weapon_class) or None,
                 "modality": e.modality, "evidence": e.evidence} for e in found]
    _emit(data, fmt, ["id", "date", "type", "parties", "weapon", "modality", "evidence"],
          f"{len(found)} events", header=[*columns_of(EventMention), "date"])


MODALITIES = ("asserted", "negated", "hypothetical", "intended", "desired")
STATUSES = ("claimed", "reported", "confirmed", "revised", "disputed", "retracted")


def _merged_events(filters: dict[str, Any], fmt: Fmt) -> None:
    from dataclasses import asdict

    with _open_store() as store:
        found = _guard(lambda: store.consolidated_events(**_event_filters(**filters)))
    data = []
    for e in found:
        row = json.loads(json.dumps(asdict(e), default=str))  # tuples as lists, dates as text
        row["date"] = _day_text(e)
        if fmt is Fmt.csv:
            row["disagreements"] = json.dumps(row["disagreements"], ensure_ascii=False)
        data.append(row)
    if fmt is Fmt.table:
        data = [{"id": e.id, "date": _day_text(e), "type": e.type,
                 "parties": f"{e.actor}→{e.target}" if e.target else e.actor,
                 "weapon": e.weapon or ", ".join(e.weapon_class) or None,
                 "status": e.status, "docs": e.documents, "sources": e.sources,
                 "differ": ", ".join(sorted(e.disagreements)) or None} for e in found]
    # "differ": the values sources gave differently (show ID lists them with their sources)
    _emit(data, fmt, ["id", "date", "type", "parties", "weapon", "status", "docs", "sources",
                      "differ"], f"{len(found)} events (consolidated)")


def _check_choice(value: str | None, flag: str, choices: tuple[str, ...]) -> None:
    """An unknown filter value is an error naming the valid ones, not an empty answer."""
    if value is not None and value not in choices:
        err.print(f"[red]error[/red] {flag} {value!r} is not one of: {', '.join(choices)}")
        raise typer.Exit(2)


def _parse_date(value: str | None, flag: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        err.print(f"[red]error[/red] {flag} {value!r} is not a date: use YYYY-MM-DD")
        raise typer.Exit(2) from None


@app.command()
def show(event: Annotated[str, typer.Argument(help="Event id or a unique prefix of it.")]) -> None:
    """Show one event with every source sentence that reports it.

    Example: watchfloor show ev_3f2a
    """
    from watchfloor.analyze.timeline import date_label
    from watchfloor.errors import E

    if event.strip().startswith("rec_"):
        _show_record(event)
        return
    store = _open_store()
    with store:
        e = _guard(lambda: store.event(event))  # an ambiguous prefix is a clear error
        if e is None:
            problem = WatchfloorError(E.W402, ref=event, url=_settings().db_url)
            err.print(f"[red]error[/red] {problem}")
            raise typer.Exit(1)
        doc = store.document(e.prov.doc_id)
        sents = {s.index: s for s in store.sentences(e.prov.doc_id)}
    table = Table(show_header=False, box=None)
    for k, v in (("id", e.id), ("type", e.type), ("actor", e.actor), ("target", e.target),
                 ("modality", e.modality), ("date", date_label(e)), ("weapon", e.weapon),
                 ("class", ", ".join(e.weapon_class)), ("count", e.count),
                 ("location", e.location), ("stance", e.stance),
                 ("confidence", e.prov.confidence),
                 ("extractor", f"{e.prov.extractor} {e.prov.version}"),
                 ("pack", e.prov.pack_sha256[:12])):
        if v not in (None, ""):
            table.add_row(f"[bold]{k}[/bold]", str(v))
    out.print(table)
    if doc is not None:
        out.print(f"\n[bold]document[/bold] {doc.title or ''} ({doc.outlet or doc.source}, "
                  f"{doc.published.isoformat() if doc.published else 'no date'})")
    for i in e.sentences or (e.prov.sentence,):
        s = sents.get(i)
        if s is not None:
            out.print(f"  [dim]sentence {i}[/dim] {s.text}")


def _show_record(ref: str) -> None:
    """A consolidated event: its values, status, sources, disagreements, reference records
    and every report with its sentence and outlet."""
    from watchfloor.errors import E

    with _open_store() as store:
        e = _guard(lambda: store.consolidated_event(ref))
        if e is None:
            problem = WatchfloorError(E.W402, ref=ref, url=_settings().db_url)
            err.print(f"[red]error[/red] {problem}")
            raise typer.Exit(1)
        reports = [(doc, mention) for _key, doc, mention in store.report_details(e.reports)]
        changes = store.event_changes(e.id)
    reports.sort(key=lambda dm: (dm[0] is None or dm[0].published is None,
                                 dm[0].published.isoformat() if dm[0] and dm[0].published
                                 else ""))
    table = Table(show_header=False, box=None)
    for k, v in (("id", e.id), ("type", e.type), ("actor", e.actor), ("target", e.target),
                 ("modality", e.modality), ("date", _day_text(e)),
                 ("time", _moment_text(e.time, _actor_zone(e.actor))),
                 ("weapon", e.weapon),
                 ("class", ", ".join(e.weapon_class)), ("count", e.count),
                 ("outcome", e.outcome), ("distance", _km_text(e.distance_km)),
                 ("apogee", _km_text(e.apogee_km)), ("location", e.location),
                 ("status", e.status),
                 ("confidence", e.confidence),
                 ("reports", f"{e.documents} articles, {e.sources} independent sources"),
                 ("first reported", e.first_reported), ("last reported", e.last_reported),
                 ("reference", ", ".join(e.reference))):
        if v not in (None, ""):
            table.add_row(f"[bold]{k}[/bold]", str(v))
    out.print(table)
    for name, d in sorted(e.disagreements.items()):
        out.print(f"\n[bold]{name}[/bold]: {d.resolved} ({d.rule})")
        for value, docs, n in d.values:
            out.print(f"  {value}: {len(docs)} articles, {n} sources")
    out.print("\n[bold]reports[/bold]")
    for doc, m in reports:
        when = doc.published.isoformat() if doc is not None and doc.published else "no date"
        where = f"{doc.outlet or doc.source}, {when}" if doc is not None else "?"
        out.print(f"  [dim]{where}[/dim] {m.evidence if m is not None else ''}")
    out.print(f"\n[dim]{len(changes)} changes logged; last: "
              f"{changes[-1]['change'] + ' ' + changes[-1]['time'] if changes else 'none'}[/dim]")


@app.command()
def quotes(
    actor: Annotated[str | None, typer.Option(help="Speaker actor code.")] = None,
    search: Annotated[str | None, typer.Option(
        "--search", help="Words in the quote or its speaker, e.g. 'sanctions -China'.")] = None,
    fmt: Annotated[Fmt, typer.Option("--format")] = Fmt.table,
) -> None:
    """List quotes with their speaker, speaker actor and channel.

    Example: watchfloor quotes --actor PRK --search "nuclear deterrent"
    """
    from watchfloor.records import Quote
    from watchfloor.serve.export import columns_of, rows

    store = _open_store()
    with store:
        found = _guard(lambda: store.quotes(speaker_actor=actor, query=search))
    _emit(rows(found), fmt, ["speaker", "speaker_actor", "channel", "text"],
          f"{len(found)} quotes", header=columns_of(Quote))


@app.command()
def claims(
    check: Annotated[bool, typer.Option(
        "--check", help="Check each claim against the consolidated events and the imported "
        "reference sets: supported, contradicted or unverifiable, with the evidence.")] = False,
    fmt: Annotated[Fmt, typer.Option("--format")] = Fmt.table,
) -> None:
    """List the claims articles make (ordinals, counts, totals, first-since), and with
    --check whether the data bear them out.

    Example: watchfloor claims --check --format json
    """
    from watchfloor.records import Claim
    from watchfloor.serve.export import columns_of, rows

    store = _open_store()
    if not check:
        with store:
            found = store.claims()
        _emit(rows(found), fmt, ["kind", "about", "actor", "target", "value", "since",
                                 "evidence"], f"{len(found)} claims", header=columns_of(Claim))
        return
    from watchfloor.analyze.checks import check_claims

    pack = _pack()
    with store:
        if not store.reference_sets():
            err.print("[yellow]note[/yellow] no reference set imported: claims are checked "
                      "against extracted events only (watchfloor reference import FILE)")
        checked = _guard(lambda: check_claims(store, pack))
    data = [{**rows([c.claim])[0], "verdict": c.check.verdict, "claimed": c.check.claimed,
             "found": c.check.found, "reason": c.check.reason,
             "evidence_keys": list(c.check.evidence), "evidence_rows": list(c.labels)}
            for c in checked]
    counts = {v: sum(c.check.verdict == v for c in checked)
              for v in ("supported", "contradicted", "unverifiable")}
    err.print(", ".join(f"{k}: {v}" for k, v in counts.items()))
    if fmt is Fmt.table:
        data = [{"verdict": d["verdict"], "claimed": d["claimed"], "found": d["found"],
                 "text": f"{d['evidence']} — {d['reason']}"} for d in data]
    _emit(data, fmt, ["verdict", "claimed", "found", "text"], f"{len(checked)} claims checked",
          header=[*columns_of(Claim), "verdict", "claimed", "found", "reason", "evidence_keys",
                  "evidence_rows"])


@app.command()
def timeline(
    by: Annotated[Period | None, typer.Option(help="Count per day, month or year.")] = None,
    modality: Annotated[str, typer.Option(help="Which modality to show.")] = "asserted",
    reports: Annotated[bool, typer.Option(
        "--reports", help="Each article's report of an event, not one record per event.")]
    = False,
    fmt: Annotated[Fmt, typer.Option("--format")] = Fmt.table,
) -> None:
    """Print the events in date order (asserted only, unless --modality says otherwise): one
    record per real-world event however many articles reported it, or with --reports every
    article's report.

    Example: watchfloor timeline --by month
    """
    from watchfloor.analyze.timeline import countable, counts, date_label, in_date_order

    _check_choice(modality, "--modality", MODALITIES)
    store = _open_store()
    with store:
        merged = [] if reports else store.consolidated_events(modality=modality)
        found = store.events(modality=modality) if reports or not merged else []
        if not reports and not merged and found:
            err.print("[yellow]note[/yellow] no consolidated events: showing each article's "
                      "reports (run `watchfloor consolidate` to count events once)")
    what = "reports" if found else "events"
    if by is not None:
        rows_ = [{"period": r.period, "type": r.type, "count": r.count}
                 for r in counts(found or merged, by.value)]
        loose = sum(e.date_start is not None and not countable(e) for e in found or merged)
        if loose:
            err.print(f"[yellow]note[/yellow] {loose} {what} dated more loosely than a month "
                      "(\"over the past year\") are not counted in any period")
        _emit(rows_, fmt, ["period", "type", "count"], f"{what} per {by.value}")
        return
    if found:
        data = [
            {"date": date_label(e), "type": e.type, "actor": e.actor, "target": e.target,
             "weapon": e.weapon or ", ".join(e.weapon_class) or None, "id": e.id,
             "evidence": e.evidence}
            for e in in_date_order(found)
        ]
        columns = ["date", "type", "actor", "target", "weapon", "evidence"]
    else:
        data = [
            {"date": date_label(e), "type": e.type, "actor": e.actor, "target": e.target,
             "weapon": e.weapon or ", ".join(e.weapon_class) or None, "id": e.id,
             "status": e.status, "documents": e.documents, "sources": e.sources}
            for e in in_date_order(merged)
        ]
        columns = ["date", "type", "actor", "target", "weapon", "status", "sources", "id"]
    _emit(data, fmt, columns, f"timeline: {len(data)} {modality} {what}")


@app.command()
def export(
    path: Annotated[Path, typer.Argument(help="Output file.")],
    what: Annotated[What, typer.Option(
        help="events (each article's reports), records (one per real-world event, after "
        "consolidate), quotes or claims.")] = What.events,
    fmt: Annotated[ExportFmt | None, typer.Option(
        "--format", help="csv, jsonl or parquet; by default the file's suffix.")] = None,
) -> None:
    """Export events, consolidated records, quotes or claims as CSV, JSONL or Parquet.

    Example: watchfloor export records.csv --what records
    """
    from watchfloor.errors import E
    from watchfloor.records import CanonicalEvent, Claim, EventMention, Quote
    from watchfloor.serve.export import write

    if fmt is None:
        suffix = path.suffix.lower().lstrip(".")
        if suffix not in {f.value for f in ExportFmt}:
            err.print(f"[red]error[/red] {WatchfloorError(E.W404, path=path, suffix=path.suffix)}")
            raise typer.Exit(2)
        fmt = ExportFmt(suffix)
    store = _open_store()
    with store:
        records = {"events": store.events, "records": store.consolidated_events,
                   "quotes": store.quotes, "claims": store.claims}[what.value]()
    kind = {"events": EventMention, "records": CanonicalEvent, "quotes": Quote,
            "claims": Claim}[what.value]
    try:
        n = write(records, path, fmt.value, kind)
    except OSError as exc:
        err.print(f"[red]error[/red] {WatchfloorError(E.W405, path=path, detail=exc.strerror)}")
        raise typer.Exit(1) from exc
    err.print(f"wrote {n} {what.value} to {path}")


@app.command()
def documents(
    search: Annotated[str | None, typer.Option(
        "--search", help="Words in the title or text: words, \"a phrase\", -excluded, OR.")]
    = None,
    outlet: Annotated[str | None, typer.Option(help="Only this outlet.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many rows.")] = 50,
    fmt: Annotated[Fmt, typer.Option("--format")] = Fmt.table,
) -> None:
    """List stored articles, newest first, or search them.

    Example: watchfloor documents --search '"ballistic missile" Musudan'
    """
    with _open_store() as store:
        found = _guard(lambda: store.document_summaries(query=search, outlet=outlet,
                                                        limit=limit))
    _emit(found, fmt, ["id", "published", "outlet", "title"], f"{len(found)} documents",
          header=["id", "title", "outlet", "url", "published", "language", "source",
                  "ingested_at", "chars"])


token_app = typer.Typer(help="API tokens: every write through the REST API needs one.",
                        no_args_is_help=True)
app.add_typer(token_app, name="token")


@token_app.command("create")
def token_create(
    name: Annotated[str, typer.Argument(help="Who or what uses it, e.g. 'newsroom importer'.")],
) -> None:
    """Create an API token; it is shown once (only its hash is stored).

    Example: watchfloor token create "newsroom importer"
    """
    with _open_store() as store:
        token_id, token = _guard(lambda: store.create_token(name))
    err.print(f"token [bold]{token_id}[/bold] created for {name!r}; it is shown only now, "
              "keep it secret. Send it as 'Authorization: Bearer TOKEN'.")
    print(token)


@token_app.command("list")
def token_list(fmt: Annotated[Fmt, typer.Option("--format")] = Fmt.table) -> None:
    """List API tokens (ids, names and times; never the secrets).

    Example: watchfloor token list
    """
    with _open_store() as store:
        found = _guard(store.tokens)
    columns = ["id", "name", "created_at", "last_used_at", "revoked_at"]
    _emit(found, fmt, columns, f"{len(found)} tokens", header=columns)


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[str, typer.Argument(help="The token's id (or the token itself).")],
) -> None:
    """Revoke an API token: requests with it are refused from now on.

    Example: watchfloor token revoke 3f2a9c41d0be
    """
    with _open_store() as store:
        done = _guard(lambda: store.revoke_token(token_id))
    if not done:
        err.print(f"[red]error[/red] no live token {token_id!r}; see `watchfloor token list`")
        raise typer.Exit(1)
    err.print(f"token {token_id} revoked")


reference_app = typer.Typer(help="Public reference records (CNS missile tests, nuclear tests).",
                            no_args_is_help=True)
app.add_typer(reference_app, name="reference")


@reference_app.command("check")
def reference_check(
    paths: Annotated[list[Path], typer.Argument(help="Reference CSV files.")],
    fmt: Annotated[Fmt, typer.Option("--format")] = Fmt.table,
) -> None:
    """Read reference files, tell each one's format and list the rows that do not hold,
    with their line numbers; nothing is stored. Exits 1 when a row or a file is refused.

    Example: watchfloor reference check ../shared/reference/cns/*.csv
    """
    from watchfloor.reference import read_reference

    refused = False
    found: list[dict[str, Any]] = []
    for path in paths:
        try:
            read = read_reference(path)
        except WatchfloorError as exc:
            err.print(f"[red]error[/red] {exc}")
            refused = True
            continue
        errors = sum(p.severity == "error" for p in read.problems)
        refused = refused or errors > 0
        err.print(f"{path}: format {read.format}; rows read: {len(read.records)}, rows "
                  f"refused: {errors}, warnings: {len(read.problems) - errors}")
        found.extend({"file": read.source, "line": p.line, "column": p.column,
                      "severity": p.severity, "text": p.message} for p in read.problems)
    columns = ["line", "severity", "column", "text", "file"]
    _emit(found, fmt, columns, f"{len(found)} problems", header=columns)
    if refused:
        raise typer.Exit(1)


@reference_app.command("import")
def reference_import(
    paths: Annotated[list[Path], typer.Argument(help="Reference CSV files.")],
    name: Annotated[str | None, typer.Option(
        help="The set's name (default: its format: cns-2026, cns-2023, nuclear); one file only."
    )] = None,
    fmt: Annotated[Fmt, typer.Option("--format")] = Fmt.table,
) -> None:
    """Import reference files into the database, apart from extracted events: the format is
    told from the header, every row is checked, and refused rows are listed with their line
    numbers while the rest are kept. Importing a set again replaces it; the same file again
    changes nothing. Exits 1 when a file cannot be imported (the others still are).

    Example: watchfloor reference import ../shared/reference/cns/nk_missile_tests_1984_2026.csv
    """
    import hashlib

    from watchfloor.reference import read_reference
    from watchfloor.reference.launches import group_events
    from watchfloor.reference.readers import lookup_files

    if name is not None and len(paths) != 1:
        err.print("[red]error[/red] --name names one set: give one file with it")
        raise typer.Exit(2)
    pack = _pack()
    failed = False
    found: list[dict[str, Any]] = []
    with _open_store() as store:
        for path in paths:
            try:
                read = read_reference(path)
                digest = hashlib.sha256(path.read_bytes())
                for extra in lookup_files(path, read.format):  # the names it was read with
                    digest.update(extra.read_bytes())
                sha = digest.hexdigest()
                set_name = name or read.format
                changed = store.save_reference(set_name, read, source=str(path), sha256=sha)
            except (WatchfloorError, OSError) as exc:
                err.print(f"[red]error[/red] {exc}")
                failed = True
                continue
            errors = sum(p.severity == "error" for p in read.problems)
            events = group_events(set_name, read.format, read.records, pack)
            unknown = sorted({e.system for e in events
                              if e.system and e.weapon is None and e.kind == "missile"})
            err.print(
                f"{path}: {'imported' if changed else 'unchanged (already imported)'} as "
                f"{set_name!r} (format {read.format}): {len(read.records)} rows, "
                f"{len(events)} events, {errors} rows refused, "
                f"{len(read.problems) - errors} warnings"
            )
            if unknown:
                err.print(f"  missile names the pack does not know ({len(unknown)}): "
                          + ", ".join(unknown))
            found.extend({"set": set_name, "line": p.line, "column": p.column,
                          "severity": p.severity, "text": p.message} for p in read.problems)
    columns = ["set", "line", "severity", "column", "text"]
    if found:
        _emit(found, fmt, columns, f"{len(found)} problems", header=columns)
    if failed:
        raise typer.Exit(1)


@reference_app.command("list")
def reference_list(fmt: Annotated[Fmt, typer.Option("--format")] = Fmt.table) -> None:
    """List the reference sets in the database.

    Example: watchfloor reference list
    """
    from dataclasses import asdict

    with _open_store() as store:
        sets = _guard(store.reference_sets)
    rows = [asdict(s) for s in sets]
    columns = ["name", "format", "rows", "refused", "warnings", "imported_at", "source"]
    _emit(rows, fmt, columns, f"{len(rows)} reference sets", header=columns)


@app.command()
def compare(
    reference: Annotated[str, typer.Option(help="Reference set name (watchfloor reference list).")],
    date_from: Annotated[str, typer.Option("--from", help="YYYY-MM-DD")],
    date_to: Annotated[str, typer.Option("--to", help="YYYY-MM-DD")],
    fmt: Annotated[Fmt, typer.Option("--format")] = Fmt.table,
) -> None:
    """Check the consolidated chronology of weapon tests against a reference set over a
    period: recall, precision, agreement on day and system, and every unmatched item on each
    side. Days are local days where the launch happened (docs/REFERENCE.md).

    Example: watchfloor compare --reference cns-2026 --from 2017-01-01 --to 2017-12-31
    """
    from watchfloor.analyze.compare import COMPARISON_COLUMNS
    from watchfloor.analyze.compare import compare as run_compare
    from watchfloor.reference.launches import group_events

    d_from, d_to = _parse_date(date_from, "--from"), _parse_date(date_to, "--to")
    assert d_from is not None and d_to is not None
    if d_to < d_from:
        err.print(f"[red]error[/red] --to {d_to} is before --from {d_from}")
        raise typer.Exit(2)
    pack = _pack()
    with _open_store() as store:
        sets = {s.name: s for s in _guard(store.reference_sets)}
        rows = _guard(lambda: store.reference_rows(reference))
        events = store.consolidated_events(type="weapon_test")
        if not events and store.reports():
            err.print("[yellow]note[/yellow] no consolidated events yet: run "
                      "`watchfloor consolidate` first")
    refs = group_events(reference, sets[reference].format, rows, pack)
    result = run_compare(reference, refs, events, d_from, d_to)
    items = result.rows()
    keys = list(COMPARISON_COLUMNS)
    summary = result.summary()
    if fmt is Fmt.json:
        out.print_json(json.dumps({"summary": summary, "items": items}, default=str))
        return
    err.print(", ".join(f"{k} {v}" for k, v in summary.items()))
    columns = ["side", "reference", "reference_day", "reference_system", "event_date",
               "event_system", "event"]
    title = (f"{reference} {d_from}..{d_to}: recall {summary['recall']}, precision "
             f"{summary['precision']}")
    if fmt is Fmt.table:  # short enough for an 80-column terminal
        short = {"matched": "match", "reference only": "ref only", "extracted only": "ours only"}
        items = [{"side": short[i["side"]],
                  "lines": (i["reference"] or "").partition(":")[2],
                  "ref day": i["reference_day"], "ref system": i["reference_system"],
                  "our day": i["event_date"], "our system": i["event_system"],
                  "record": i["event"]} for i in items]
        columns = ["side", "lines", "ref day", "ref system", "our day", "our system", "record"]
    _emit(items, fmt, columns, title, header=keys)


def _moment_text(moment: str | None, zone: str | None) -> str | None:
    """A stored moment in UTC and, beside it, in the actor's zone ("2017-03-05 22:34 UTC =
    2017-03-06 07:04 KST")."""
    if moment is None:
        return None
    zone = zone or "UTC"
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    at = datetime.fromisoformat(moment)
    if at.tzinfo is None:
        return moment
    local = at.astimezone(ZoneInfo(zone))
    # the offset, not the zone's abbreviation: Pyongyang's UTC+8:30 of 2015-2018 is also "KST"
    offset = local.strftime("%z")
    return (f"{at.astimezone(UTC):%Y-%m-%d %H:%M} UTC = {local:%Y-%m-%d %H:%M} "
            f"{zone.rsplit('/', 1)[-1].replace('_', ' ')} (UTC{offset[:3]}:{offset[3:]})")


def _km_text(km: float | None) -> str | None:
    return None if km is None else f"{km:,.0f} km"


def _actor_zone(code: str | None) -> str | None:
    from watchfloor.consolidate.run import actor_zone

    return actor_zone(_pack(), code)


def _day_text(e: Any) -> str | None:
    from watchfloor.analyze.timeline import date_label

    return date_label(e) or None


@app.command("eval")
def eval_(
    root: Annotated[Path, typer.Argument(help="Folder of articles with *.gold.yaml files.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    errors: Annotated[bool, typer.Option(help="List false positives and misses.")] = False,
    gate: Annotated[Path | None, typer.Option(help="Baseline JSON with F1 floors.")] = None,
    name: Annotated[str | None, typer.Option(help="Corpus name in the baseline.")] = None,
    pin: Annotated[bool, typer.Option(help="Write the measured floors into --gate.")] = False,
    allow_lower: Annotated[bool, typer.Option(help="Let --pin lower a floor.")] = False,
) -> None:
    """Score extraction against gold annotations (../shared/GOLD_FORMAT.md).

    Example: watchfloor eval ../shared/corpus/real --errors
    """
    from watchfloor.evaluate.runner import evaluate_dir

    if not root.is_dir():
        err.print(f"[red]error[/red] {root}: no such folder")
        raise typer.Exit(1)
    pack = _pack()
    extractor = _extractor(pack)
    report, sha = _guard(lambda: evaluate_dir(root, _settings(), extractor))
    if as_json:
        out.print_json(json.dumps(report.to_dict(), default=str))
    else:
        report.render(out, errors=errors)
    if gate is None:
        if report.failed:  # scored the rest, but the run is not a whole measurement
            raise typer.Exit(1)
        return
    from watchfloor.evaluate.gate import check_floors, pin_floors

    key = name or root.name
    if pin:
        _guard(lambda: pin_floors(report, gate, key, sha, allow_lower=allow_lower))
        err.print(f"pinned floors for {key} in {gate}")
        return
    baseline = json.loads(gate.read_text(encoding="utf-8")) if gate.exists() else {}
    if key not in baseline:
        err.print(f"[red]error[/red] {gate} has no floors for {key!r}: run with --pin first")
        raise typer.Exit(3)
    failures = check_floors(report, baseline[key], sha)
    for f in failures:
        err.print(f"[red]gate[/red] {f}")
    if failures:
        raise typer.Exit(3)
    err.print(f"gate passed for {key}")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on (default 127.0.0.1).")]
    = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
    workers: Annotated[int | None, typer.Option(help="Server processes (default 1).")] = None,
) -> None:
    """Serve the REST API (OpenAPI at /openapi.json) until stopped; SIGTERM or Ctrl-C lets
    requests in flight finish first.

    Example: watchfloor --db var/demo.sqlite serve --port 8000
    """
    import os

    import uvicorn

    settings = _settings()
    host = host or settings.api_host
    port = port if port is not None else settings.api_port
    workers = workers or settings.api_workers
    # Worker processes build their own app: hand them the one settings object, whole.
    os.environ["WATCHFLOOR_SETTINGS"] = settings.model_dump_json()
    _guard(lambda: _store_reachable(settings.db_url))
    from watchfloor.serve.security import configure_logging

    configure_logging(settings.log_format)
    err.print(f"serving {settings.db_url} on http://{host}:{port} ({workers} worker(s)); "
              f"dashboard at http://{host}:{port}/ui/")
    # The API logs each request itself (serve/security.py), so uvicorn's access log is off;
    # on SIGTERM, requests in flight (writes included) get api_shutdown_timeout to finish.
    options = dict(factory=True, host=host, port=port, workers=workers, log_config=None,
                   access_log=False, timeout_graceful_shutdown=settings.api_shutdown_timeout)
    app_path = "watchfloor.serve.api:app_from_environment"
    if workers == 1:
        uvicorn.run(app_path, **options)  # type: ignore[arg-type]
        return
    # Several workers share one listening socket made by the parent, and uvicorn leaves
    # Nagle's algorithm on for the connections it accepts there (uvicorn issue 3149): every
    # kept-alive answer then waits ~40 ms for the client's delayed ACK (a first page of
    # events, 51 ms with 2 workers against 10 ms with 1; bench/api.py). Accepted sockets
    # inherit TCP_NODELAY from the listener, so it is set there.
    import socket

    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config(app_path, **options)  # type: ignore[arg-type]
    listener = config.bind_socket()
    listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    with suppress(KeyboardInterrupt):
        Multiprocess(config, sockets=[listener]).run()


def _store_reachable(url: str) -> None:
    """Open (and migrate) the database once before serving, so that a bad --db is a clear
    error now rather than a failing worker later."""
    from watchfloor.store.db import Store

    Store.open(url).close()


@app.command()
def info() -> None:
    """Print the settings, model and domain pack in use.

    Example: watchfloor info
    """
    from watchfloor.annotate import load_model, model_info

    settings = _settings()
    pack = _pack()
    nlp = _guard(lambda: load_model(settings))
    mi = model_info(nlp)
    for k, v in (("database", settings.db_url), ("model", f"{mi.name} {mi.version}"),
                 ("spacy_git_version", mi.spacy_git_version),
                 ("pack", f"{pack.name} {pack.sha256[:12]} ({settings.pack})")):
        out.print(f"[bold]{k}[/bold]: {v}")


@app.command()
def watch(
    sources: Annotated[list[str], typer.Argument(
        help="Feed URLs (RSS or Atom) or URL-list files (one URL a line, # comments).")],
    interval: Annotated[float, typer.Option(
        min=1.0, help="Seconds between two polls of a source (failing ones wait longer).")]
    = 900.0,
    once: Annotated[bool, typer.Option(
        "--once", help="Poll every source once, take in what is new, and exit.")] = False,
    allow_private: Annotated[bool, typer.Option(
        "--allow-private", help="Let URLs reach loopback and private addresses (refused by "
        "default: a feed must not make watchfloor call the machine's own services).")] = False,
) -> None:
    """Poll feeds and URL lists on a schedule and take in every new article: fetched (with
    ETag and Last-Modified, timeouts, retries and a size cap), ingested, extracted, and
    consolidated once per round. A source that fails is logged and backed off; the others go
    on. Ctrl-C or SIGTERM stops after the current document (press Ctrl-C again to stop at
    once). With --once, exits 1 if any source failed. See docs/WATCH.md.

    Example: watchfloor watch https://example.org/world/rss.xml urls.txt --interval 600
    """
    import signal
    import threading
    from types import FrameType

    from watchfloor.ingest.feeds import is_web_url
    from watchfloor.watch import watch as run_watch

    missing = [s for s in sources if not is_web_url(s) and not Path(s).is_file()]
    for s in missing:
        err.print(f"[red]error[/red] {s}: neither an http(s) URL nor a URL-list file")
    if missing:
        raise typer.Exit(1)
    store, pack = _open_store(), _pack()
    extractor = _extractor(pack)
    stop = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt  # asked twice: stop now
        stop.set()
        err.print(f"{signal.Signals(signum).name}: stopping after the current document")

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        with store:
            stats = _guard(lambda: run_watch(
                sources, store, extractor, pack, _settings(), once=once, interval=interval,
                allow_private=allow_private, stop=stop,
                log=lambda m: err.print(m, markup=False, highlight=False, soft_wrap=True)))
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    _summary(stats)
    if once and stats.sources_failed:
        err.print(f"[red]error[/red] {stats.sources_failed} source(s) failed; see above")
        raise typer.Exit(1)


if __name__ == "__main__":  # python -m watchfloor.cli, as tests run it in a subprocess
    app()
