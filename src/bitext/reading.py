"""Reading documents: find corpus files and turn each into raw text blocks.

Plain text and Markdown are split on blank lines; HTML goes through BeautifulSoup
so that block elements become blocks and table rows keep their cells apart.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .models import Document

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
MAX_BYTES = 64 * 1024 * 1024

_DROPPED_TAGS = ("script", "style", "nav", "head", "noscript", "template")
_BLOCK_TAGS = (
    "p", "div", "section", "article", "main", "header", "footer", "aside",
    "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "blockquote", "pre",
    "figure", "figcaption", "caption", "tr", "table", "ul", "ol", "dl", "hr",
)
_BLANK_LINE = re.compile(r"\n[ \t\u3000\xa0]*\n")
_MD_MARKUP = re.compile(r"^(?:#{1,6}\s+|>\s?)", re.MULTILINE)


@dataclass(frozen=True)
class CorpusFile:
    """A file of the corpus and the name it goes by (its path under the corpus)."""

    name: str
    path: Path


def list_corpus(corpus: Path) -> tuple[list[CorpusFile], list[str]]:
    """Return the readable documents under `corpus` and warnings for the files skipped."""
    if not corpus.is_dir():
        raise InputError(f"corpus folder not found: {corpus} (set --corpus or BITEXT_CORPUS)")
    files: list[CorpusFile] = []
    skipped: list[str] = []
    seen: set[Path] = set()
    for path in sorted(corpus.rglob("*")):
        name = path.relative_to(corpus).as_posix()
        if any(part.startswith(".") for part in path.relative_to(corpus).parts):
            continue
        try:
            if not path.is_file():
                continue
            real = path.resolve(strict=True)
        except (OSError, RuntimeError) as exc:
            skipped.append(f"{name}: cannot be resolved ({exc.__class__.__name__})")
            continue
        if real in seen:
            skipped.append(f"{name}: same file as another document, skipped")
            continue
        seen.add(real)
        suffix = path.suffix.lower()
        if suffix in TEXT_SUFFIXES or suffix in HTML_SUFFIXES:
            files.append(CorpusFile(name, path))
        else:
            skipped.append(f"{name}: not a .txt, .md or .html document, skipped")
    return files, skipped


def file_digest(data: bytes) -> str:
    """Content hash that decides whether a document must be redone."""
    return hashlib.sha256(data).hexdigest()


def read_bytes(file: CorpusFile) -> bytes:
    """Read a corpus file, refusing what cannot be a document."""
    try:
        size = file.path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"{file.name}: {size // (1024 * 1024)} MB is over the {MAX_BYTES // (1024 * 1024)} MB limit")
        return file.path.read_bytes()
    except OSError as exc:
        raise InputError(f"{file.name}: cannot be read ({exc.strerror or exc})") from exc


def decode(name: str, data: bytes) -> str:
    """Decode UTF-8 (with or without BOM) or UTF-16; detect other encodings."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"{name}: damaged UTF-16 text") from exc
    if b"\x00" in data:
        raise InputError(f"{name}: binary file (contains NUL bytes), skipped")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(f"{name}: undecodable text (not UTF-8, UTF-16, GB18030 or Big5)")
    return str(best)


def split_blocks(text: str) -> list[str]:
    """Cut text on blank lines; keeps the line breaks inside each block."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = (b.strip("\n") for b in _BLANK_LINE.split(text))
    return [b for b in blocks if b.strip()]


def html_blocks(name: str, html: str) -> list[str]:
    """Turn HTML into blocks: one per block element, table cells split by tabs."""
    from bs4 import BeautifulSoup

    try:
        soup = BeautifulSoup(html, "html.parser")
    except Exception as exc:  # html.parser raises assorted errors on broken markup
        raise InputError(f"{name}: malformed HTML ({exc.__class__.__name__})") from exc
    for tag in soup.find_all(_DROPPED_TAGS):
        tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for cell in soup.find_all(("td", "th")):
        cell.insert_after("\t")
    for block in soup.find_all(_BLOCK_TAGS):
        block.insert_before("\n\n")
        block.insert_after("\n\n")
    text = soup.get_text()
    lines = (re.sub(r"[ \t]*\t[ \t]*", "\t", ln).strip(" \t") for ln in text.split("\n"))
    return split_blocks("\n".join(re.sub(r" {2,}", " ", ln) for ln in lines))


def read_document(file: CorpusFile) -> Document:
    """Read one corpus file into a Document, or raise InputError naming it."""
    data = read_bytes(file)
    if not data.strip():
        raise InputError(f"{file.name}: empty file, skipped")
    text = decode(file.name, data)
    if file.path.suffix.lower() in HTML_SUFFIXES:
        blocks = html_blocks(file.name, text)
    else:
        if file.path.suffix.lower() != ".txt":
            text = _MD_MARKUP.sub("", text)
        blocks = split_blocks(text)
    if not blocks:
        raise InputError(f"{file.name}: no text found, skipped")
    return Document(file.name, blocks, file_digest(data))
