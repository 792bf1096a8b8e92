"""One measurement per process.

``bench.run`` starts ``python -m bench.measure KIND ...`` once per measurement, so that each
reads its own peak RSS (``ru_maxrss`` of a process is its high-water mark; measured in one
process, the second measurement would inherit the first one's peak). The result goes to the
JSON file named by ``--out``.

Kinds:
- ``watchfloor``: end to end, as ``watchfloor run`` does it: ingest the corpus folder into a
  fresh SQLite database (``pipeline.ingest_into``), then extract and store every document
  (``pipeline.extract_pending``). Model load, pack load and opening the store are set-up,
  timed apart. Afterwards (untimed) it writes the stored texts to ``texts.jsonl``: the
  baselines run on exactly the texts watchfloor extracted from.
- ``spacy-full``: baseline (a), ``spacy.load`` of the same model, its whole pipeline over every
  sentence of every text (see ``--unit``).
- ``tokenizer``: baseline (b), the same model's tokenizer alone, the floor nobody can beat.
- ``f1``: event F1 on the demo gold corpus for watchfloor as configured and for the full
  pipeline on every sentence (see ``extractor_configs``).
- ``profile``: cProfile over the watchfloor run (ingest, extract, store) of a small corpus.
"""

from __future__ import annotations

import argparse
import cProfile
import inspect
import io
import json
import pstats
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from spacy.tokens import Doc as SpacyDoc

from watchfloor.extract.extractor import Extractor
from watchfloor.pack import Pack, load_pack
from watchfloor.records import Document
from watchfloor.settings import Settings, load_settings

KINDS = ("watchfloor", "spacy-full", "tokenizer", "f1", "profile")
TEXTS_FILE = "texts.jsonl"
# The keyword a sentence gate will take in Extractor.build (none exists yet). Once it does,
# the "watchfloor" configuration is built with it on and the reference with it off, and the
# benchmark compares their speed and F1 with no change here.
GATE_OPTION = "sentence_gate"
PROFILE_LINES = 25
# Sentences per nlp.pipe batch in the sentence-by-sentence baseline: spaCy's default, about
# as many tokens a batch as watchfloor's 32 articles.
SENTENCE_BATCH = 1000


@dataclass(slots=True)
class Measurement:
    """Timed runs over one set of articles; throughput is taken at the median run."""

    name: str
    articles: int
    words: int
    runs: list[float]
    setup_seconds: float
    peak_rss_bytes: int
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        return statistics.median(self.runs)

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.seconds

    @property
    def words_per_s(self) -> float:
        return self.words / self.seconds

    def to_dict(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "seconds": self.seconds,
            "articles_per_s": self.articles_per_s,
            "words_per_s": self.words_per_s,
            "peak_rss_mb": self.peak_rss_bytes / 1e6,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Measurement:
        names = ("name", "articles", "words", "runs", "setup_seconds", "peak_rss_bytes", "details")
        return cls(**{k: data[k] for k in names})


def peak_rss_bytes(workers: int = 0) -> int:
    """This process's peak resident set size (Linux reports KiB, macOS bytes), plus, when it
    ran ``workers`` model processes, that many times the largest of them: an upper bound on
    the memory the run held at once (forked workers share pages, which this counts twice)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss if workers > 1 else 0
    peak = own + workers * children
    return int(peak if sys.platform == "darwin" else peak * 1024)


def count_words(texts: Sequence[str]) -> int:
    """Words as the reports count them: white-space separated, the same for every measurement."""
    return sum(len(t.split()) for t in texts)


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


# -- configurations ----------------------------------------------------------------------


def gate_supported() -> bool:
    """Whether Extractor.build takes a sentence-gate option yet."""
    return GATE_OPTION in inspect.signature(Extractor.build).parameters


def build_extractor(settings: Settings, pack: Pack, *, gate: bool) -> Extractor:
    """The extractor with the sentence gate on or off; without gate support, the one there is
    (which runs the full pipeline on every sentence)."""
    if not gate_supported():
        return Extractor.build(settings, pack)
    build: Callable[..., Extractor] = Extractor.build
    return build(settings, pack, **{GATE_OPTION: gate})


def extractor_configs() -> dict[str, bool]:
    """The configurations compared, name -> gate on: watchfloor as it runs, and the full
    pipeline on every sentence. Without gate support both are one and the same."""
    return {"watchfloor": True, "full pipeline on every sentence": False}


# -- watchfloor end to end ---------------------------------------------------------------


def run_watchfloor(corpus: Path, work: Path, repeat: int, workers: int = 1) -> Measurement:
    """Ingest, extract and store the corpus ``repeat`` times, each into a fresh database."""
    from watchfloor.consolidate.run import consolidate_store
    from watchfloor.ingest import Ingester
    from watchfloor.pipeline import RunStats, extract_pending, ingest_into
    from watchfloor.store.db import Store

    start = time.perf_counter()
    settings = load_settings()
    pack = load_pack(settings.pack)
    extractor = build_extractor(settings, pack, gate=extractor_configs()["watchfloor"])
    # Built here, not inside the timed run: it loads the language-id model (about 0.7 s).
    ingester = Ingester(settings, pack.datelines)
    setup = time.perf_counter() - start

    def one_run(db_url: str) -> tuple[float, dict[str, float], RunStats]:
        stats = RunStats()
        store_open, store = timed(lambda: Store.open(db_url))
        with store:
            ingest_s, _ = timed(lambda: ingest_into(store, ingester.ingest_paths([corpus]), stats))
            extract_s, _ = timed(
                lambda: extract_pending(
                    store, extractor, batch_size=settings.batch_size, workers=workers,
                    stats=stats,
                )
            )
            # Consolidation (issue 4) is timed apart: the targets compare ingest + extract +
            # store with spaCy's pipeline, which does no consolidation. The second run finds
            # nothing new, which is what a re-run after a crash or a cron job costs.
            consolidate_s, _ = timed(lambda: consolidate_store(store, pack))
            reconsolidate_s, _ = timed(lambda: consolidate_store(store, pack))
        phases = {"store_open_s": store_open, "ingest_s": ingest_s, "extract_store_s": extract_s,
                  "consolidate_s": consolidate_s, "consolidate_again_s": reconsolidate_s}
        return ingest_s + extract_s, phases, stats

    runs: list[float] = []
    phases: list[dict[str, float]] = []
    stats = RunStats()
    db_url = ""
    for i in range(repeat):
        # A fresh database each time: in a used one, every document would be skipped.
        db_url = f"sqlite:///{work / f'watchfloor-{i}.sqlite'}"
        seconds, run_phases, stats = one_run(db_url)
        runs.append(seconds)
        phases.append(run_phases)

    with Store.open(db_url) as store:
        texts = [doc.text for doc in store.documents()]
    write_texts(work / TEXTS_FILE, texts)
    median_run = runs.index(statistics.median_low(runs))
    details = {
        "phases": phases[median_run],
        "stats": stats.as_dict(),
        "batch_size": settings.batch_size,
        "workers": workers,
        "model": settings.model,
        "pipeline": list(extractor.nlp.pipe_names),
        "sentence_gate": gate_supported() and extractor_configs()["watchfloor"],
    }
    return Measurement(
        "watchfloor", len(texts), count_words(texts), runs, setup, peak_rss_bytes(workers),
        details,
    )


def write_texts(path: Path, texts: Sequence[str]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for text in texts:
            handle.write(json.dumps(text) + "\n")


def read_texts(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


# -- baselines ---------------------------------------------------------------------------


def run_spacy_full(texts: list[str], repeat: int, unit: str, workers: int = 1) -> Measurement:
    """Baseline (a): the model's full pipeline over every sentence.

    ``unit="text"`` pipes whole articles: the tagger, parser, lemmatizer and NER run over every
    token, so every sentence is fully parsed, and batching whole texts is the cheapest way to
    do it, the least a parse-every-sentence coder pays. ``unit="sentence"`` first splits the
    texts with spaCy's rule-based sentencizer (timed too) and pipes each sentence as a doc,
    as a coder fed pre-split sentences (PETRARCH) would. It gets as many model processes as
    watchfloor (``workers``), so that the ratio measures what watchfloor does, not the cores.
    """
    import spacy

    settings = load_settings()
    setup, nlp = timed(lambda: spacy.load(settings.model))
    splitter = spacy.blank("en")
    splitter.add_pipe("sentencizer")

    def once() -> int:
        if unit == "sentence":
            units = [s.text for doc in splitter.pipe(texts) for s in doc.sents]
            return sum(1 for _ in nlp.pipe(units, batch_size=SENTENCE_BATCH, n_process=workers))
        return sum(len(list(doc.sents)) for doc in nlp.pipe(texts, batch_size=settings.batch_size,
                                                            n_process=workers))

    runs: list[float] = []
    sentences = 0
    for _ in range(repeat):
        seconds, sentences = timed(once)
        runs.append(seconds)
    details = {
        "unit": unit,
        "sentences": sentences,
        "batch_size": settings.batch_size,
        "model": settings.model,
        "pipeline": list(nlp.pipe_names),
        "workers": workers,
    }
    return Measurement(
        "spacy-full", len(texts), count_words(texts), runs, setup, peak_rss_bytes(workers),
        details,
    )


def run_tokenizer(texts: list[str], repeat: int) -> Measurement:
    """Baseline (b): the same model's tokenizer alone, loaded without its components so that
    its RSS is the tokenizer's and not the model's."""
    import spacy
    from spacy.util import get_model_meta, get_package_path

    settings = load_settings()
    model_dir = Path(settings.model) if Path(settings.model).is_dir() else None
    meta = get_model_meta(model_dir or get_package_path(settings.model))
    components = list(meta.get("components", []))
    setup, nlp = timed(lambda: spacy.load(settings.model, exclude=components))

    def once() -> int:
        return sum(len(doc) for doc in nlp.tokenizer.pipe(texts, batch_size=1000))

    runs: list[float] = []
    tokens = 0
    for _ in range(repeat):
        seconds, tokens = timed(once)
        runs.append(seconds)
    details = {"tokens": tokens, "model": settings.model, "excluded": components}
    return Measurement(
        "tokenizer", len(texts), count_words(texts), runs, setup, peak_rss_bytes(), details
    )


# -- F1 ----------------------------------------------------------------------------------


def run_f1(gold_dir: Path) -> dict[str, Any]:
    """Event F1 (and the other headline metrics) of each configuration on the gold corpus,
    as ``watchfloor eval DIR --json`` reports them."""
    from watchfloor.evaluate.runner import evaluate_dir

    settings = load_settings()
    pack = load_pack(settings.pack)
    supported = gate_supported()
    results: dict[str, Any] = {}
    for name, gate in extractor_configs().items():
        effective = gate and supported
        # Two names for one configuration (no gate yet): evaluated once, reported twice.
        twin = next((n for n, r in results.items() if r["gate"] == effective), None)
        if twin is not None:
            results[name] = {**results[twin], "same_run_as": twin}
            continue
        extractor = build_extractor(settings, pack, gate=gate)
        report, sha = evaluate_dir(gold_dir, settings, extractor)
        results[name] = {
            "gate": effective,
            "metrics": report.metrics(),
            "events": report.events.to_dict(),
            "documents": report.documents,
            "corpus_sha256": sha,
        }
    return {"gold_dir": str(gold_dir), "gate_supported": supported, "configs": results}


# -- profile -----------------------------------------------------------------------------


def run_profile(corpus: Path, work: Path, lines: int = PROFILE_LINES) -> dict[str, Any]:
    """cProfile over ingest, extract and store of ``corpus`` (set-up not profiled): the top
    ``lines`` functions by cumulative and by own time, and the raw stats in profile.prof."""
    from watchfloor.ingest import Ingester
    from watchfloor.pipeline import RunStats, extract_pending, ingest_into
    from watchfloor.store.db import Store

    settings = load_settings()
    pack = load_pack(settings.pack)
    extractor = build_extractor(settings, pack, gate=extractor_configs()["watchfloor"])
    ingester = Ingester(settings, pack.datelines)
    stats = RunStats()
    profiler = cProfile.Profile()
    with Store.open(f"sqlite:///{work / 'profile.sqlite'}") as store:
        start = time.perf_counter()
        profiler.enable()
        ingest_into(store, ingester.ingest_paths([corpus]), stats)
        extract_pending(store, extractor, batch_size=settings.batch_size, stats=stats)
        profiler.disable()
        seconds = time.perf_counter() - start
        documents = list(store.documents())
    profiler.dump_stats(work / "profile.prof")
    return {
        "articles": stats.documents_seen,
        "seconds_under_profiler": seconds,
        "stats": stats.as_dict(),
        "stage_seconds": stage_times(extractor, documents, settings.batch_size),
        "by_cumulative": _top(profiler, "cumulative", lines),
        "by_tottime": _top(profiler, "tottime", lines),
        "prof_file": str(work / "profile.prof"),
    }


def stage_times(
    extractor: Extractor, documents: list[Document], batch_size: int
) -> dict[str, float]:
    """Wall time of the sentence gate, of each pipeline component over the text the gate
    keeps, and of the extraction rules, without the profiler: cProfile cannot see inside
    spaCy's compiled code (the parser's and NER's transition loops show up as their caller's
    own time) and slows small Python calls more than big matrix products, so its shares are
    not the real ones."""
    nlp = extractor.nlp
    times: dict[str, float] = {}
    # what watchfloor parses: the text the sentence gate keeps, of the articles it keeps
    times["sentence gate"], gated = timed(lambda: [extractor.gated_text(d) for d in documents])
    documents = [replace(d, text=g) for d, g in zip(documents, gated, strict=True) if g]
    times["tokenizer"], sdocs = timed(lambda: [nlp.make_doc(d.text) for d in documents])
    for name, component in nlp.pipeline:
        start = time.perf_counter()
        sdocs = _apply(component, sdocs, batch_size)
        times[name] = time.perf_counter() - start
    times["extraction rules"], _ = timed(
        lambda: [extractor.extract_annotated(d, sd) for d, sd in zip(documents, sdocs, strict=True)]
    )
    return times


def _apply(component: Any, docs: list[SpacyDoc], batch_size: int) -> list[SpacyDoc]:
    """One component over all docs, batched where it can be, as nlp.pipe runs it."""
    if hasattr(component, "pipe"):
        return list(component.pipe(docs, batch_size=batch_size))
    return [component(doc) for doc in docs]


def _top(profiler: cProfile.Profile, key: str, lines: int) -> str:
    buffer = io.StringIO()
    stats = pstats.Stats(profiler, stream=buffer)
    stats.strip_dirs().sort_stats(key).print_stats(lines)
    return buffer.getvalue()


# -- command line ------------------------------------------------------------------------


def _measure(args: argparse.Namespace) -> dict[str, Any]:
    kind: str = args.kind
    if kind == "watchfloor":
        return run_watchfloor(args.corpus, args.work, args.repeat, args.workers).to_dict()
    if kind == "f1":
        return run_f1(args.gold)
    if kind == "profile":
        return run_profile(args.corpus, args.work)
    texts = read_texts(args.work / TEXTS_FILE)
    if kind == "spacy-full":
        return run_spacy_full(texts, args.repeat, args.unit, args.workers).to_dict()
    return run_tokenizer(texts, args.repeat).to_dict()


def _args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.measure", description=__doc__)
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("--corpus", type=Path, help="folder of articles (watchfloor, profile)")
    parser.add_argument("--work", type=Path, required=True, help="folder for databases, texts")
    parser.add_argument("--gold", type=Path, help="gold corpus folder (f1)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--unit", choices=("text", "sentence"), default="text")
    parser.add_argument("--workers", type=int, default=1, help="model processes (watchfloor)")
    parser.add_argument("--out", type=Path, required=True, help="JSON result file")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = _args(argv)
    args.out.write_text(json.dumps(_measure(args), indent=2, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
