"""Build costs: incremental rebuild against a full build, and a 40-document corpus.

    python benchmarks/bench_build.py [--docs 20] [--scale 40] [--runs 7]

1. A corpus of N copies of the shipped report is built in full; then one
   document is edited (a new bilingual paragraph) and another removed, and
   `bitext build` runs again. Prints both times and their ratio, and checks that
   the edit is searchable with its translation and the removed passages gone.
2. A corpus of M copies is built in full in a child process: wall time, build
   throughput (MB/s), peak resident memory of the build and its worker
   processes together (sampled from /proc), time per stage; then a cold
   `bitext search --json` there against the same search on a one-document
   corpus (median of R fresh processes each).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT

REPORT = ROOT / "corpus" / "ant-financial-2016-sustainability-report.txt"
EDIT = "\n\n微型基准测试段落：蓝色鲸鱼在图书馆里唱歌。\n\nBenchmark paragraph: a blue whale sings in the library.\n"


def bitext(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bitext", *args], capture_output=True, text=True, check=False)


def make_corpus(folder: Path, n: int) -> None:
    folder.mkdir(parents=True)
    for i in range(n):
        shutil.copy(REPORT, folder / f"report-{i:02d}.txt")


def tree_rss(root: int) -> int:
    """Resident memory of a process and all its descendants, in bytes (from /proc)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        pid = int(status.parent.name)
        parents[pid] = int(fields["PPid"])
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0]) * 1024
    total = 0
    for pid in rss:
        p = pid
        while p and p != root:
            p = parents.get(p, 0)
        total += rss[pid] if p == root else 0
    return total


def timed_build(corpus: Path, index: Path, *extra: str) -> tuple[float, str, str, int]:
    """Run a build; its wall time, summary, stage line, and peak memory of its whole process tree."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bitext", "build", "--corpus", str(corpus), "--index", str(index), *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss(proc.pid))
        time.sleep(0.2)
    out, err = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"build failed: {err.strip()}")
    return time.perf_counter() - start, out.strip(), err.strip(), peak


def cold_search(corpus: Path, index: Path, query: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = bitext("search", query, "--json", "--corpus", str(corpus), "--index", str(index))
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"search failed: {done.stderr.strip()}")
    return statistics.median(times)


def incremental(base: Path, docs: int) -> None:
    corpus, index = base / "inc-corpus", base / "inc-index"
    make_corpus(corpus, docs)
    full, _, _, _ = timed_build(corpus, index, "--full")
    with (corpus / "report-03.txt").open("a", encoding="utf-8") as fh:
        fh.write(EDIT)
    (corpus / "report-07.txt").unlink()
    inc, line, _, _ = timed_build(corpus, index)
    print(f"incremental: {docs} documents, full build {full:.1f} s, edit one + remove one {inc:.1f} s, "
          f"ratio {inc / full:.3f}  ({line})")
    hits = json.loads(bitext("search", "蓝色鲸鱼", "--json", "--corpus", str(corpus), "--index", str(index)).stdout)["hits"]
    edited = [h for h in hits if h["doc"] == "report-03.txt" and "blue whale" in h["en"]]
    removed = json.loads(bitext("search", "老赖", "--json", "--limit", "1000", "--corpus", str(corpus),
                                "--index", str(index)).stdout)["hits"]
    print(f"  edit searchable with its translation: {bool(edited)}; "
          f"removed document's passages left: {sum(h['doc'] == 'report-07.txt' for h in removed)}")


def scale(base: Path, docs: int, runs: int) -> None:
    corpus, index = base / "scale-corpus", base / "scale-index"
    make_corpus(corpus, docs)
    size_mb = sum(p.stat().st_size for p in corpus.iterdir()) / 1e6
    wall, line, stages, peak = timed_build(corpus, index, "--full")
    print(f"scale: {docs} documents, {size_mb:.1f} MB, build {wall:.1f} s, {size_mb / wall:.2f} MB/s, "
          f"peak memory of the build's processes together {peak / 2**20:.0f} MiB  ({line})")
    print(f"  {stages}")
    one_corpus, one_index = base / "one-corpus", base / "one-index"
    make_corpus(one_corpus, 1)
    timed_build(one_corpus, one_index)
    for query in ("芝麻信用", "dishonest debtors"):
        small = cold_search(one_corpus, one_index, query, runs)
        large = cold_search(corpus, index, query, runs)
        print(f"  cold search {query!r}: 1 document {small * 1000:.0f} ms, {docs} documents {large * 1000:.0f} ms, "
              f"ratio {large / small:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=20)
    ap.add_argument("--scale", type=int, default=40)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bitext-bench-") as tmp:
        base = Path(tmp)
        incremental(base, args.docs)
        scale(base, args.scale, args.runs)


if __name__ == "__main__":
    main()
