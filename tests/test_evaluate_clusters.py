"""Cross-document evaluation: B-cubed over hand-built clusterings, and clusters.yaml read
strictly against the gold files beside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from watchfloor.errors import WatchfloorError
from watchfloor.evaluate.clusters import _bcubed, load_clusters
from watchfloor.evaluate.gold import corpus_sha256, load_gold


def test_bcubed_of_a_perfect_an_over_merged_and_a_split_clustering() -> None:
    items = [("a", "e1"), ("b", "e1"), ("c", "e1"), ("c", "e2")]
    gold = {items[0]: "x", items[1]: "x", items[2]: "x", items[3]: "y"}
    perfect = _bcubed(items, gold, {items[0]: "1", items[1]: "1", items[2]: "1", items[3]: "2"})
    assert (perfect.precision, perfect.recall, perfect.f1) == (1.0, 1.0, 1.0)
    merged = _bcubed(items, gold, dict.fromkeys(items, "1"))
    # x items: 3/4 precision each, y: 1/4; recall all 1
    assert merged.precision == pytest.approx((3 * 0.75 + 0.25) / 4) and merged.recall == 1.0
    split = _bcubed(items, gold, {items[0]: "1", items[1]: "2", items[2]: "3", items[3]: "4"})
    assert split.precision == 1.0 and split.recall == pytest.approx((3 * (1 / 3) + 1) / 4)
    # a missed event (None) is a cluster of its own
    missed = _bcubed(items, gold, {items[0]: "1", items[1]: "1", items[2]: None, items[3]: "2"})
    assert missed.recall == pytest.approx((2 * (2 / 3) + 1 / 3 + 1) / 4)
    assert _bcubed([], gold, {}).f1 is None


GOLD = """document:
  file: {name}.md
  published: 2017-05-14
  language: en
events:
  - id: e1
    type: weapon_test
    actor: PRK
    modality: asserted
    evidence: "fired a missile"
"""


def corpus(tmp_path: Path, clusters: str) -> list:  # type: ignore[type-arg]
    for name in ("a", "b"):
        (tmp_path / f"{name}.md").write_text("North Korea fired a missile.", encoding="utf-8")
        (tmp_path / f"{name}.gold.yaml").write_text(GOLD.format(name=name), encoding="utf-8")
    (tmp_path / "clusters.yaml").write_text(clusters, encoding="utf-8")
    return [load_gold(tmp_path / f"{n}.gold.yaml") for n in ("a", "b")]


def test_clusters_resolve_to_gold_events_and_copies_to_articles(tmp_path: Path) -> None:
    golds = corpus(tmp_path, "clusters:\n  - id: launch\n    events: [a.md#e1, b.md#e1]\n"
                             "duplicates:\n  b.md: a.md\n")
    found = load_clusters(tmp_path, golds)
    assert found is not None
    assert found.clusters == (("launch", (("a.md", "e1"), ("b.md", "e1"))),)
    assert found.duplicates == {"b.md": "a.md"}


@pytest.mark.parametrize(("text", "problem"), [
    ("clusters:\n  - id: x\n    events: [a.md#e9]\n", "names no gold event"),
    ("clusters:\n  - id: x\n    events: [a.md#e1]\n  - id: y\n    events: [a.md#e1]\n",
     "already in cluster x"),
    ("duplicates:\n  c.md: a.md\n", "has no gold file"),
    ("groups: []\n", "'clusters' and 'duplicates' only"),
    ("clusters:\n  - id: x\n", "a list 'events'"),
])
def test_a_wrong_cluster_file_is_an_error_naming_the_problem(
    tmp_path: Path, text: str, problem: str
) -> None:
    golds = corpus(tmp_path, text)
    with pytest.raises(WatchfloorError, match="W501") as info:
        load_clusters(tmp_path, golds)
    assert problem in str(info.value) and "clusters.yaml" in str(info.value)


def test_no_cluster_file_is_no_cluster_score_and_the_file_is_stamped(tmp_path: Path) -> None:
    golds = corpus(tmp_path, "clusters: []\n")
    before = corpus_sha256(tmp_path)
    (tmp_path / "clusters.yaml").write_text("clusters:\n  - id: l\n    events: [a.md#e1]\n",
                                            encoding="utf-8")
    assert corpus_sha256(tmp_path) != before
    (tmp_path / "clusters.yaml").unlink()
    assert load_clusters(tmp_path, golds) is None
