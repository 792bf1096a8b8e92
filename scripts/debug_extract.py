"""Print what extraction finds in gold articles next to the gold events, sentence by sentence.

Usage: .venv/bin/python scripts/debug_extract.py GOLD_FILE_OR_DIR [SUBSTRING]
A development aid for tuning rules: it shows each sentence's predicted document events and
quotes beside the gold events whose evidence lies in that sentence.
"""

from __future__ import annotations

import sys
from pathlib import Path

from watchfloor.evaluate.gold import find_gold_files, load_gold
from watchfloor.evaluate.runner import predict
from watchfloor.evaluate.score import EvidenceIndex
from watchfloor.extract.extractor import Extractor
from watchfloor.ingest import Ingester
from watchfloor.pack import load_pack
from watchfloor.settings import load_settings


def main() -> None:
    root = Path(sys.argv[1])
    needle = sys.argv[2] if len(sys.argv) > 2 else ""
    settings = load_settings()
    pack = load_pack(settings.pack)
    ex = Extractor.build(settings, pack)
    ing = Ingester(settings, pack.datelines)
    files = [root] if root.is_file() else find_gold_files(root)
    for f in files:
        if needle not in f.name:
            continue
        gold = load_gold(f)
        doc, extraction = predict(gold, ing, ex)
        idx = EvidenceIndex(doc.text)
        print("=" * 100)
        print(f.name, doc.published, doc.dateline, doc.tz)
        for s in extraction.sentences:
            gs = [g for g in gold.events
                  if any(a < s.end and b > s.start for a, b in idx.spans(g.evidence))]
            ps = [e for e in extraction.events if e.prov.sentence == s.index]
            if not gs and not ps:
                continue
            print(f"--- [{s.index}] {s.text[:300]}")
            for g in gs:
                d = f"{g.date_start}..{g.date_end}" if g.date_start else "-"
                print(f"   G {g.type:18} {g.actor}->{g.target} {g.modality:12} {d} "
                      f"{g.weapon or ''} {','.join(g.weapon_class)}")
            for e in ps:
                d = f"{e.date_start}..{e.date_end}" if e.date_start else "-"
                print(f"   P {e.type:18} {e.actor}->{e.target} {e.modality:12} {d} "
                      f"{e.weapon or ''} {','.join(e.weapon_class)} [{e.trigger}]")


if __name__ == "__main__":
    main()
