"""Fuzzed queries: whatever a user types, search and quote exit 0, 1 or 2, never with a traceback.

Property tests (hypothesis) through the real command line (typer's CliRunner)
over the shipped report's index: arbitrary Unicode, Whoosh syntax characters,
rich markup, emoji, control characters, lone surrogates (an argument that was
not valid UTF-8) and very long input.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from bitext.cli import app

from conftest import Built

SYNTAX = [
    '"', "'", ":", "(", ")", "[", "]", "{", "}", "^", "~", "*", "?", "+", "-", "!", "\\", "/", "“", "”",
    "AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO", "zh:", "en:", "doc:", "id:", "order:", "[a TO z]",
    "{1 TO}", "*:*", "^2", "~3", "[/x]", "[bold]", ":smile:", "%s", "{0}", "\\u0000", "<b>", "&amp;",
]
WORDS = ["芝麻信用", "老赖", "蚂蚁", "Alipay", "credit", "loans", "2016", "9.67亿", "蘆花雞", "the", "a"]
FUZZ = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

token = st.one_of(
    st.sampled_from(SYNTAX),
    st.sampled_from(WORDS),
    st.sampled_from([" ", "  ", "\t", "\u3000", "\n", "\r", "\x00", "\x1b[31m", "\u202e", "\ufeff", "\u200b"]),
    st.sampled_from(["😀", "👍🏽", "🇨🇳", "𠮷", "\U000e0001", "\uffff", "\udcff", "\ud800"]),
    st.characters(),
    st.text(max_size=8),
)
queries = st.one_of(
    st.text(min_size=1, max_size=60),
    st.lists(token, min_size=1, max_size=25).map("".join),
    st.tuples(st.lists(token, min_size=1, max_size=4).map("".join), st.integers(100, 2000)).map(
        lambda t: (t[0] * t[1])[:5000]
    ),
)


def check(result: Result) -> None:
    """Exit 0, 1 or 2; a failure is one line on stderr; nothing escapes as a traceback."""
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.stderr, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.stdout + result.stderr
    if result.exit_code == 2:
        assert len([ln for ln in result.stderr.splitlines() if ln.strip()]) == 1, result.stderr


def run(report: Built, *args: str) -> Result:
    return CliRunner().invoke(app, [*args, *report.opts()])


@FUZZ
@given(query=queries)
def test_fuzzed_search_exits_0_1_or_2(report: Built, query: str) -> None:
    result = run(report, "search", "--json", "--limit", "3", "--", query)
    check(result)
    if result.exit_code == 0:
        assert json.loads(result.stdout)["hits"]


@FUZZ
@given(query=queries)
def test_fuzzed_search_rendered_for_a_terminal_exits_0_1_or_2(report: Built, query: str) -> None:
    check(run(report, "search", "--limit", "2", "--", query))


@FUZZ
@given(query=queries)
def test_fuzzed_quote_exits_0_1_or_2(report: Built, query: str) -> None:
    check(run(report, "quote", "--json", "--", query))


@FUZZ
@given(query=queries, lang=st.sampled_from(["auto", "zh", "en", "fr", ""]), doc=st.sampled_from(["", "x.txt", "[/x]"]))
def test_fuzzed_options_exit_0_1_or_2(report: Built, query: str, lang: str, doc: str) -> None:
    extra = ["--doc", doc] if doc else []
    check(run(report, "search", "--lang", lang, *extra, "--", query))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(queries, min_size=1, max_size=4))
def test_fuzzed_query_files_exit_0_1_or_2(report: Built, lines: list[str]) -> None:
    text = "\n".join(lines).encode("utf-8", "surrogatepass").decode("utf-8", "replace") + "\n"
    for command in ("search", "quote"):
        check(CliRunner().invoke(app, [command, "--file", "-", "--json", *report.opts()], input=text))


def test_very_long_queries(report: Built) -> None:
    """Ten thousand characters searched, a hundred thousand quoted (Whoosh's parser is quadratic in a long word)."""
    for query in ("老赖" * 5_000, "credit " * 1_500, "(" * 10_000, "a:" * 5_000):
        check(run(report, "search", "--json", "--", query))
    for query in ("老赖" * 50_000, "credit " * 15_000, "(" * 100_000):
        check(run(report, "quote", "--json", "--", query))
