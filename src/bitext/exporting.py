"""Exporting passages: JSON lines, TSV for spreadsheets, TMX 1.4b for CAT tools.

Exported text is the document's own text, unchanged.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import TextIO
from xml.etree import ElementTree as ET

from . import __version__
from .errors import InputError
from .models import Passage

_NOT_XML = re.compile("([\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff])")


def write_jsonl(passages: Iterable[Passage], out: TextIO) -> int:
    """One JSON object a passage, the document's text unchanged."""
    n = 0
    for p in passages:
        out.write(json.dumps(p.to_json(), ensure_ascii=False) + "\n")
        n += 1
    return n


def _cell(text: str) -> str:
    """TSV cells cannot hold tabs or line breaks; they become spaces."""
    return " ".join(text.split())


def write_tsv(passages: Iterable[Passage], out: TextIO) -> int:
    """A header and one row a passage, for spreadsheets (line breaks folded to spaces)."""
    out.write("id\tdoc\tsection\tzh\ten\tconfidence\n")
    n = 0
    for p in passages:
        out.write("\t".join([p.id, p.doc, _cell(p.section), _cell(p.zh), _cell(p.en), str(p.confidence)]) + "\n")
        n += 1
    return n


def _segment(seg: ET.Element, text: str) -> None:
    """The text of a <seg>; characters XML cannot carry become <ph> placeholders naming them."""
    parts = _NOT_XML.split(text)
    seg.text = parts[0]
    for i in range(1, len(parts), 2):
        ph = ET.SubElement(seg, "ph", type="x-control")
        ph.text = f"U+{ord(parts[i]):04X}"
        ph.tail = parts[i + 1]


def write_tmx(passages: Iterable[Passage], out: TextIO) -> int:
    """TMX 1.4b: one <tu> per passage that has both sides."""
    tmx = ET.Element("tmx", version="1.4")
    ET.SubElement(
        tmx, "header", creationtool="bitext", creationtoolversion=__version__, datatype="plaintext",
        segtype="paragraph", adminlang="en", srclang="zh-CN", **{"o-tmf": "bitext"},
    )
    body = ET.SubElement(tmx, "body")
    segs: list[tuple[ET.Element, str]] = []
    for p in passages:
        if not p.two_sided:
            continue
        tu = ET.SubElement(body, "tu", tuid=p.id)
        ET.SubElement(tu, "prop", type="x-doc").text = p.doc
        for lang, text in (("zh-CN", p.zh), ("en", p.en)):
            tuv = ET.SubElement(tu, "tuv", {"xml:lang": lang})
            segs.append((ET.SubElement(tuv, "seg"), text))
    ET.indent(tmx)  # before the segments are filled, so that no indentation enters their text
    for seg, text in segs:
        _segment(seg, text)
    n = len(segs) // 2
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(tmx, encoding="unicode"))
    out.write("\n")
    return n


WRITERS = {"jsonl": write_jsonl, "tsv": write_tsv, "tmx": write_tmx}


def export(passages: Iterable[Passage], fmt: str, out: TextIO) -> int:
    """Write passages in `fmt`; returns how many were written."""
    if fmt not in WRITERS:
        raise InputError(f"unknown format {fmt!r}: use one of {', '.join(WRITERS)}")
    return WRITERS[fmt](passages, out)
