"""The benchmark's corpus generator (bench/corpus.py): counts, mix, distinct ids, lengths and
determinism, checked on small corpora through the real ingester."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from conftest import bench_module
from watchfloor.ingest import Ingester
from watchfloor.pack import load_pack
from watchfloor.records import Document
from watchfloor.settings import load_settings


@pytest.fixture(scope="module")
def corpus() -> ModuleType:
    return bench_module("corpus.py")


@pytest.fixture(scope="module")
def ingester() -> Ingester:
    settings = load_settings()
    return Ingester(settings, load_pack(settings.pack).datelines)


def _ingest(ingester: Ingester, folder: Path) -> list[Document]:
    items = list(ingester.ingest_paths([folder]))
    rejected = [i for i in items if not isinstance(i, Document)]
    assert rejected == []
    return [i for i in items if isinstance(i, Document)]


def test_bench_corpus_writes_the_count_asked_with_the_off_topic_share(
    corpus: ModuleType, tmp_path: Path
) -> None:
    info = corpus.generate(tmp_path, corpus.CorpusSpec(articles=50, off_topic_share=0.8))

    files = sorted(tmp_path.glob("*.md"))
    assert len(files) == info.articles == 50
    assert (info.on_topic, info.off_topic) == (10, 40)
    assert sum("-demo-" in f.name for f in files) == 10
    assert sum(info.topics.values()) == 40


def test_bench_corpus_mixes_the_topics_through_the_file_order(
    corpus: ModuleType, tmp_path: Path
) -> None:
    """The profile takes a leading slice: the first files must not be all demo copies."""
    corpus.generate(tmp_path, corpus.CorpusSpec(articles=200, off_topic_share=0.8))

    first = sorted(tmp_path.glob("*.md"))[:50]
    demo = sum("-demo-" in f.name for f in first)
    assert 3 <= demo <= 20


def test_bench_corpus_documents_have_distinct_ids_past_one_copy_of_the_demo(
    corpus: ModuleType, ingester: Ingester, tmp_path: Path
) -> None:
    # 60 on-topic articles: more than the demo corpus holds, so some are second copies.
    info = corpus.generate(tmp_path, corpus.CorpusSpec(articles=100, off_topic_share=0.4))
    assert info.on_topic > info.demo_articles

    docs = _ingest(ingester, tmp_path)

    assert len(docs) == 100
    assert len({d.id for d in docs}) == 100


def test_bench_corpus_copy_is_the_demo_article_with_a_closing_note(
    corpus: ModuleType, ingester: Ingester, tmp_path: Path
) -> None:
    original = sorted(corpus.DEMO_DIR.glob("*.md"))[0]
    (tmp_path / "c0.md").write_text(corpus.demo_copy(original.read_text("utf-8"), 0), "utf-8")
    (tmp_path / "c7.md").write_text(corpus.demo_copy(original.read_text("utf-8"), 7), "utf-8")

    first, seventh = _ingest(ingester, tmp_path)

    unchanged = ingester.ingest_file(original)
    assert isinstance(unchanged, Document)
    assert first.text == unchanged.text
    assert seventh.text.startswith(first.text)
    assert "archive number 100007" in seventh.text.removeprefix(first.text)
    assert (seventh.published, seventh.title) == (first.published, first.title)
    assert seventh.id != first.id


def test_bench_corpus_off_topic_articles_are_300_to_800_english_words(
    corpus: ModuleType, ingester: Ingester, tmp_path: Path
) -> None:
    corpus.generate(tmp_path, corpus.CorpusSpec(articles=40, off_topic_share=1.0))

    docs = _ingest(ingester, tmp_path)  # the ingester rejects what is not English

    lengths = [len(d.text.split()) for d in docs]
    assert len(lengths) == 40
    assert all(300 <= n <= 800 for n in lengths), lengths
    assert max(lengths) - min(lengths) > 150  # lengths vary, not one size


def test_bench_corpus_is_the_same_for_a_seed_and_differs_for_another(
    corpus: ModuleType, tmp_path: Path
) -> None:
    def files(folder: Path, seed: int) -> dict[str, bytes]:
        corpus.generate(folder, corpus.CorpusSpec(articles=30, seed=seed))
        return {f.name: f.read_bytes() for f in sorted(folder.glob("*.md"))}

    first, again = files(tmp_path / "a", 11), files(tmp_path / "b", 11)
    other = files(tmp_path / "c", 12)

    assert first == again
    assert first != other


def test_bench_corpus_refuses_a_folder_that_already_holds_articles(
    corpus: ModuleType, tmp_path: Path
) -> None:
    corpus.generate(tmp_path, corpus.CorpusSpec(articles=5))

    with pytest.raises(SystemExit, match="already holds articles"):
        corpus.generate(tmp_path, corpus.CorpusSpec(articles=5))
