"""Score the reader and the extractor on the development set of real report openings.

    .venv/bin/python bench/realworld.py [--keys ../shared/realworld/keys] [--texts ../realworld-texts]
                                        [--misses]

Prints one line per key (metadata fields wrong, headings, facts matched / extracted / expected),
then the pooled tables: metadata per field, headings, facts per field with kind accuracy on
matched facts, and the not_facts extracted. ``--misses`` lists every missed and spurious fact
and every wrong metadata field. The texts are not in the repository: collect them first
(../shared/realworld/README.md) and check them with its check_texts.py.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lawnb.extract.evaluate import evaluate, field_equal, format_summary  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=Path, default=ROOT.parent / "shared" / "realworld" / "keys")
    parser.add_argument("--texts", type=Path, default=ROOT.parent / "realworld-texts")
    parser.add_argument("--misses", action="store_true", help="list every miss")
    args = parser.parse_args()
    keys = sorted(args.keys.glob("*.yaml"))
    started = time.perf_counter()
    results = [evaluate(key, texts=args.texts) for key in keys]
    seconds = time.perf_counter() - started
    for result in results:
        wrong = [f"{k}" for k, (want, got) in result.metadata.items() if want != got]
        h = result.headings
        fact = result.field_scores.loc["fact"]
        print(
            f"{result.key.stem}: meta {'ok' if not wrong else 'WRONG ' + ','.join(wrong):<24}"
            f" headings {h['matched']}/{h['expected']} (found {h['found']})"
            f"  facts {int(fact.matched)}/{int(fact.extracted)}/{int(fact.expected)}"
            + (f"  not_facts hit {len(result.not_fact_hits)}" if result.not_fact_hits else "")
        )
        if args.misses:
            for name, (want, got) in result.metadata.items():
                if want != got:
                    print(f"    meta {name}: want {want!r} got {got!r}")
            for want in result.missed:
                print(f"    missed {want.get('value')}{want.get('measure')} [{want.get('span')}]")
            for row in result.spurious:
                print(
                    f"    spurious {row['value']:g}{row['measure']} {row['subject']!r}"
                    f" @{row['start']}"
                    + (f" not_fact {row['not_fact']!r}" if "not_fact" in row else "")
                )
            for want, got in result.pairs:
                for name in ("kind", "qualifier", "subject", "section"):
                    if not field_equal(name, want, got):
                        print(
                            f"    {name}: {want.get('value')}{want.get('measure')} want"
                            f" {want.get(name)!r} got {got.get(name)!r}"
                        )
    print(f"\n{len(results)} keys, read and scored in {seconds:.1f} s\n")
    print(format_summary(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
