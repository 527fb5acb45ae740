"""Recall@k and MRR of `search` / `quote` on a queries file (default: the dev set).

    python benchmarks/eval_queries.py [--queries FILE] [--corpus DIR] [--index DIR]

A case passes when one of the top k hits has `expect_zh` in its zh and
`expect_en` in its en (whitespace ignored). Kind `hard` is reported apart.
"""

from __future__ import annotations

from collections import defaultdict

from _common import EVAL, contains, eval_setup, read_jsonl


def main() -> None:
    args, bt = eval_setup(__doc__, "--queries", EVAL / "queries_dev.jsonl")
    groups: dict[str, list[float]] = defaultdict(list)
    for case in read_jsonl(args.queries):
        k = int(case.get("k", 5))
        ask = bt.quote if case["mode"] == "quote" else bt.search
        hits = ask(case["query"], limit=k).hits
        rank = next(
            (h.rank for h in hits if contains(h.passage.zh, case["expect_zh"]) and contains(h.passage.en, case["expect_en"])),
            None,
        )
        rr = 1.0 / rank if rank else 0.0
        group = "hard" if case.get("kind") == "hard" else "main"
        groups[group].append(rr)
        if args.verbose and not rank:
            top = hits[0].passage if hits else None
            print(f"MISS {case['id']} {case['query']!r} top: {top.zh[:40] if top else None!r} | {top.en[:60] if top else None!r}")
    for group, rrs in sorted(groups.items()):
        recall = sum(1 for r in rrs if r > 0) / len(rrs)
        mrr = sum(rrs) / len(rrs)
        print(f"{group}: n={len(rrs)} recall@k={recall:.3f} MRR={mrr:.3f}")
    every = [r for rrs in groups.values() for r in rrs]
    print(f"all: n={len(every)} recall@k={sum(1 for r in every if r > 0) / len(every):.3f} MRR={sum(every) / len(every):.3f}")


if __name__ == "__main__":
    main()
