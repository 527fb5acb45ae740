"""A cold `bitext search --json` process loads only what a query needs, and answers as a warm one does."""

from __future__ import annotations

import json
import subprocess
import sys

from bitext.api import Bitext

from conftest import Built

HEAVY = ("jieba", "rich", "pydantic")  # a jieba dictionary load, terminal rendering, typer>=0.29's validation
RUN_CLI = f"""
import json, sys
from bitext.cli import main
sys.argv = ["bitext", *sys.argv[1:]]
try:
    main()
except SystemExit as exc:
    code = exc.code
print("LOADED " + json.dumps([m for m in {HEAVY!r} if m in sys.modules]), file=sys.stderr)
sys.exit(code)
"""
QUERIES = ["芝麻信用 老赖", "Carrefour cashier", "蘆花雞", '"经济发展"', "c++ 9.67亿 1777天", "zebras OR 肉苁蓉"]


def cold_cli(*args: str, stdin: str = "") -> tuple[int, str, list[str]]:
    """Run the CLI in a fresh interpreter: exit code, stdout, and which heavy modules it imported."""
    run = subprocess.run([sys.executable, "-c", RUN_CLI, *args], input=stdin, capture_output=True, text=True)
    loaded = json.loads(run.stderr.rsplit("LOADED ", 1)[1])
    return run.returncode, run.stdout, loaded


def without_timing(results: dict) -> dict:
    return {k: v for k, v in results.items() if k != "took_ms"}


def test_cold_json_search_imports_no_jieba_rich_or_pydantic(report: Built) -> None:
    for query in ("芝麻信用 老赖", "Carrefour cashier"):
        code, out, loaded = cold_cli("search", query, "--json", *report.opts())
        assert code == 0 and json.loads(out)["hits"]
        assert loaded == [], query


def test_cold_quote_imports_no_jieba_rich_or_pydantic(report: Built) -> None:
    code, out, loaded = cold_cli("quote", "你们是用看的,我们是用听的", "--json", *report.opts())
    assert code == 0 and json.loads(out)["total"] >= 1
    assert loaded == []


def test_cold_answers_equal_a_process_that_loaded_jieba(report: Built, report_bt: Bitext) -> None:
    """The cold process cuts on disk, this one with jieba: hits, excerpts and highlights must not differ."""
    code, out, _ = cold_cli("search", "--file", "-", "--json", *report.opts(), stdin="\n".join(QUERIES) + "\n")
    assert code == 0
    cold = [without_timing(json.loads(line)) for line in out.splitlines()]
    warm = [without_timing(json.loads(json.dumps(report_bt.search(q).to_json()))) for q in QUERIES]
    assert cold == warm


def test_terminal_output_still_renders_with_rich(report: Built) -> None:
    code, out, loaded = cold_cli("search", "Carrefour", "--limit", "1", *report.opts())
    assert code == 0 and "Carrefour" in out
    assert loaded == ["rich"]
