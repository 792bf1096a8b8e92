"""The main job goes on past a document whose extraction fails, and a later run retries it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from watchfloor.errors import WatchfloorError
from watchfloor.extract.extractor import Extractor
from watchfloor.pipeline import extract_pending, ingest_into
from watchfloor.records import Document, Extraction
from watchfloor.store import Store

TEXTS = [
    "North Korea fired a short-range ballistic missile into the sea on Monday, Seoul said.",
    "The Security Council met on Tuesday to discuss the launch, diplomats said.",
    "Japan lodged a protest with Pyongyang through its embassy in Beijing on Wednesday.",
]


class Flaky(Extractor):
    """The real extractor, but one document (by text) raises inside extraction."""

    broken: str = ""

    def extract_annotated(self, doc: Document, sdoc: object) -> Extraction:
        if doc.text == self.broken:
            raise RuntimeError("a rule hit an empty sequence")
        return super().extract_annotated(doc, sdoc)  # type: ignore[arg-type]


def _docs() -> list[Document]:
    return [Document(id=Document.make_id(t), text=t, source=f"mem/{i}.txt")
            for i, t in enumerate(TEXTS)]


def test_a_failing_document_is_reported_and_the_batch_goes_on(
    extractor: Extractor, tmp_path: Path
) -> None:
    flaky = Flaky(**{f: getattr(extractor, f) for f in Extractor.__dataclass_fields__})
    object.__setattr__(flaky, "broken", TEXTS[1])
    with Store.open(f"sqlite:///{tmp_path / 'w.sqlite'}") as store:
        ingest_into(store, _docs())
        stats = extract_pending(store, flaky)
        assert (stats.extracted, stats.failed) == (2, 1)
        [failure] = stats.failures
        assert isinstance(failure, WatchfloorError) and failure.code == "W204"
        assert "mem/1.txt" in str(failure) and "RuntimeError" in str(failure)
        bad = Document.make_id(TEXTS[1])
        assert not store.is_extracted(bad, flaky.version, flaky.pack.sha256)
        assert store.counts()["documents"] == 3  # nothing stored is lost
        # a later run (the bug fixed) extracts only the one that failed
        again = extract_pending(store, extractor)
        assert (again.extracted, again.skipped, again.failed) == (1, 2, 0)


@pytest.mark.parametrize("text", [
    "The jury was chaired by Oliver Kowalski, an actor and director.",
    "The panel, led by a novelist, a painter and critic, met in Seoul on Friday.",
])
def test_a_role_noun_in_a_list_does_not_break_extraction(extractor: Extractor, text: str) -> None:
    doc = Document(id=Document.make_id(text), text=text, source="<test>")
    assert isinstance(extractor.extract(replace(doc)), Extraction)
