"""`bitext stats`: what the index holds, and its weakest passages."""

from __future__ import annotations

from ..api import Bitext
from ._app import CorpusOpt, IndexOpt, JsonOpt, app, handled, out, print_json


@app.command()
def stats(corpus: CorpusOpt, index: IndexOpt, as_json: JsonOpt = False) -> None:
    """Counts per document, and the ten least confident pairs to review."""
    with handled():
        data = Bitext(corpus, index).stats()
    if as_json:
        print_json(data)
        return
    out.print(
        f"{data['documents']} documents, {data['passages']} passages, {data['two_sided']} two-sided, "
        f"{data['unpaired']} unpaired, {data['debris']} debris lines"
    )
    out.print("weakest pairs (fix the corpus and rebuild):")
    for w in data["weakest"]:  # type: ignore[attr-defined]
        out.print(f"  {w['confidence']:.2f}  {w['id']}  {w['zh'][:30]!r} ↔ {w['en'][:50]!r}", markup=False)
