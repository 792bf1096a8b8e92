"""The benchmark's results: ratios, the issue's targets with pass or fail, and Rich tables.

Everything here reads the results dict that ``bench.run`` writes to ``results.json``, so a
saved run can be shown again: ``python -m bench.report var/bench/results.json``.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

# The targets, on the 2-core machine.
TARGET_ARTICLES_PER_S = 50.0
TARGET_SPEEDUP_VS_FULL = 5.0
TARGET_PEAK_RSS_BYTES = 1_000_000_000  # 1 GB, decimal: the stricter reading

WATCHFLOOR, FULL, TOKENIZER = "watchfloor", "spacy-full", "tokenizer"
LABELS = {
    WATCHFLOOR: "watchfloor end to end (ingest, extract, store)",
    FULL: "(a) spaCy full pipeline, every sentence",
    TOKENIZER: "(b) spaCy tokenizer only",
}
WF_CONFIG, FULL_CONFIG = "watchfloor", "full pipeline on every sentence"


@dataclass(frozen=True, slots=True)
class Target:
    name: str
    measured: str
    passed: bool
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def ratios(measurements: dict[str, dict[str, Any]]) -> dict[str, float]:
    """Throughput ratios on the same texts (articles/s over articles/s); above 1 means the
    first is faster."""
    rate = {name: m["articles_per_s"] for name, m in measurements.items()}
    return {
        "watchfloor_vs_full": rate[WATCHFLOOR] / rate[FULL],
        "watchfloor_vs_tokenizer": rate[WATCHFLOOR] / rate[TOKENIZER],
        "full_vs_tokenizer": rate[FULL] / rate[TOKENIZER],
    }


def event_f1(f1: dict[str, Any], config: str) -> float | None:
    value = f1["configs"][config]["metrics"]["event_f1"]
    return None if value is None else float(value)


def targets(results: dict[str, Any]) -> list[Target]:
    """The issue's four targets against this run's figures."""
    wf = results["measurements"][WATCHFLOOR]
    speedup = results["ratios"]["watchfloor_vs_full"]
    f1 = results["f1"]
    ours, full = event_f1(f1, WF_CONFIG), event_f1(f1, FULL_CONFIG)
    same = not f1["gate_supported"]
    return [
        Target(
            f"end to end >= {TARGET_ARTICLES_PER_S:g} articles/s",
            f"{wf['articles_per_s']:.1f} articles/s",
            wf["articles_per_s"] >= TARGET_ARTICLES_PER_S,
        ),
        Target(
            f">= {TARGET_SPEEDUP_VS_FULL:g}x baseline (a)",
            f"{speedup:.2f}x",
            speedup >= TARGET_SPEEDUP_VS_FULL,
        ),
        Target(
            f"peak RSS < {TARGET_PEAK_RSS_BYTES / 1e9:g} GB",
            f"{wf['peak_rss_bytes'] / 1e6:.0f} MB",
            wf["peak_rss_bytes"] < TARGET_PEAK_RSS_BYTES,
        ),
        Target(
            "no event F1 loss vs full pipeline on every sentence",
            f"{_f(ours)} vs {_f(full)}",
            ours is not None and full is not None and ours >= full,
            "trivially: no sentence gate exists yet, both are one configuration" if same else "",
        ),
    ]


# -- rendering ---------------------------------------------------------------------------


def _f(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _mb(n_bytes: float) -> str:
    return f"{n_bytes / 1e6:,.0f} MB"


def measurement_table(results: dict[str, Any]) -> Table:
    corpus = results["corpus"]
    table = Table(
        title=f"Throughput on {corpus['articles']:,} articles ({corpus['on_topic']:,} demo copies, "
        f"{corpus['off_topic']:,} off-topic)",
        title_justify="left",
    )
    for col in (
        "measurement",
        "articles",
        "words",
        "runs (s)",
        "median s",
        "articles/s",
        "words/s",
        "peak RSS",
        "set-up s",
    ):
        table.add_column(col, justify="left" if col == "measurement" else "right")
    for name, m in results["measurements"].items():
        table.add_row(
            LABELS.get(name, name),
            f"{m['articles']:,}",
            f"{m['words']:,}",
            " ".join(f"{r:.1f}" for r in m["runs"]),
            f"{m['seconds']:.1f}",
            f"{m['articles_per_s']:,.1f}",
            f"{m['words_per_s']:,.0f}",
            _mb(m["peak_rss_bytes"]),
            f"{m['setup_seconds']:.1f}",
        )
    return table


def ratio_table(results: dict[str, Any]) -> Table:
    table = Table(title="Ratios (articles/s over articles/s, same texts)", title_justify="left")
    table.add_column("comparison")
    table.add_column("ratio", justify="right")
    r = results["ratios"]
    table.add_row("watchfloor vs (a) full pipeline", f"{r['watchfloor_vs_full']:.3f}x")
    table.add_row("watchfloor vs (b) tokenizer", f"{r['watchfloor_vs_tokenizer']:.4f}x")
    table.add_row("(a) full pipeline vs (b) tokenizer", f"{r['full_vs_tokenizer']:.4f}x")
    return table


def f1_table(results: dict[str, Any]) -> Table:
    f1 = results["f1"]
    table = Table(title=f"Event F1 on {f1['gold_dir']}", title_justify="left")
    for col in ("configuration", "event F1", "precision", "recall", "strict F1", "note"):
        table.add_column(col, justify="left" if col in ("configuration", "note") else "right")
    for name, c in f1["configs"].items():
        m = c["metrics"]
        note = "sentence gate on" if c["gate"] else "every sentence parsed"
        if "same_run_as" in c:
            note += f"; same configuration and run as '{c['same_run_as']}'"
        table.add_row(
            name,
            _f(m["event_f1"]),
            _f(m["event_precision"]),
            _f(m["event_recall"]),
            _f(m["strict_event_f1"]),
            note,
        )
    return table


def target_table(results: dict[str, Any]) -> Table:
    table = Table(title="Targets (the benchmark reports, it does not fail)", title_justify="left")
    for col in ("target", "measured", "", "note"):
        table.add_column(col)
    for t in results["targets"]:
        mark = Text("PASS", style="green") if t["passed"] else Text("MISSED", style="bold red")
        table.add_row(t["name"], t["measured"], mark, t["note"])
    return table


def phase_table(results: dict[str, Any]) -> Table:
    wf = results["measurements"][WATCHFLOOR]
    phases = wf["details"]["phases"]
    table = Table(title="watchfloor phases (median run)", title_justify="left")
    for col in ("phase", "seconds", "articles/s"):
        table.add_column(col, justify="left" if col == "phase" else "right")
    for name in ("ingest_s", "extract_store_s"):
        seconds = phases[name]
        table.add_row(
            name.removesuffix("_s").replace("_", " + "),
            f"{seconds:.1f}",
            f"{wf['articles'] / seconds:,.1f}" if seconds else "n/a",
        )
    table.add_row("open store (not timed in the run)", f"{phases['store_open_s']:.2f}", "")
    for name, label in (("consolidate_s", "consolidate (not in the run's rate)"),
                        ("consolidate_again_s", "consolidate again, nothing new")):
        if name in phases:  # results written before issue 4 have no consolidation
            seconds = phases[name]
            table.add_row(label, f"{seconds:.1f}",
                          f"{wf['articles'] / seconds:,.1f}" if seconds else "n/a")
    return table


def render(console: Console, results: dict[str, Any]) -> None:
    console.print(measurement_table(results))
    console.print(phase_table(results))
    console.print(ratio_table(results))
    console.print(f1_table(results))
    console.print(target_table(results))
    for note in results["notes"]:
        console.print(Text(f"note: {note}", style="yellow"))
    missed = [t["name"] for t in results["targets"] if not t["passed"]]
    if missed:
        console.print(Text("targets missed: " + "; ".join(missed), style="bold red"))
    else:
        console.print(Text("all targets met", style="bold green"))


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("var/bench/results.json")
    render(Console(), json.loads(path.read_text(encoding="utf-8")))


if __name__ == "__main__":
    main()
