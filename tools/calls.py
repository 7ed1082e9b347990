#!/usr/bin/env python3
"""Read the emulator's call log (JSON lines written by tools/emulator.py).

    calls.py LOG --between START END [--assert-no-writes] [--occurrence N]

prints the AWS calls made between two marks (by default the last START mark and the END mark after
it) as counts by service and action, split into reads and writes; with --assert-no-writes it
exits 1 when any write call was made.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path


def read_calls(path: Path | str) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def writes(calls: list[dict]) -> list[dict]:
    """Write calls that reached the emulator (injected faults are retried, not applied)."""
    return [c for c in calls if c.get("kind") == "write" and not c.get("fault")]


def between(calls: list[dict], start: str, end: str, occurrence: int = -1) -> list[dict]:
    starts = [i for i, c in enumerate(calls) if c.get("mark") == start]
    if not starts:
        raise SystemExit(f"no '{start}' mark in the call log")
    first = starts[occurrence]
    ends = [i for i, c in enumerate(calls) if c.get("mark") == end and i > first]
    last = ends[0] if ends else len(calls)
    return [c for c in calls[first + 1:last] if "mark" not in c]


def summary(calls: list[dict]) -> dict:
    counts = Counter((c["kind"], c["service"], c["action"]) for c in calls if "mark" not in c and not c.get("fault"))
    return {
        "reads": sum(n for (k, _, _), n in counts.items() if k == "read"),
        "writes": sum(n for (k, _, _), n in counts.items() if k == "write"),
        "faults": sum(1 for c in calls if c.get("fault")),
        "by_action": {f"{k} {s}:{a}": n for (k, s, a), n in sorted(counts.items())},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("log")
    parser.add_argument("--between", nargs=2, metavar=("START", "END"), required=True)
    parser.add_argument("--occurrence", type=int, default=-1, help="which START mark (default: the last)")
    parser.add_argument("--assert-no-writes", action="store_true")
    args = parser.parse_args(argv)
    calls = between(read_calls(args.log), *args.between, occurrence=args.occurrence)
    result = summary(calls)
    print(json.dumps(result, indent=2))
    if args.assert_no_writes and result["writes"]:
        written = [k for k in result["by_action"] if k.startswith("write ")]
        print(f"{result['writes']} write call(s) where none were expected: {', '.join(written)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
