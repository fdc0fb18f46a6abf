"""Compare two results of `masterplan bench --json FILE`, e.g. before and after a change.

    .venv/bin/python bench/compare.py var/bench/before.json var/bench/after.json

Prints, for every list and scale, the query counts and medians of both runs and the ratio
after ÷ before, marking a query count that changed and a median that grew by more than the
threshold (default 25 %; timings on a busy machine easily vary by 10-20 %). Exit status 1
when something is marked, so that the script can guard a branch in CI.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path
from typing import Any


def lists(data: dict[str, Any], scale: str) -> dict[str, tuple[int, float]]:
    """{list label: (queries, median ms)} of one scale of one run."""
    result = data["lists"].get(scale) or {"measurements": []}
    return {
        m["label"].strip(" …"): (m["queries"], statistics.median(m["times_ms"]))
        for m in result["measurements"]
    }


def import_rate(data: dict[str, Any]) -> float:
    imported = data.get("imports") or {}
    seconds = imported.get("import_seconds") or 0
    return imported.get("rows", 0) / seconds if seconds else 0.0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--threshold", type=float, default=1.25, help="after ÷ before (1.25)")
    args = parser.parse_args(argv)
    before = json.loads(args.before.read_text())
    after = json.loads(args.after.read_text())

    marked = 0
    print(f"{'list':<32}{'scale':<7}{'queries':>12}{'before ms':>11}{'after ms':>10}{'ratio':>8}")
    for scale in ("city", "state"):
        old, new = lists(before, scale), lists(after, scale)
        for label in [label for label in old if label in new]:
            (old_queries, old_ms), (new_queries, new_ms) = old[label], new[label]
            ratio = new_ms / old_ms if old_ms else float("nan")
            flags = []
            if new_queries != old_queries:
                flags.append("queries changed")
            if ratio > args.threshold:
                flags.append("slower")
            marked += bool(flags)
            queries = f"{old_queries}→{new_queries}"
            print(
                f"{label:<32}{scale:<7}{queries:>12}{old_ms:>11.1f}{new_ms:>10.1f}{ratio:>8.2f}"
                + (f"  ! {', '.join(flags)}" if flags else "")
            )
    old_rate, new_rate = import_rate(before), import_rate(after)
    if old_rate and new_rate:
        slower = old_rate / new_rate > args.threshold
        marked += slower
        print(
            f"{'import rows/s':<39}{old_rate:>23,.0f}{new_rate:>10,.0f}"
            f"{new_rate / old_rate:>8.2f}" + ("  ! slower" if slower else "")
        )
    return 1 if marked else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
