"""`bitext terms`: the learned translations of a term, as a glossary."""

from __future__ import annotations

from typing import Annotated

import typer

from ._app import CorpusOpt, IndexOpt, JsonOpt, app, handled, open_fresh, out, print_json


@app.command()
def terms(
    term: Annotated[list[str], typer.Argument(help="A Chinese or English word or term, e.g. 贷款 or loan.")],
    corpus: CorpusOpt = ...,  # type: ignore[assignment]
    index: IndexOpt = ...,  # type: ignore[assignment]
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Most translations to list.")] = 10,
    as_json: JsonOpt = False,
) -> None:
    """List how a term was translated in the corpus: translations, how often, and an example pair each."""
    text = " ".join(term)
    with handled():
        found = open_fresh(corpus, index, quiet=as_json).terms(text, limit=limit)
    if as_json:
        print_json({"term": text, "translations": [e.to_json() for e in found]})
    else:
        from ..rendering import render_terms

        render_terms(out, text, found)
    raise typer.Exit(0 if found else 1)
