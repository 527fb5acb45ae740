"""`bitext show`: one passage with its neighbours."""

from __future__ import annotations

from typing import Annotated

import typer

from ..api import Bitext
from ._app import CorpusOpt, IndexOpt, JsonOpt, app, handled, out, print_json


@app.command()
def show(
    pid: Annotated[str, typer.Argument(metavar="ID", help="A passage id, e.g. report.txt#0193.")],
    corpus: CorpusOpt,
    index: IndexOpt,
    context: Annotated[int, typer.Option("--context", "-C", min=0, help="Passages to show either side.")] = 1,
    as_json: JsonOpt = False,
) -> None:
    """Print a whole passage pair with its neighbours."""
    with handled():
        passages = Bitext(corpus, index).show(pid, context)
    if as_json:
        print_json({"id": pid, "passages": [p.to_json() for p in passages]})
    else:
        from ..rendering import render_passages

        render_passages(out, passages, pid)
