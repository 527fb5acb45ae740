"""The shared Typer app, the options every command takes, and error handling."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from ..api import Bitext, default_corpus, default_index
from ..errors import BitextError
from ..indexing import BusySummary

class OneLineErrors(TyperGroup):
    """The command group, reporting usage errors (bad option, bad value) in one line with status 2."""

    def main(  # type: ignore[override]
        self, args: list[str] | None = None, prog_name: str | None = None, complete_var: str | None = None,
        standalone_mode: bool = True, **extra: Any,
    ) -> Any:
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except typer.Abort:
            if not standalone_mode:
                raise
            sys.stderr.write("error: aborted\n")
            sys.exit(2)
        except typer.TyperException as exc:  # usage errors: bad option, bad value, missing argument
            if not standalone_mode:
                raise
            message = " ".join((exc.format_message() if hasattr(exc, "format_message") else str(exc)).split())
            if message:  # empty after `bitext` alone, which has printed the help
                sys.stderr.write(f"error: {message}\n")
            sys.exit(2)
        if standalone_mode:
            sys.exit(rv if isinstance(rv, int) else 0)
        return rv


app = typer.Typer(
    name="bitext",
    cls=OneLineErrors,
    help="Search a bilingual Chinese/English corpus and read the results as parallel excerpts.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

CorpusOpt = Annotated[
    Path,
    typer.Option(
        "--corpus", envvar="BITEXT_CORPUS", help="Folder of documents (.txt, .md, .html).",
        default_factory=default_corpus, show_default="./corpus",
    ),
]
IndexOpt = Annotated[
    Path,
    typer.Option(
        "--index", envvar="BITEXT_INDEX", help="Folder of the index (build output).",
        default_factory=default_index, show_default="./index",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of formatted text.")]

if TYPE_CHECKING:
    from rich.console import Console


class LazyConsole:
    """A rich Console made on first use, so that JSON output and quick commands never import rich."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Console | None = None

    @property
    def console(self) -> Console:
        """The real Console, for rich APIs that take one."""
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return self._console

    def __getattr__(self, name: str) -> Any:
        """Everything else is the Console's own (print, is_terminal, ...)."""
        return getattr(self.console, name)


out = LazyConsole(highlight=False, soft_wrap=False, emoji=False)
err = LazyConsole(stderr=True, highlight=False, emoji=False)


def print_json(obj: object) -> None:
    """One JSON object on one line of stdout, written directly (rich would read `:name:` as emoji)."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def fail(message: str) -> typer.Exit:
    """Print a one-line error and return the exit (status 2) to raise.

    The message quotes file names and queries: it is printed as text, so
    `[/x]` in one is not taken for rich markup.
    """
    from rich.text import Text

    err.print(Text.assemble(("error:", "red"), " ", " ".join(message.split())), soft_wrap=True)
    return typer.Exit(2)


@contextmanager
def handled() -> Iterator[None]:
    """Turn the library's typed errors (and Ctrl-C) into one line and exit status 2."""
    try:
        yield
    except BitextError as exc:
        raise fail(str(exc)) from None
    except KeyboardInterrupt:
        raise fail("interrupted; the index is as the last complete build left it") from None
    except BrokenPipeError:  # the reader of our output went away: main() ends quietly
        raise
    except OSError as exc:
        raise fail(f"{exc.filename or ''}: {exc.strerror or exc}".strip(": ")) from None
    except UnicodeEncodeError:  # a lone surrogate: Python's stand-in for bytes that were not UTF-8
        raise fail("an argument or a line read is not valid UTF-8 text") from None
    except typer.Exit:
        raise
    except Exception as exc:  # last resort: a one-line report instead of a traceback
        raise fail(
            f"unexpected {exc.__class__.__name__}: {exc}; if the index is damaged, run `bitext build --full`"
        ) from None


def progress_printer() -> Callable[[str, int, int], None] | None:
    """A progress bar on a terminal, nothing when output is piped."""
    if not err.is_terminal:
        return None
    from rich.progress import Progress

    bar = Progress(console=err.console, transient=True)
    task = bar.add_task("aligning", total=None)

    def update(name: str, done: int, total: int) -> None:
        if not bar.live.is_started:  # shown once a build starts, never when the index is current
            bar.start()
        bar.update(task, total=total, completed=done, description=name or "indexing")
        if done >= total and not name:
            bar.stop()

    return update


def open_fresh(corpus: Path, index: Path, quiet: bool) -> Bitext:
    """A Bitext whose index is built or brought up to date first."""
    bt = Bitext(corpus, index)
    summary = bt.refresh(progress=None if quiet else progress_printer())
    if summary is not None and not quiet:
        note = summary.line() if isinstance(summary, BusySummary) else f"index updated: {summary.line()}"
        err.print(note, style="dim", markup=False)
    return bt


def main() -> None:
    """Console-script entry point: whatever escapes a command is one line and status 2."""
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted\n")
        sys.exit(2)
    except BrokenPipeError:  # `bitext export | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    except Exception as exc:  # rendering and other work outside `handled()`
        sys.stderr.write(f"error: unexpected {exc.__class__.__name__}: {' '.join(str(exc).split())}\n")
        sys.exit(2)
