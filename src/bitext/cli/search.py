"""`bitext search` and `bitext quote`: ranked parallel excerpts."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..models import Results
from ._app import CorpusOpt, IndexOpt, JsonOpt, app, fail, handled, open_fresh, out, print_json

FileOpt = Annotated[
    Optional[Path], typer.Option("--file", "-f", help='Read one query per line from FILE ("-" for stdin).')
]
LimitOpt = Annotated[int, typer.Option("--limit", "-n", min=1, help="Most hits to show per query.")]
LangOpt = Annotated[str, typer.Option("--lang", help="Search the zh side, the en side, or both (auto).")]


def _queries(words: list[str] | None, file: Path | None) -> Iterator[str]:
    if file is not None:
        try:
            fh = sys.stdin if str(file) == "-" else file.open(encoding="utf-8")
        except OSError as exc:
            raise fail(f"{file}: {exc.strerror}") from None
        try:
            for line in fh:
                if line.strip():
                    yield line.rstrip("\n")
        except UnicodeDecodeError:
            raise fail(f"{file}: not UTF-8 text") from None
        return
    if not words or not " ".join(words).strip():
        raise fail("give a query, or --file FILE")
    yield " ".join(words)


def print_results(results: Results, as_json: bool) -> None:
    """Print one query's answer: a JSON line, or parallel excerpts (rich is loaded only for these)."""
    if as_json:
        print_json(results.to_json())
        return
    from ..rendering import render_results

    render_results(out.console, results)


def run_queries(queries: Iterator[str], ask: Callable[[str], Results], as_json: bool) -> None:
    """Answer each query, print it, and exit 0 if anything was found, else 1."""
    found = False
    with handled():
        for q in queries:
            results = ask(q)
            found = found or bool(results.hits)
            print_results(results, as_json)
    raise typer.Exit(0 if found else 1)


@app.command()
def search(
    query: Annotated[Optional[list[str]], typer.Argument(help="Words in Chinese or English (Whoosh syntax works).")] = None,
    corpus: CorpusOpt = ...,  # type: ignore[assignment]
    index: IndexOpt = ...,  # type: ignore[assignment]
    limit: LimitOpt = 10,
    lang: LangOpt = "auto",
    doc: Annotated[Optional[str], typer.Option("--doc", help="Only this document (its name in the corpus).")] = None,
    pinyin: Annotated[bool, typer.Option("--pinyin", help='The query is toneless pinyin, e.g. "zhima xinyong".')] = False,
    file: FileOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Keyword search in either language: more matching words rank higher; "quoted" phrases, AND/OR/NOT work."""
    with handled():
        bt = open_fresh(corpus, index, quiet=as_json)
    ask = lambda q: bt.search(q, limit=limit, lang=lang, doc=doc, pinyin=pinyin)  # noqa: E731
    run_queries(_queries(query, file), ask, as_json)


@app.command()
def quote(
    text: Annotated[Optional[list[str]], typer.Argument(help="A sentence or phrase as it appears, either language.")] = None,
    corpus: CorpusOpt = ...,  # type: ignore[assignment]
    index: IndexOpt = ...,  # type: ignore[assignment]
    limit: LimitOpt = 10,
    file: FileOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Find the passage a quote comes from, with its translation (spacing, width, case and quotes may differ)."""
    with handled():
        bt = open_fresh(corpus, index, quiet=as_json)
    run_queries(_queries(text, file), lambda q: bt.quote(q, limit=limit), as_json)
