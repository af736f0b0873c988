"""Write N synthetic extract records (5 events each, an agreement in every fifth) as JSON Lines, for measuring
the store alone: `python scripts/synthetic_records.py 5000 > recs.jsonl; sambandh ingest recs.jsonl`."""

from __future__ import annotations

import json
import random
import sys

CODES = ["IND", "RUS", "PAK", "CHN", "USA", "JPN", "FRA", "DEU", "BRA", "KEN"]
TYPES = ["CONSULT", "COOPERATE", "ACCUSE", "THREATEN", "AID", "DEMAND"]


def main(n: int) -> None:
    rnd = random.Random(1)
    for i in range(n):
        day = f"2025-{1 + i % 12:02d}-{1 + (i * 7) % 28:02d}"
        events = []
        for j in range(5):
            a, b = rnd.sample(CODES, 2)
            events.append({"id": f"{i}-{j}", "actor": {"code": a, "country": a, "sector": "GOV"},
                           "recipient": {"code": b, "country": b, "sector": "GOV"}, "event": rnd.choice(TYPES),
                           "modality": "asserted", "quad_code": 1, "goldstein": 1.0, "date": day, "sentence": j,
                           "span": [0, 10], "evidence": f"report {i} event {j}", "topics": ["trade"], "context": []})
        ags = []
        if i % 5 == 0:
            parties = sorted(rnd.sample(CODES, 2))
            status = rnd.choice(["drafting", "signed", "negotiating"])
            ags.append({"title": "trade agreement", "parties": parties, "sectors": ["trade"], "status": status,
                        "evidence": "x", "span": [0, 1], "history": [{"status": status, "evidence": "x"}]})
        rec = {"id": f"syn-{i}", "contract": "1.0", "lang": "en", "published": day, "date": day, "countries": [],
               "topics": [], "entities": [], "events": events, "agreements": ags, "commitments": [],
               "extractor": "synthetic", "text": f"synthetic report {i}"}
        sys.stdout.write(json.dumps(rec) + "\n")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
