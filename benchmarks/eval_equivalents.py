"""Translation-equivalent highlighting on term pairs (default: the dev list).

    python benchmarks/eval_equivalents.py [--pairs FILE] [--corpus DIR] [--index DIR]

zh→en: searching the Chinese term, every English word of its translation lies
inside the top hit's en_highlights. en→zh: searching the English term, the
Chinese term lies inside the top hit's zh_highlights. Case is ignored.
"""

from __future__ import annotations


from _common import EVAL, eval_setup, read_jsonl

from bitext.api import Bitext
from bitext.models import Hit


def highlighted(hit: Hit, side: str) -> str:
    text, spans = (hit.zh_excerpt, hit.zh_highlights) if side == "zh" else (hit.en_excerpt, hit.en_highlights)
    return " ".join(text[a:b] for a, b in spans).lower()


def covered(bt: Bitext, query: str, side: str, needles: list[str]) -> bool:
    hits = bt.search(query, limit=1).hits
    if not hits:
        return False
    marked = highlighted(hits[0], side)
    return all(n.lower() in marked for n in needles)


def main() -> None:
    args, bt = eval_setup(__doc__, "--pairs", EVAL / "equivalents_dev.jsonl")
    pairs = read_jsonl(args.pairs)
    zh_en = en_zh = 0
    for p in pairs:
        a = covered(bt, p["zh"], "en", p["en"].split())
        b = covered(bt, p["en"], "zh", [p["zh"]])
        zh_en += a
        en_zh += b
        if args.verbose and not (a and b):
            print(f"MISS zh→en={a} en→zh={b}: {p['zh']} / {p['en']}")
    n = len(pairs)
    print(f"pairs: {n}  zh→en: {zh_en / n:.3f}  en→zh: {en_zh / n:.3f}")


if __name__ == "__main__":
    main()
