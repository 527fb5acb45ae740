"""Rendering results for people: rich panels, side by side when the terminal is wide."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from .models import Equivalent, Hit, Passage, Results

SIDE_BY_SIDE_MIN = 100
HIGHLIGHT = "bold black on yellow"


def highlighted(text: str, spans: Sequence[tuple[int, int]]) -> Text:
    """Text with its highlight spans marked, folded rather than cut when long."""
    out = Text(text, overflow="fold")
    for a, b in spans:
        out.stylize(HIGHLIGHT, a, b)
    return out


def _pair(zh: Text, en: Text, width: int) -> Table | Group:
    """Chinese and English side by side on a wide terminal, one above the other on a narrow one."""
    if width >= SIDE_BY_SIDE_MIN:
        grid = Table.grid(expand=True, padding=(0, 2))
        grid.add_column(ratio=1)
        grid.add_column(ratio=1)
        grid.add_row(zh, en)
        return grid
    return Group(zh, en)


def render_hit(console: Console, hit: Hit) -> None:
    """Rank, id and section, then the two excerpts."""
    p = hit.passage
    head = Text.assemble((f"{hit.rank}. ", "bold"), (p.id, "cyan"), ("  " + p.section if p.section else "", "dim"))
    console.print(head)
    zh = highlighted(hit.zh_excerpt or "—", hit.zh_highlights)
    en = highlighted(hit.en_excerpt or "—", hit.en_highlights)
    console.print(_pair(zh, en, console.width))
    console.print()


def render_results(console: Console, results: Results) -> None:
    """A query's hits, or a line saying nothing matched."""
    if not results.hits:
        console.print(Text.assemble(("no match for ", "yellow"), repr(results.query)))
        return
    shown = len(results.hits)
    head = f"{results.total} passages match {results.query!r}; {shown} shown ({results.took_ms:.0f} ms)"
    console.print(Text(head, style="dim"))
    for hit in results.hits:
        render_hit(console, hit)


def render_passages(console: Console, passages: Sequence[Passage], focus: str) -> None:
    """Whole passages, the one asked for in bold and its neighbours dimmed."""
    for p in passages:
        style = "bold" if p.id == focus else "dim"
        console.print(Text.assemble((p.id, "cyan"), (f"  confidence {p.confidence:.2f}  ", "dim"), (p.section, "dim")))
        zh, en = Text(p.zh or "—", style=style, overflow="fold"), Text(p.en or "—", style=style, overflow="fold")
        console.print(_pair(zh, en, console.width))
        console.print()


def render_terms(console: Console, term: str, found: Sequence[Equivalent]) -> None:
    """Glossary rows: each translation with its counts and an example pair."""
    if not found:
        console.print(Text.assemble(("no learned translation for ", "yellow"), repr(term)))
        return
    for e in found:
        console.print(Text.assemble((e.translation, "bold"), (f"  ×{e.count}  dice {e.dice:.2f}", "dim")))
        if e.example:
            console.print(_pair(Text(e.example.zh, overflow="fold"), Text(e.example.en, overflow="fold"), console.width))
        console.print()
