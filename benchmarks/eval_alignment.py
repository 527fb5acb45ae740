"""Alignment quality on hand-checked pairs: paragraph level, sentence level, passage size.

    python benchmarks/eval_alignment.py                                  # the report, align_dev.jsonl
    python benchmarks/eval_alignment.py --corpus ../shared/eval/mac-dev \\
        --gold ../shared/eval/mac_dev_gold.jsonl --index /tmp/bitext-mac  # the novels

Paragraph level: the passage whose zh contains the gold zh has the gold en in its en.
Sentence level: quoting the gold zh, the top hit's en_excerpt contains the gold en (zh→en),
and quoting the gold en, the top hit's zh_excerpt contains the gold zh (en→zh).
Size: passage length over the length of the source paragraph holding the gold text
(the larger of the two sides), median and 90th percentile. Orphans: gold untranslated
paragraphs whose passage has an empty other side.
"""

from __future__ import annotations

import statistics
from pathlib import Path

from _common import EVAL, contains, eval_setup, read_jsonl, squash

from bitext.reading import list_corpus, read_document
from bitext.segmenting import segment


def source_paragraphs(corpus: Path) -> list[str]:
    files, _ = list_corpus(corpus)
    out: list[str] = []
    for f in files:
        seg = segment(read_document(f))
        out.extend(squash(p.text) for p in seg.paragraphs)
        out.extend(squash(lp.zh) for lp in seg.line_pairs)
        out.extend(squash(lp.en) for lp in seg.line_pairs)
    return out


def size_ratio(passage_text: str, needle: str, sources: list[str]) -> float | None:
    src = [s for s in sources if squash(needle) in s]
    if not src:
        return None
    return len(squash(passage_text)) / min(len(s) for s in src)


def main() -> None:
    args, bt = eval_setup(__doc__, "--gold", EVAL / "align_dev.jsonl")
    passages = list(bt.passages())
    sources = source_paragraphs(args.corpus)
    para = zh_en = en_zh = n = 0
    orphans = orphans_ok = 0
    sizes: list[float] = []
    for g in read_jsonl(args.gold):
        if "orphan" in g:
            orphans += 1
            side, other = ("en", "zh") if g["lang"] == "en" else ("zh", "en")
            holders = [p for p in passages if contains(getattr(p, side), g["orphan"])]
            orphans_ok += bool(holders) and all(not getattr(p, other) for p in holders)
            continue
        n += 1
        holders = [p for p in passages if contains(p.zh, g["zh"])]
        ok = any(contains(p.en, g["en"]) for p in holders)
        para += ok
        for p in holders[:1]:
            ratios = [size_ratio(p.zh, g["zh"], sources), size_ratio(p.en, g["en"], sources)]
            known = [r for r in ratios if r is not None]
            if known:
                sizes.append(max(known))
        hits = bt.quote(g["zh"], limit=1).hits
        s1 = bool(hits) and contains(hits[0].en_excerpt, g["en"])
        hits = bt.quote(g["en"], limit=1).hits
        s2 = bool(hits) and contains(hits[0].zh_excerpt, g["zh"])
        zh_en += s1
        en_zh += s2
        if args.verbose and not (ok and s1 and s2):
            where = holders[0] if holders else None
            print(f"MISS para={ok} zh→en={s1} en→zh={s2} {g.get('kind', '')}: {g['zh'][:30]!r} | {g['en'][:50]!r}")
            if where:
                print(f"     passage {where.id}: {where.zh[:50]!r} | {where.en[:80]!r}")
    print(f"pairs: {n}")
    print(f"paragraph level: {para / n:.3f}")
    print(f"sentence level zh→en: {zh_en / n:.3f}  en→zh: {en_zh / n:.3f}")
    if sizes:
        sizes.sort()
        p90 = sizes[min(len(sizes) - 1, int(round(0.9 * (len(sizes) - 1))))]
        print(f"passage size vs source paragraph: median {statistics.median(sizes):.2f}x  p90 {p90:.2f}x")
    if orphans:
        print(f"untranslated left unpaired: {orphans_ok}/{orphans} ({orphans_ok / orphans:.0%})")


if __name__ == "__main__":
    main()
