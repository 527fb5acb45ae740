"""`bitext build`: index the corpus, incrementally unless --full."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer

from ..api import Bitext
from ..locking import build_lock
from ._app import CorpusOpt, IndexOpt, JsonOpt, app, err, handled, out, print_json, progress_printer


@app.command()
def build(
    corpus: CorpusOpt,
    index: IndexOpt,
    full: Annotated[bool, typer.Option("--full", help="Rebuild every document, not only changed ones.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Build or update the index. Only changed, added or removed documents are redone."""
    from rich.markup import escape

    def waiting() -> None:
        err.print(f"waiting for another build of {escape(str(index))} to finish...", soft_wrap=True)

    with handled(), build_lock(index, on_wait=waiting):
        summary = Bitext(corpus, index).build(full=full, progress=progress_printer())
    for warning in summary.skipped:
        err.print(f"[yellow]skipped:[/] {escape(warning)}", soft_wrap=True)
    if as_json:
        print_json(asdict(summary))
    else:
        out.print(f"built: {summary.line()}", soft_wrap=True, markup=False)
        stages = ", ".join(f"{k} {v:.2f} s" for k, v in summary.stage_seconds.items())
        if stages:
            err.print(f"[dim]stages: {stages}[/]", soft_wrap=True)
