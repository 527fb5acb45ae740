"""`bitext shell` answers many queries over one open index, like `search` and `quote` do one at a time."""

from __future__ import annotations

import json
import os
import select
import sys
import time
from pathlib import Path

import pytest

from bitext.api import Bitext

from conftest import Built, Invoke

QUOTE = "你们是用看的,我们是用听的"


def test_piped_queries_get_one_json_line_each(invoke: Invoke, report: Built, report_bt: Bitext) -> None:
    lines = ["芝麻信用", f":quote {QUOTE}", "", "  Carrefour cashier  ", ":q", "老赖"]
    result = invoke("shell", "--json", "--limit", "3", *report.opts(), input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["query"] for a in answers] == ["芝麻信用", QUOTE, "Carrefour cashier"]  # nothing after :q
    expected = [report_bt.search("芝麻信用", limit=3), report_bt.quote(QUOTE, limit=3),
                report_bt.search("Carrefour cashier", limit=3)]
    assert [[h["id"] for h in a["hits"]] for a in answers] == [[h.passage.id for h in r.hits] for r in expected]


def test_a_bad_line_is_reported_in_one_line_and_the_shell_goes_on(invoke: Invoke, report: Built) -> None:
    result = invoke("shell", "--json", *report.opts(), input=":bogus\n:quote ...\n芝麻信用\n")
    assert result.exit_code == 0
    assert [json.loads(line)["query"] for line in result.stdout.splitlines()] == ["芝麻信用"]
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 2 and all(line.startswith("error: ") for line in errors)
    assert ":bogus" in errors[0] and "Traceback" not in result.stderr


def test_help_and_formatted_results(invoke: Invoke, report: Built) -> None:
    result = invoke("shell", "--limit", "1", *report.opts(), input=":help\nCarrefour\n")
    assert result.exit_code == 0
    assert ":quote TEXT" in result.stderr
    assert "passages match 'Carrefour'" in result.stdout and "Carrefour" in result.stdout


def test_the_api_keeps_one_index_open(report: Built) -> None:
    with Bitext(report.corpus, report.index) as bt:
        first = bt.searcher
        bt.search("芝麻信用")
        bt.quote(QUOTE)
        assert bt.searcher is first


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_terminal_prompt_edits_lines_and_keeps_history(report: Built, tmp_path: Path) -> None:
    """At a terminal: a prompt, arrow-key history (readline), and the history file written on exit."""
    import pty

    cache = tmp_path / "cache"
    env = {**os.environ, "BITEXT_CACHE": str(cache), "COLUMNS": "100"}
    pid, fd = pty.fork()
    if pid == 0:  # the child: the real console script on a terminal
        os.execvpe(sys.executable, [sys.executable, "-c", "from bitext.cli import main; main()",
                                    "shell", "--limit", "1", *report.opts()], env)

    def read_until(needle: str, timeout: float = 60.0) -> str:
        seen = ""
        end = time.monotonic() + timeout
        while needle not in seen and time.monotonic() < end:
            if select.select([fd], [], [], 0.1)[0]:
                try:
                    seen += os.read(fd, 65536).decode("utf-8", "replace")
                except OSError:  # the child closed the terminal
                    break
        return seen

    assert "bitext> " in read_until("bitext> ")
    os.write(fd, b"Carrefour\r")
    assert "passages match 'Carrefour'" in read_until("bitext> ")
    os.write(fd, b"\x1b[A\r")  # arrow up recalls the last line
    assert "passages match 'Carrefour'" in read_until("bitext> ")
    os.write(fd, b":q\r")
    read_until("never printed", timeout=5.0)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    history = (cache / "bitext" / "shell-history").read_text(encoding="utf-8").split()
    assert history == ["Carrefour", ":q"]  # readline does not repeat the line just recalled
