"""Search quality on the evaluation set, for Murasil and for a LIKE '%word%' baseline.

Usage: .venv/bin/python bench/search_quality.py                      (SQLite, fresh demo newsroom)
       DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/search_quality.py
       add --write-snapshot to refresh murasil/search/evaluation/expected_matches.json

Builds the demo newsroom in a throw-away database, then runs the 99 judged queries of
murasil/search/evaluation/queries.json and prints nDCG@10, recall@10, MRR and zero-result counts.
"""

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from common import drop_database, use_fresh_database  # noqa: E402 - after the path set-up

SNAPSHOT = ROOT / "murasil" / "search" / "evaluation" / "expected_matches.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write-snapshot", action="store_true")
    parser.add_argument("--show", type=int, default=5, help="print the N weakest queries")
    args = parser.parse_args()
    os.environ["MURASIL_DATA_DIR"] = tempfile.mkdtemp(prefix="murasil-search-eval-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "murasil.settings.local"
    os.environ.pop("REDIS_URL", None)
    url = use_fresh_database("murasil_search_eval")
    import django

    django.setup()
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection

    from murasil.search.evaluation.metrics import evaluate, like_run, murasil_run

    call_command("demo", no_serve=True, stdout=StringIO())
    print(f"database: {connection.vendor}")
    print(f"{'system':<22}{'nDCG@10':>9}{'recall@10':>11}{'MRR':>7}{'zero results':>14}")
    results = {}
    for name, run in (("Murasil", murasil_run), ("LIKE '%word%' (AND)", like_run)):
        result = results[name] = evaluate(run)
        print(
            f"{name:<22}{result['ndcg@10']:>9.3f}{result['recall@10']:>11.3f}{result['mrr']:>7.3f}"
            f"{result['zero_results']:>8} / {result['queries']}"
        )
    weakest = sorted(results["Murasil"]["rows"], key=lambda row: row["ndcg"])[: args.show]
    print("weakest Murasil queries:", ", ".join(f"{r['id']} {r['query']} ({r['ndcg']:.2f})" for r in weakest))
    if args.write_snapshot:
        matches = {row["id"]: sorted(row["ranked"]) for row in results["Murasil"]["rows"]}
        SNAPSHOT.write_text(json.dumps(matches, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
        print(f"wrote {SNAPSHOT}")
    drop_database(url, "murasil_search_eval")


if __name__ == "__main__":
    main()
