"""Reading: corpus listing, text/Markdown/HTML into blocks, and refusing what is not a document."""

from __future__ import annotations

from pathlib import Path

import pytest

from bitext.errors import InputError
from bitext.reading import CorpusFile, file_digest, list_corpus, read_document

from conftest import write


def read(path: Path) -> list[str]:
    return read_document(CorpusFile(path.name, path)).blocks


def test_txt_splits_on_blank_lines_and_keeps_inner_line_breaks(tmp_path: Path) -> None:
    path = write(
        tmp_path / "a.txt",
        "第一段第一行\n第一段第二行\n \t \nSecond block\nwrapped here\r\n\r\n\n\nThird\n\u3000\n",
    )
    assert read(path) == ["第一段第一行\n第一段第二行", "Second block\nwrapped here", "Third"]


def test_document_records_content_digest(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "内容\n")
    doc = read_document(CorpusFile("a.txt", path))
    assert doc.name == "a.txt"
    assert doc.digest == file_digest(path.read_bytes())
    write(path, "内容改了\n")
    assert read_document(CorpusFile("a.txt", path)).digest != doc.digest


def test_markdown_heading_and_quote_markers_dropped(tmp_path: Path) -> None:
    path = write(tmp_path / "b.md", "# 标题 Title\n\n> 引用的中文\n\nPlain *text* here\n")
    assert read(path) == ["标题 Title", "引用的中文", "Plain *text* here"]


def test_txt_keeps_hash_signs(tmp_path: Path) -> None:
    path = write(tmp_path / "c.txt", "# not a heading in plain text\n")
    assert read(path) == ["# not a heading in plain text"]


def test_utf8_bom_utf16_and_gb18030_decoded(tmp_path: Path) -> None:
    bom = tmp_path / "bom.txt"
    bom.write_bytes("\ufeff芝麻信用\n\nZhima Credit".encode("utf-8"))
    assert read(bom) == ["芝麻信用", "Zhima Credit"]
    u16 = tmp_path / "u16.txt"
    u16.write_bytes("蚂蚁金服\n\nAnt Financial\n".encode("utf-16"))
    assert read(u16) == ["蚂蚁金服", "Ant Financial"]
    gb = tmp_path / "gb.txt"
    gb.write_bytes("简体中文段落，用来测试编码检测是否可靠。\n\n第二段内容也是简体中文，篇幅稍长一些。".encode("gb18030"))
    assert read(gb) == ["简体中文段落，用来测试编码检测是否可靠。", "第二段内容也是简体中文，篇幅稍长一些。"]


HTML = """<!DOCTYPE html>
<html><head><title>页面标题不要</title><style>p { color: red }</style></head>
<body>
<nav><a href="/">首页 Home</a> <a href="/about">关于 About</a></nav>
<script>var secret = "脚本不要";</script>
<h1>第一章 信用</h1>
<p>这是第一段，讲的是信用。<br>第二行。</p>
<p>This is the first paragraph, <b>about</b> credit.</p>
<div>块元素<span>里的内联</span>文字</div>
<table>
  <tr><th>项目</th><th>Item</th></tr>
  <tr><td>贷款</td><td>Loans</td><td>3,794</td></tr>
</table>
<ul><li>列表一</li><li>List item two</li></ul>
<noscript>请启用脚本</noscript>
</body></html>
"""


def test_html_blocks(tmp_path: Path) -> None:
    blocks = read(write(tmp_path / "page.html", HTML))
    assert blocks == [
        "第一章 信用",
        "这是第一段，讲的是信用。\n第二行。",
        "This is the first paragraph, about credit.",
        "块元素里的内联文字",
        "项目\tItem",
        "贷款\tLoans\t3,794",
        "列表一",
        "List item two",
    ]


def test_html_drops_script_style_nav_head(tmp_path: Path) -> None:
    text = "\n".join(read(write(tmp_path / "page.htm", HTML)))
    for dropped in ("页面标题不要", "color", "脚本不要", "secret", "首页", "About", "请启用脚本"):
        assert dropped not in text


def test_list_corpus_finds_nested_documents_and_skips_others_with_a_warning(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "a")
    write(tmp_path / "sub" / "b.HTML", "<p>b</p>")
    write(tmp_path / "sub" / "c.md", "c")
    write(tmp_path / ".hidden" / "d.txt", "hidden folder")
    write(tmp_path / ".e.txt", "hidden file")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "data.docx").write_bytes(b"PK\x03\x04")
    files, skipped = list_corpus(tmp_path)
    assert [f.name for f in files] == ["a.txt", "sub/b.HTML", "sub/c.md"]
    assert len(skipped) == 2
    assert any("scan.pdf" in w and "skipped" in w for w in skipped)
    assert any("data.docx" in w for w in skipped)


def test_list_corpus_missing_folder_is_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="corpus folder not found"):
        list_corpus(tmp_path / "nope")


@pytest.mark.parametrize("content", [b"", b"   \n\n\t \n"])
def test_empty_file_is_input_error_naming_it(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "blank-notes.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=r"blank-notes\.txt.*empty"):
        read(path)


def test_binary_file_with_nul_bytes_is_input_error(tmp_path: Path) -> None:
    path = tmp_path / "disguised.txt"
    path.write_bytes(b"PK\x03\x04\x00\x00binary\x00stuff")
    with pytest.raises(InputError, match=r"disguised\.txt.*binary"):
        read(path)


def test_html_without_text_is_input_error(tmp_path: Path) -> None:
    path = write(tmp_path / "empty.html", "<html><head><title>t</title></head><body><script>x()</script></body></html>")
    with pytest.raises(InputError, match=r"empty\.html.*no text"):
        read(path)
