"""Edge cases at the CLI boundary: markup in user text, control characters in TMX, missing tables and index."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from bitext.api import Bitext
from bitext.learning import EQUIVALENTS, PINYIN
from conftest import Built, Invoke, assert_one_line_error, one_document, paragraphs, write

ZH = "员工满意度调查显示，百分之九十的员工愿意推荐公司。"
EN = "The employee satisfaction survey shows that ninety percent of employees would recommend the company."


@pytest.fixture
def small(tmp_path: Path) -> Built:
    return one_document(tmp_path, "a.txt", ZH, EN)


@pytest.mark.parametrize("args", [["search", "[/x] zzz"], ["terms", "[/x]"], ["search", "[bold]zzz"]])
def test_markup_in_a_query_is_text(invoke: Invoke, small: Built, args: list[str]) -> None:
    result = invoke(*args, *small.opts())
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert args[1] in result.stdout


def test_markup_in_an_output_path_is_text(invoke: Invoke, small: Built, tmp_path: Path) -> None:
    assert invoke("build", *small.opts()).exit_code == 0
    target = tmp_path / "o[red]y[x].jsonl"
    result = invoke("export", "-o", str(target), *small.opts())
    assert result.exit_code == 0 and target.exists()
    assert str(target) in result.stderr
    missing = tmp_path / "no[/x]" / "a.jsonl"
    assert_one_line_error(invoke("export", "-o", str(missing), *small.opts()), str(missing))


def test_control_characters_export_as_well_formed_tmx(invoke: Invoke, tmp_path: Path) -> None:
    built = Built(tmp_path / "corpus", tmp_path / "index")
    write(built.corpus / "c.txt", paragraphs("员工满意度\x01调查显示，百分之九十的员工愿意推荐公司。", EN + "\x0e"))
    assert invoke("build", *built.opts()).exit_code == 0
    result = invoke("export", "--format", "tmx", *built.opts())
    assert result.exit_code == 0
    root = ET.fromstring(result.stdout.split("\n", 1)[1])
    placeholders = [ph.text for ph in root.iter("ph")]
    assert placeholders == ["U+0001", "U+000E"]


def test_form_feed_is_a_page_break(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write(corpus / "f.txt", ZH + "\f" + EN + "\n")
    with Bitext(corpus, tmp_path / "index") as bt:
        bt.build()
        [passage] = list(bt.passages())
    assert (passage.zh, passage.en) == (ZH, EN)


def test_missing_index_says_to_build_one(invoke: Invoke, tmp_path: Path) -> None:
    for command in (["stats"], ["export"], ["show", "a.txt#0000"]):
        assert_one_line_error(invoke(*command, "--index", str(tmp_path / "none")), "bitext build")


def test_learned_tables_are_rebuilt_when_missing(small: Built) -> None:
    with Bitext(small.corpus, small.index) as bt:
        bt.build()
    for name in (EQUIVALENTS, PINYIN):
        (small.index / name).unlink()
    with Bitext(small.corpus, small.index) as bt:
        assert bt.refresh() is None
        assert bt.search("yuangong", pinyin=True).hits
    assert json.loads((small.index / EQUIVALENTS).read_text(encoding="utf-8"))["zh"] is not None


def test_broken_pipe_ends_quietly(small: Built) -> None:
    exe = shutil.which("bitext")
    if exe is None:
        pytest.skip("the console script is not installed")
    with Bitext(small.corpus, small.index) as bt:
        bt.build()
    proc = subprocess.Popen(
        [exe, "export", "--format", "tsv", *small.opts()], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "BITEXT_CACHE": str(small.index.parent / "cache")},
    )
    assert proc.stdout is not None
    proc.stdout.close()  # the reader goes away before the writer has written
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 2 and b"Traceback" not in err and b"error" not in err
