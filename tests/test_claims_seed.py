"""Issue 4's check on the seed article: its two claims, a first launch of such power since 2017
and a seventh test within weeks, come out checked against the CNS data, with the evidence
rows named.

The article and the CNS files live in ../shared and belong to others: they are read at run
time, never copied, and the test skips when they are absent."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from watchfloor.analyze.checks import check_claims
from watchfloor.consolidate.run import consolidate_store
from watchfloor.evaluate.gold import load_gold
from watchfloor.evaluate.runner import predict
from watchfloor.extract.extractor import Extractor
from watchfloor.ingest import Ingester
from watchfloor.reference import read_reference
from watchfloor.settings import load_settings
from watchfloor.store import Store

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "corpus" / "real" / "seed-2022-01-31-us-urges-talks.gold.yaml"
CNS = SHARED / "reference" / "cns" / "nk_missile_tests_1984_2026.csv"

pytestmark = pytest.mark.skipif(not (SEED.is_file() and CNS.is_file()),
                                reason="../shared (seed article, CNS data) is absent")


def test_the_seed_s_claims_are_checked_against_cns_with_the_rows_named(
    extractor: Extractor, tmp_path: Path
) -> None:
    settings = load_settings()
    gold = load_gold(SEED)
    doc, extraction = predict(gold, Ingester(settings, extractor.pack.datelines), extractor)
    with Store.open(f"sqlite:///{tmp_path / 'seed.sqlite'}") as store:
        read = read_reference(CNS)
        store.save_reference("cns-2026", read, source=str(CNS),
                             sha256=hashlib.sha256(CNS.read_bytes()).hexdigest())
        store.save(doc, extraction, version="test", pack_sha256=extractor.pack.sha256)
        consolidate_store(store, extractor.pack)
        checked = {c.claim.kind: c for c in check_claims(store, extractor.pack)}

    since = checked["first_since"]
    assert since.check.verdict == "supported", since.check.reason
    # the Hwasong-15 ICBM of 2017-11-29 (Korea), 18:18 UTC the day before
    assert since.check.evidence == ("cns-2026:119",)
    assert "Hwasong-15" in since.labels[0]

    seventh = checked["ordinal"]
    assert seventh.claim.value == 7 and seventh.claim.period_start is not None
    # CNS lists the six ballistic launches of January 2022 (Korean days 5, 11, 14, 17, 27,
    # 30) and no cruise missiles, so the seventh cannot be confirmed from it alone
    assert seventh.check.verdict == "unverifiable", seventh.check.reason
    assert seventh.check.found is not None and seventh.check.found.startswith("6 in the reference")
    assert "cruise" in seventh.check.reason
    rows = [k for k in seventh.check.evidence if k.startswith("cns-2026:")]
    assert rows == ["cns-2026:162", "cns-2026:163", "cns-2026:164-165", "cns-2026:166-167",
                    "cns-2026:168-169", "cns-2026:170"]
