"""Encodings and junk: every encoding a bilingual corpus comes in reads right; awkward files are skipped by name.

Real files in temporary folders, read by the real reader and built by the real
CLI; nothing of the file system is mocked.
"""

from __future__ import annotations

import json
import os
import stat
import struct
import zlib
from pathlib import Path

import pytest

from bitext.api import Bitext
from bitext.errors import InputError
from bitext.reading import CorpusFile, list_corpus, read_document, split_blocks

from conftest import REPORT, Invoke, paragraphs, write

REPORT_PARAGRAPHS = REPORT.read_text(encoding="utf-8").split("\n\n")
BILINGUAL = "\n\n".join(REPORT_PARAGRAPHS[44:62])  # the CEO's letter: 2,300 characters, mostly Chinese
ENGLISH = "\n\n".join(p for p in REPORT_PARAGRAPHS[300:500] if "“" in p and p.encode("cp1252", "ignore") == p.encode("cp1252", "replace"))[:3000]
SMALL = paragraphs(
    "一个公司老板因为被列入法院“老赖”黑名单，买不了返程机票。",
    "A company boss could not buy a return ticket because he was on the court's blacklist of dishonest debtors.",
)


def traditional(text: str) -> str:
    """Taiwan-standard traditional characters, all of which Big5 encodes."""
    import opencc

    return opencc.OpenCC("s2tw").convert(text)


def blocks_of(tmp_path: Path, name: str, data: bytes) -> list[str]:
    path = tmp_path / name
    path.write_bytes(data)
    return read_document(CorpusFile(name, path)).blocks


# -- 1. encodings ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "codec",
    ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "gb18030", "gbk"],
)
def test_unicode_and_gb_encodings_of_a_real_letter_decode_exactly(tmp_path: Path, codec: str) -> None:
    """With or without a byte-order mark; GB18030 and GBK through charset-normalizer."""
    data = BILINGUAL.encode(codec)
    assert blocks_of(tmp_path, "letter.txt", data) == split_blocks(BILINGUAL)


@pytest.mark.parametrize("codec", ["big5", "cp950"])
def test_big5_traditional_letter_decodes_exactly(tmp_path: Path, codec: str) -> None:
    text = traditional(BILINGUAL)
    assert "臺" in text and text != BILINGUAL
    assert blocks_of(tmp_path, "letter.txt", text.encode(codec)) == split_blocks(text)


@pytest.mark.parametrize("size", [150, 400, 1200])
def test_short_chinese_excerpts_in_gb18030_and_big5_decode_exactly(tmp_path: Path, size: int) -> None:
    """Shorter files leave detection less to go on; chosen from the letter's Chinese paragraphs."""
    zh = BILINGUAL[BILINGUAL.index("一位卖牛肉干") :][:size]
    assert blocks_of(tmp_path, "gb.txt", zh.encode("gb18030")) == split_blocks(zh)
    big5 = traditional(zh)
    assert blocks_of(tmp_path, "big5.txt", big5.encode("big5")) == split_blocks(big5)


def test_english_in_windows_1252_is_not_taken_for_chinese(tmp_path: Path) -> None:
    """Curly quotes in cp1252 are valid GB18030 byte pairs; the English reading must win."""
    assert "“" in ENGLISH and len(ENGLISH) > 2000
    assert blocks_of(tmp_path, "en.txt", ENGLISH.encode("cp1252")) == split_blocks(ENGLISH)


def test_big5_traditional_document_answers_simplified_queries_and_quotes(invoke: Invoke, tmp_path: Path) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    text = traditional(BILINGUAL)
    (corpus / "letter-big5.txt").write_bytes(text.encode("big5"))
    opts = ["--corpus", str(corpus), "--index", str(index), "--json"]
    found = invoke("search", "蚂蚁金服", *opts)  # simplified; the document writes 螞蟻金服
    assert found.exit_code == 0, found.stderr
    hit = json.loads(found.stdout)["hits"][0]
    assert "螞蟻金服" in hit["zh"] and hit["doc"] == "letter-big5.txt"
    quoted = invoke("quote", "她很可能创造了全球金融史两项新纪录", *opts)
    assert quoted.exit_code == 0, quoted.stderr
    assert "她很可能創造了全球金融史兩項新紀錄" in json.loads(quoted.stdout)["hits"][0]["zh"]


def test_damaged_utf16_is_skipped_by_name(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"odd\.txt: damaged UTF-16"):
        blocks_of(tmp_path, "odd.txt", "蚂蚁".encode("utf-16") + b"\x00\xd8")


# -- 2. junk and awkward files ------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + bytes(range(256)) * 8
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(range(256)) * 8
MALFORMED = (
    "<html><body><div><p>报告说明<b>加粗<i>未闭合</div></span></td>"
    "<table><tr><td>贷款<td>Loans</table></tr><p <p>属性混乱</p>"
    "<!-- 注释没有结束 <p>看不到</p>"
)


def make_junk(corpus: Path) -> dict[str, str]:
    """Write every kind of awkward file into `corpus`; returns the warning phrase each must produce."""
    (corpus / "scan.png").write_bytes(PNG)
    (corpus / "photo.txt").write_bytes(JPEG)
    (corpus / "compressed.md").write_bytes(zlib.compress(SMALL.encode()) * 3)
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "blank.md").write_bytes(b" \n\t\n\r\n")
    (corpus / "one-line.txt").write_bytes(("蚂蚁金服 Ant Financial " * 160_000).encode()[: 4 * 1024 * 1024])
    (corpus / "noise.txt").write_bytes(bytes(range(128, 256)) * 40)
    (corpus / "self-loop.txt").symlink_to("self-loop.txt")
    (corpus / "ping.txt").symlink_to("pong.txt")
    (corpus / "pong.txt").symlink_to("ping.txt")
    (corpus / "dangling.md").symlink_to("no-such-file.md")
    (corpus / "sub").mkdir()
    (corpus / "sub" / "back-up").symlink_to("..", target_is_directory=True)
    os.mkfifo(corpus / "pipe.txt")
    (corpus / "memory.txt").symlink_to("/proc/self/mem")  # unreadable even for root: EIO
    return {
        "scan.png": "not a .txt, .md or .html document",
        "photo.txt": "binary file",
        "compressed.md": "undecodable text",
        "empty.txt": "empty file",
        "blank.md": "empty file",
        "one-line.txt": "is data, not paragraphs",
        "noise.txt": "undecodable text",
        "self-loop.txt": "symbolic link loop",
        "ping.txt": "symbolic link loop",
        "pong.txt": "symbolic link loop",
        "dangling.md": "broken symbolic link",
        "sub/back-up/": "link to a folder already read",
        "pipe.txt": "not a regular file",
        "memory.txt": "cannot be read",
    }


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux /proc for an unreadable file")
def test_build_over_junk_finishes_names_each_file_and_counts_them(invoke: Invoke, tmp_path: Path) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    write(corpus / "good.txt", SMALL)
    write(corpus / "broken.html", MALFORMED)
    expected = make_junk(corpus)
    result = invoke("build", "--corpus", str(corpus), "--index", str(index))
    assert result.exit_code == 0, result.stderr
    warnings = [ln for ln in result.stderr.splitlines() if ln.startswith("skipped: ")]
    assert len(warnings) == len(expected), result.stderr
    for name, phrase in expected.items():
        assert any(ln.startswith(f"skipped: {name}: ") and phrase in ln for ln in warnings), (name, result.stderr)
    assert f"{len(expected)} skipped" in result.stdout
    assert "2 documents" in result.stdout and "Traceback" not in result.stderr
    with Bitext(corpus, index) as bt:
        assert bt.search("老赖").hits[0].passage.doc == "good.txt"
        assert {p.doc for p in bt.passages()} == {"good.txt", "broken.html"}
        assert "属性混乱" in " ".join(p.zh for p in bt.passages())


def test_malformed_html_keeps_its_text(tmp_path: Path) -> None:
    blocks = read_document(CorpusFile("broken.html", write(tmp_path / "broken.html", MALFORMED))).blocks
    text = "\n".join(blocks)
    for piece in ("报告说明", "加粗", "未闭合", "贷款", "Loans", "属性混乱"):
        assert piece in text


def test_deeply_nested_html_is_read(tmp_path: Path) -> None:
    path = write(tmp_path / "deep.html", "<div>" * 3000 + "很深的文字" + "</div>" * 3000)
    assert read_document(CorpusFile("deep.html", path)).blocks == ["很深的文字"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode; memory.txt covers EIO instead")
def test_file_without_read_permission_is_skipped_by_name(tmp_path: Path) -> None:
    path = write(tmp_path / "secret.txt", SMALL)
    path.chmod(0)
    try:
        with pytest.raises(InputError, match=r"secret\.txt: cannot be read \(Permission denied\)"):
            read_document(CorpusFile("secret.txt", path))
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_folder_links_are_followed_once_and_a_second_way_in_is_reported(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write(corpus / "real" / "a.txt", SMALL)
    (corpus / "alias").symlink_to("real", target_is_directory=True)
    (corpus / "real" / "loop").symlink_to("..", target_is_directory=True)
    files, skipped = list_corpus(corpus)
    assert [f.name for f in files] == ["alias/a.txt"]
    assert sorted(skipped) == [
        "alias/loop/: link to a folder already read (a loop), skipped",
        "real/: link to a folder already read (a loop), skipped",
    ]


def test_hard_link_to_a_document_is_read_once(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", SMALL)
    os.link(tmp_path / "a.txt", tmp_path / "b.txt")
    files, skipped = list_corpus(tmp_path)
    assert [f.name for f in files] == ["a.txt"]
    assert skipped == ["b.txt: same file as another document, skipped"]


def test_undecodable_and_control_characters_in_file_names_are_escaped(invoke: Invoke, tmp_path: Path) -> None:
    """A Latin-1 file name on a UTF-8 system, and a line break in a name, still give one-line messages."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    (corpus / os.fsdecode(b"caf\xe9.txt")).write_bytes(SMALL.encode())
    (corpus / "two\nlines.png").write_bytes(PNG)
    files, skipped = list_corpus(corpus)
    assert [f.name for f in files] == ["caf\\xe9.txt"]
    assert skipped == ["two\\nlines.png: not a .txt, .md or .html document, skipped"]
    result = invoke("search", "老赖", "--json", "--corpus", str(corpus), "--index", str(index))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["hits"][0]["id"] == "caf\\xe9.txt#0000"
