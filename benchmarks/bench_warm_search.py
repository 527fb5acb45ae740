"""Warm search: the dev queries against an index kept open, through the Python API and `bitext shell`.

    python benchmarks/bench_warm_search.py [--rounds 5] [--queries FILE] [--corpus DIR] [--index DIR]

After one warm-up pass (reported as "first pass"), every dev query is answered
--rounds times; figures are per query. The baseline, measured in the same run,
is a one-shot API call that opens the index for each query and closes it, as a
script calling `Bitext(...).search()` afresh does. The shell is timed from
writing a query line to reading its JSON answer. Target: warm median <= 5 ms.
"""

from __future__ import annotations

import argparse
import json
import select
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from _common import EVAL, ROOT, read_jsonl
from bench_cold_search import bitext_command

from bitext.api import Bitext
from bitext.models import Results

TARGET_MS = 5.0
ANSWER_TIMEOUT_S = 60


def ms_per_query(cases: list[dict], ask: Callable[[dict], object], rounds: int) -> list[float]:
    """Milliseconds of each answer, every case `rounds` times."""
    times = []
    for _ in range(rounds):
        for case in cases:
            started = time.perf_counter()
            ask(case)
            times.append((time.perf_counter() - started) * 1000)
    return times


def api_answer(bt: Bitext, case: dict) -> Results:
    return bt.quote(case["query"]) if case["mode"] == "quote" else bt.search(case["query"])


def one_shot(corpus: Path, index: Path, case: dict) -> Results:
    """Open the index, answer, close: what every call pays without a kept-open index."""
    with Bitext(corpus, index) as bt:
        return api_answer(bt, case)


class Shell:
    """A `bitext shell --json` process, asked one line at a time."""

    def __init__(self, corpus: Path, index: Path) -> None:
        cmd = [*bitext_command(), "shell", "--json", "--corpus", str(corpus), "--index", str(index)]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)

    def ask(self, case: dict) -> dict:
        line = f":quote {case['query']}" if case["mode"] == "quote" else case["query"]
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        if not select.select([self.proc.stdout], [], [], ANSWER_TIMEOUT_S)[0]:
            sys.exit(f"bitext shell gave no answer to {line!r} (see its error above)")
        return json.loads(self.proc.stdout.readline())

    def close(self) -> None:
        assert self.proc.stdin
        self.proc.stdin.write(":q\n")
        self.proc.stdin.close()
        self.proc.wait()


def summary(label: str, times: list[float], base: float | None = None, judged: bool = False) -> str:
    """One line: median, 90th percentile and worst case; the ratio to the baseline; the verdict if `judged`."""
    med = statistics.median(times)
    p90 = statistics.quantiles(times, n=10)[-1]
    line = f"{label:34} median {med:7.2f} ms  p90 {p90:7.2f} ms  max {max(times):7.2f} ms  n={len(times)}"
    if base is not None:
        line += f"  ratio {med / base:.3f} of baseline"
    if judged:
        line += f" (target <= {TARGET_MS:g} ms: {'ok' if med <= TARGET_MS else 'OVER'})"
    return line


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--queries", type=Path, default=EVAL / "queries_dev.jsonl")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    ap.add_argument("--index", type=Path, default=ROOT / "index")
    args = ap.parse_args()
    cases = read_jsonl(args.queries)
    with Bitext(args.corpus, args.index) as bt:
        bt.refresh()
        bt.search("warm-up")  # opens the index
        first = ms_per_query(cases, lambda c: api_answer(bt, c), 1)
        warm = ms_per_query(cases, lambda c: api_answer(bt, c), args.rounds)
    base_times = ms_per_query(cases, lambda c: one_shot(args.corpus, args.index, c), 1)  # last: all caches warm
    base = statistics.median(base_times)
    shell = Shell(args.corpus, args.index)
    try:
        shell_first = ms_per_query(cases, shell.ask, 1)
        shell_warm = ms_per_query(cases, shell.ask, args.rounds)
    finally:
        shell.close()
    print(f"{len(cases)} queries from {args.queries.name}, {args.rounds} warm rounds")
    print(summary("baseline: API, index opened per query", base_times))
    print(summary("API, index kept open, first pass", first, base))
    print(summary("API, index kept open, warm", warm, base, judged=True))
    print(summary("shell round trip, first pass", shell_first, base))
    print(summary("shell round trip, warm", shell_warm, base, judged=True))


if __name__ == "__main__":
    main()
