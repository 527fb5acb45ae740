"""Cold search: a fresh `bitext search QUERY --json` process against loading jieba, side by side.

    python benchmarks/bench_cold_search.py [--runs 7] [--corpus DIR] [--index DIR] [QUERY ...]

The baseline is `python -c "import jieba; jieba.initialize()"`, what any
process that segments Chinese with jieba pays before its first word. Each
figure is the median wall time of --runs fresh processes; the commands take
turns, so that both see the same machine load. Target: ratio <= 0.35.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _common import ROOT

from bitext.api import Bitext

TARGET = 0.35
BASELINE = [sys.executable, "-c", "import jieba; jieba.initialize()"]
QUERIES = ["芝麻信用 老赖", "Carrefour cashier"]


def bitext_command() -> list[str]:
    """The installed console script beside this interpreter, as a user runs it."""
    script = Path(sys.executable).with_name("bitext")
    return [str(script)] if script.exists() else [sys.executable, "-c", "from bitext.cli import main; main()"]


def wall(cmd: list[str]) -> float:
    """Seconds one process takes, start to exit; a failing command stops the benchmark."""
    started = time.perf_counter()
    run = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - started
    if run.returncode not in (0, 1):  # 1 is "nothing found", still a search
        sys.exit(f"{' '.join(cmd)} failed ({run.returncode}): {run.stderr.strip()}")
    return seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("queries", nargs="*", default=QUERIES, metavar="QUERY")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    ap.add_argument("--index", type=Path, default=ROOT / "index")
    args = ap.parse_args()
    with Bitext(args.corpus, args.index) as bt:
        bt.refresh()
    searches = {q: [*bitext_command(), "search", q, "--json", "--corpus", str(args.corpus), "--index", str(args.index)]
                for q in args.queries}
    commands = {"baseline": BASELINE, **searches}
    for cmd in commands.values():  # warm the OS file cache, jieba's cache and the on-disk dictionary
        wall(cmd)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, cmd in commands.items():
            times[name].append(wall(cmd))
    base = statistics.median(times["baseline"])
    print(f"median of {args.runs} fresh processes each")
    print(f"baseline  {base * 1000:5.0f} ms  python -c 'import jieba; jieba.initialize()'")
    for q in args.queries:
        med = statistics.median(times[q])
        verdict = "ok" if med / base <= TARGET else "OVER"
        print(f"search    {med * 1000:5.0f} ms  ratio {med / base:.2f} (target <= {TARGET}: {verdict})  "
              f"bitext search {q!r} --json")


if __name__ == "__main__":
    main()
