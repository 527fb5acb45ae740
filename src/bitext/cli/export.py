"""`bitext export`: every passage as JSON lines, TSV or TMX."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..api import Bitext
from ._app import CorpusOpt, IndexOpt, app, err, fail, handled


@app.command()
def export(
    corpus: CorpusOpt,
    index: IndexOpt,
    fmt: Annotated[str, typer.Option("--format", help="jsonl, tsv or tmx (TMX 1.4b for CAT tools).")] = "jsonl",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
) -> None:
    """Export all passages in document order, with the document's own text (TSV folds line breaks)."""
    from ..exporting import export as write

    with handled():
        bt = Bitext(corpus, index)
        passages = bt.passages()
        if output is None:
            n = write(passages, fmt, sys.stdout)
        else:
            try:
                with output.open("w", encoding="utf-8") as fh:
                    n = write(passages, fmt, fh)
            except OSError as exc:
                raise fail(f"{output}: {exc.strerror}") from None
    if output is not None:
        err.print(f"wrote {n} passages to {output}", markup=False)
    raise typer.Exit(0)
