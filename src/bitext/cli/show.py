"""`bitext show`: one passage with its neighbours."""

from __future__ import annotations

from typing import Annotated

import typer

from ..api import Bitext
from ._app import IndexOpt, JsonOpt, app, handled, out


@app.command()
def show(
    pid: Annotated[str, typer.Argument(metavar="ID", help="A passage id, e.g. report.txt#0193.")],
    index: IndexOpt,
    context: Annotated[int, typer.Option("--context", "-C", min=0, help="Passages to show either side.")] = 1,
    as_json: JsonOpt = False,
) -> None:
    """Print a whole passage pair with its neighbours."""
    from ..rendering import dumps, render_passages

    with handled():
        passages = Bitext(index=index).show(pid, context)
    if as_json:
        out.print(dumps({"id": pid, "passages": [p.to_json() for p in passages]}), soft_wrap=True, markup=False)
    else:
        render_passages(out, passages, pid)
