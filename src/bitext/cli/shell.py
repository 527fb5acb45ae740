"""`bitext shell`: a prompt over an index kept open, so each answer takes milliseconds."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext, suppress
from pathlib import Path

import typer

from ..api import Bitext
from ..errors import InputError
from ..models import Results
from ._app import CorpusOpt, IndexOpt, JsonOpt, app, err, handled, open_fresh
from .search import LangOpt, LimitOpt, print_results

PROMPT = "bitext> "
HISTORY_FILE = "shell-history"
HISTORY_LENGTH = 1000
HELP = """Type words to search, in either language (Whoosh syntax works, as in `bitext search`).
  :quote TEXT   find the passage a quote comes from
  :help         this help
  :q            quit (or Ctrl-D)"""


@contextmanager
def _history(path: Path) -> Iterator[None]:
    """Line editing at the prompt, with history kept in `path` across sessions (where Python has readline)."""
    try:
        import readline
    except ImportError:  # a Python built without readline: plain input, no history
        yield
        return
    with suppress(OSError):
        readline.read_history_file(path)
    readline.set_history_length(HISTORY_LENGTH)
    try:
        yield
    finally:
        with suppress(OSError):
            readline.write_history_file(path)


def _lines(interactive: bool) -> Iterator[str]:
    """Lines typed at the prompt (Ctrl-C drops the line, Ctrl-D ends), or read from a pipe."""
    if not interactive:
        for line in sys.stdin:
            yield line.rstrip("\n")
        return
    while True:
        try:
            yield input(PROMPT)
        except KeyboardInterrupt:
            print()
        except EOFError:
            print()
            return


def answer(bt: Bitext, line: str, limit: int, lang: str) -> Results:
    """The results for one line: `:quote TEXT` looks up a quote, anything else is a search."""
    command, _, rest = line.partition(" ")
    if command == ":quote":
        return bt.quote(rest, limit=limit)
    if command.startswith(":"):
        raise InputError(f"unknown command {command!r}; :help lists the commands")
    return bt.search(line, limit=limit, lang=lang)


@app.command()
def shell(
    corpus: CorpusOpt,
    index: IndexOpt,
    limit: LimitOpt = 10,
    lang: LangOpt = "auto",
    as_json: JsonOpt = False,
) -> None:
    """Search interactively with the index kept open: line editing and history, `:quote TEXT`, `:q` to quit."""
    from ..analysis import cache_dir

    with handled():
        bt = open_fresh(corpus, index, quiet=as_json)
    interactive = sys.stdin.isatty()
    if interactive:
        err.print("[dim]:help lists the commands, :q quits[/]")
    with bt, _history(cache_dir() / HISTORY_FILE) if interactive else nullcontext():
        for raw in _lines(interactive):
            line = raw.strip()
            if not line:
                continue
            if line in (":q", ":quit"):
                break
            if line in (":h", ":help"):
                err.print(HELP, markup=False, highlight=False)
                continue
            with suppress(typer.Exit):  # the error is printed in one line; the prompt goes on
                with handled():
                    print_results(answer(bt, line, limit, lang), as_json)
            sys.stdout.flush()
