"""`bitext stats`: what the index holds, and its weakest passages."""

from __future__ import annotations

from ..api import Bitext
from ._app import IndexOpt, JsonOpt, app, handled, out


@app.command()
def stats(index: IndexOpt, as_json: JsonOpt = False) -> None:
    """Counts per document, and the ten least confident pairs to review."""
    from ..rendering import dumps

    with handled():
        data = Bitext(index=index).stats()
    if as_json:
        out.print(dumps(data), soft_wrap=True, markup=False)
        return
    out.print(
        f"{data['documents']} documents, {data['passages']} passages, {data['two_sided']} two-sided, "
        f"{data['unpaired']} unpaired, {data['debris']} debris lines"
    )
    out.print("weakest pairs (fix the corpus and rebuild):")
    for w in data["weakest"]:  # type: ignore[attr-defined]
        out.print(f"  {w['confidence']:.2f}  {w['id']}  {w['zh'][:30]!r} ↔ {w['en'][:50]!r}", markup=False)
