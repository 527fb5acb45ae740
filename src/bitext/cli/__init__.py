"""The `bitext` command line: one shared Typer app, one module per command."""

from ._app import app, main
from . import build, export, search, shell, show, stats, terms  # noqa: F401  (registers the commands)

__all__ = ["app", "main"]
