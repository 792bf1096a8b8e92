"""The watchfloor benchmark (``make bench``): speed and memory against two spaCy baselines.

Generates the corpus (demo copies mixed with off-topic news, ``bench/corpus.py``) in a
temporary folder, then runs each measurement in its own process, one after the other, on
the same texts: watchfloor end to end, baseline (a) spaCy's full pipeline over every
sentence, baseline (b) spaCy's tokenizer alone, and the event F1 of both extractor
configurations on the demo gold corpus. Prints the tables, writes ``var/bench/results.json``
and exits 0 whether or not the targets are met: it reports, it does not gate.

``--profile`` instead runs cProfile over watchfloor on a small corpus and prints its top
lines (kept in ``var/bench/profile.txt``).

Example: python -m bench.run --articles 1000
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

from rich.console import Console

from bench import report
from bench.corpus import (
    DEFAULT_ARTICLES,
    DEFAULT_OFF_TOPIC_SHARE,
    DEFAULT_SEED,
    DEMO_DIR,
    CorpusSpec,
    generate,
)

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "var" / "bench"
QUICK_ARTICLES = 1000
PROFILE_ARTICLES = 300

console = Console(stderr=True)
# Wide enough for the tables when the output goes to a file or a CI log (Rich assumes 80).
out = Console() if sys.stdout.isatty() else Console(width=150)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run", description=__doc__.split("\n\n")[0] if __doc__ else None
    )
    parser.add_argument(
        "--articles",
        type=int,
        default=DEFAULT_ARTICLES,
        help=f"corpus size (default {DEFAULT_ARTICLES})",
    )
    parser.add_argument(
        "--quick", action="store_true", help=f"{QUICK_ARTICLES} articles, a few minutes"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--off-topic-share", type=float, default=DEFAULT_OFF_TOPIC_SHARE)
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="timed runs of the cheap tokenizer baseline; the median counts",
    )
    parser.add_argument(
        "--repeat-heavy",
        type=int,
        default=1,
        help="timed runs of watchfloor and baseline (a), minutes each",
    )
    parser.add_argument(
        "--unit",
        choices=("text", "sentence"),
        default="text",
        help="baseline (a) pipes whole texts (default) or pre-split sentences",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="profile watchfloor on a small corpus instead of benchmarking",
    )
    parser.add_argument("--profile-articles", type=int, default=PROFILE_ARTICLES)
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="model processes for watchfloor and baseline (a) alike (default 1, the project's "
        "default setting; peak RSS then counts every process)",
    )
    parser.add_argument(
        "--workdir", type=Path, help="keep corpus and databases here (default: a temporary folder)"
    )
    parser.add_argument("--out", type=Path, default=OUT_DIR / "results.json")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.repeat_heavy < 1:
        parser.error("--repeat and --repeat-heavy must be at least 1")
    if args.quick:
        args.articles = QUICK_ARTICLES
    if args.profile:
        args.articles = args.profile_articles
    return args


def measure(kind: str, work: Path, *extra: str) -> dict[str, Any]:
    """Run one measurement in a fresh process (so its peak RSS is its own) and read back
    what it wrote."""
    result = work / f"{kind}.json"
    cmd = [
        sys.executable,
        "-m",
        "bench.measure",
        kind,
        "--work",
        str(work),
        "--out",
        str(result),
        *extra,
    ]
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    try:
        subprocess.run(cmd, cwd=ROOT, check=True)
    except subprocess.CalledProcessError as exc:
        console.print(f"[red]error[/red] {kind} failed (exit {exc.returncode}): {' '.join(cmd)}")
        raise SystemExit(1) from exc
    data: dict[str, Any] = json.loads(result.read_text(encoding="utf-8"))
    data["process_wall_s"] = time.perf_counter() - start
    data["loadavg_1min_before_after"] = [load_before, os.getloadavg()[0]]
    console.print(f"  {kind}: done in {data['process_wall_s']:.0f} s")
    return data


def machine() -> dict[str, Any]:
    """What the figures were measured on, and with which code: the working tree may differ
    from HEAD (read-only git commands; --no-optional-locks takes no index lock)."""

    def git(*cmd: str) -> str:
        try:
            return subprocess.run(
                ["git", "--no-optional-locks", *cmd],
                cwd=ROOT,
                text=True,
                capture_output=True,
                check=True,
            ).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return "unknown"

    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "spacy": version("spacy"),
        "git_head": git("rev-parse", "HEAD"),
        "src_changes_not_committed": git("status", "--porcelain", "--", "src").splitlines(),
        "src_sha256": src_sha256(),
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "loadavg": list(os.getloadavg()),
    }


def src_sha256() -> str:
    """sha256 over the names and bytes of every file under src/watchfloor: names the code
    measured exactly, uncommitted edits included."""
    digest = hashlib.sha256()
    package = ROOT / "src" / "watchfloor"
    for path in sorted(
        p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts
    ):
        digest.update(str(path.relative_to(package)).encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def notes(f1: dict[str, Any], unit: str) -> list[str]:
    found = []
    if not f1["gate_supported"]:
        found.append(
            "no sentence gate exists yet: watchfloor runs the full pipeline on every "
            "sentence, so its two F1 rows are one configuration"
        )
    found.append(
        "baseline (a) pipes whole texts: tagger, parser, lemmatizer and NER run over every sentence"
        if unit == "text"
        else "baseline (a) pipes pre-split sentences (sentencizer split timed too)"
    )
    found.append(
        "baselines run on the stored (cleaned) texts; watchfloor's time also "
        "includes reading, cleaning and language-checking the files, and the store"
    )
    found.append(
        "set-up (model and pack load, opening the store) is timed apart, not in "
        "articles/s; the machine is shared, so compare ratios, not absolute figures"
    )
    return found


def run_benchmark(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    spec = CorpusSpec(args.articles, args.off_topic_share, args.seed)
    before = machine()
    console.print(f"generating {spec.articles:,} articles into {work / 'corpus'}")
    started = time.perf_counter()
    info = generate(work / "corpus", spec)
    corpus_s = time.perf_counter() - started
    heavy, cheap = str(args.repeat_heavy), str(args.repeat)
    console.print("measuring, one process each (watchfloor and (a) take minutes each):")
    measurements = {
        "watchfloor": measure(
            "watchfloor", work, "--corpus", str(info.folder), "--repeat", heavy,
            "--workers", str(args.workers),
        ),
        "spacy-full": measure(
            "spacy-full", work, "--repeat", heavy, "--unit", args.unit,
            "--workers", str(args.workers),
        ),
        "tokenizer": measure("tokenizer", work, "--repeat", cheap),
    }
    f1 = measure("f1", work, "--gold", str(DEMO_DIR))
    code_at_end = src_sha256()
    results: dict[str, Any] = {
        "machine": {**before, "src_sha256_at_end": code_at_end},
        "corpus": {**info.to_dict(), "generate_s": corpus_s},
        "settings": {"repeat": args.repeat, "repeat_heavy": args.repeat_heavy, "unit": args.unit},
        "measurements": measurements,
        "f1": f1,
        "notes": notes(f1, args.unit),
    }
    if code_at_end != before["src_sha256"]:
        results["notes"].append(
            "the code under src/ changed while the benchmark ran: the measurements may come "
            "from different versions; run again on a quiet tree"
        )
    results["ratios"] = report.ratios(measurements)
    results["targets"] = [t.to_dict() for t in report.targets(results)]
    return results


def run_profile(args: argparse.Namespace, work: Path) -> None:
    spec = CorpusSpec(args.articles, args.off_topic_share, args.seed)
    info = generate(work / "corpus", spec)
    console.print(
        f"profiling watchfloor on {info.articles} articles ({info.on_topic} demo "
        f"copies, {info.off_topic} off-topic)"
    )
    prof = measure("profile", work, "--corpus", str(info.folder))
    stages = prof["stage_seconds"]
    total = sum(stages.values())
    stage_lines = "\n".join(
        f"  {name:<20} {seconds:7.2f} s  {100 * seconds / total:5.1f}%"
        for name, seconds in stages.items()
    )
    text = (
        f"cProfile of watchfloor ingest + extract + store on {prof['articles']} articles, "
        f"{prof['seconds_under_profiler']:.1f} s under the profiler\n\n"
        f"== by cumulative time ==\n{prof['by_cumulative']}\n"
        f"== by own (total) time ==\n{prof['by_tottime']}\n"
        f"== by stage, without the profiler ({total:.1f} s; the model on the text the gate "
        f"keeps) ==\n"
        f"{stage_lines}\n"
    )
    out.print(text, markup=False, highlight=False)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / "profile.txt").write_text(text, encoding="utf-8")
    shutil.copy(prof["prof_file"], OUT_DIR / "profile.prof")
    console.print(f"kept in {OUT_DIR / 'profile.txt'} and {OUT_DIR / 'profile.prof'}")


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    started = time.perf_counter()
    folder: AbstractContextManager[str] = (
        nullcontext(str(args.workdir))
        if args.workdir
        else tempfile.TemporaryDirectory(prefix="watchfloor-bench-")
    )
    with folder as name:
        work = Path(name)
        work.mkdir(parents=True, exist_ok=True)
        if args.profile:
            run_profile(args, work)
            return
        results = run_benchmark(args, work)
    results["wall_s"] = time.perf_counter() - started
    report.render(out, results)
    out.print(f"whole benchmark: {results['wall_s'] / 60:.1f} min wall time")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    out.print(f"results written to {args.out}")


if __name__ == "__main__":
    main()
