"""Reading documents: find corpus files and turn each into raw text blocks.

Plain text and Markdown are split on blank lines; HTML goes through BeautifulSoup
so that block elements become blocks and table rows keep their cells apart.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .models import Document

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
MAX_BYTES = 64 * 1024 * 1024
MAX_LINE = 100_000  # characters; no paragraph is this long: a longer line is data, not text
# Besides UTF, the encodings Chinese and English documents come in, for charset-normalizer to choose from.
LEGACY_ENCODINGS = ["gb18030", "big5", "cp950", "big5hkscs", "cp1252", "latin_1"]
WIDE_ENCODINGS = ["utf_16_le", "utf_16_be", "utf_32_le", "utf_32_be"]
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_UNPRINTABLE = {"Cc", "Zl", "Zp"}

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


def document_name(corpus: Path, path: Path) -> str:
    """A file's name in the corpus: its path under it, undecodable bytes and control characters escaped.

    Names go into one-line messages, passage ids and the manifest, which all need
    printable UTF-8, whatever bytes the file system allowed.
    """
    rel = path.relative_to(corpus).as_posix()
    rel = rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(
        ch.encode("unicode_escape").decode("ascii") if unicodedata.category(ch) in _UNPRINTABLE else ch
        for ch in rel
    )


def list_corpus(corpus: Path) -> tuple[list[CorpusFile], list[str]]:
    """Return the documents under `corpus` and a warning naming each file or folder skipped.

    Hidden files and folders (.git, editor swap files) are left out silently.
    Links to folders are followed, but never back into a folder already walked
    (a link loop); a file reached twice is read once; broken links and link
    loops are reported, never followed.
    """
    if not corpus.is_dir():
        raise InputError(f"corpus folder not found: {corpus} (set --corpus or BITEXT_CORPUS)")
    files: list[CorpusFile] = []
    skipped: list[str] = []
    walked: set[tuple[int, int]] = set()
    seen: set[tuple[int, int]] = set()

    def unreadable(exc: OSError) -> None:
        folder = document_name(corpus, Path(exc.filename))
        skipped.append(f"{folder}/: folder cannot be read ({exc.strerror}), skipped")

    for folder, subfolders, names in os.walk(corpus, onerror=unreadable, followlinks=True):
        here = Path(folder)
        try:
            st = here.stat()
        except OSError as exc:
            unreadable(exc)
            subfolders.clear()
            continue
        if (st.st_dev, st.st_ino) in walked:
            skipped.append(f"{document_name(corpus, here)}/: link to a folder already read (a loop), skipped")
            subfolders.clear()
            continue
        walked.add((st.st_dev, st.st_ino))
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for entry in sorted(n for n in names if not n.startswith(".")):
            path = here / entry
            name = document_name(corpus, path)
            if path.suffix.lower() not in TEXT_SUFFIXES | HTML_SUFFIXES:
                skipped.append(f"{name}: not a .txt, .md or .html document, skipped")
                continue
            try:
                st = path.stat()
            except OSError as exc:
                skipped.append(f"{name}: {_unreachable(path, exc)}, skipped")
                continue
            if (st.st_dev, st.st_ino) in seen:
                skipped.append(f"{name}: same file as another document, skipped")
                continue
            seen.add((st.st_dev, st.st_ino))
            files.append(CorpusFile(name, path))
    return sorted(files, key=lambda f: f.name), skipped


def _unreachable(path: Path, exc: OSError) -> str:
    """Why a listed file cannot be opened, in words."""
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if path.is_symlink():
        return "broken symbolic link"
    return f"cannot be read ({exc.strerror or exc})"


def file_digest(data: bytes) -> str:
    """Content hash that decides whether a document must be redone."""
    return hashlib.sha256(data).hexdigest()


def read_bytes(file: CorpusFile) -> bytes:
    """Read a corpus file, refusing what cannot be a document (too big, not a regular file, unreadable)."""
    try:
        st = file.path.stat()
        if not stat.S_ISREG(st.st_mode):
            raise InputError(f"{file.name}: not a regular file (a pipe, socket or device), skipped")
        if st.st_size > MAX_BYTES:
            mb = 1024 * 1024
            raise InputError(f"{file.name}: {st.st_size // mb} MB is over the {MAX_BYTES // mb} MB limit, skipped")
        return file.path.read_bytes()
    except OSError as exc:
        raise InputError(f"{file.name}: cannot be read ({exc.strerror or exc}), skipped") from exc


def decode(name: str, data: bytes) -> str:
    """Decode a document: a byte-order mark or valid UTF-8 decides; otherwise charset-normalizer detects.

    Detection chooses among the encodings Chinese and English documents come in
    (LEGACY_ENCODINGS), so that text in GB18030, Big5 or Windows-1252 is not
    taken for Korean or Baltic. Data holding NUL bytes is text only as UTF-16
    or UTF-32 without a byte-order mark, in which the library recognises a language.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: damaged {codec.upper()} text, skipped") from exc
    from charset_normalizer import from_bytes

    if b"\x00" in data:
        wide = from_bytes(data, cp_isolation=WIDE_ENCODINGS).best()
        if wide is None or not wide.coherence:
            raise InputError(f"{name}: binary file (contains NUL bytes), skipped")
        return str(wide)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=LEGACY_ENCODINGS).best()
    if best is None:
        raise InputError(f"{name}: undecodable text (not UTF-8, UTF-16, GB18030, Big5 or Windows-1252), skipped")
    return str(best)


def split_blocks(text: str) -> list[str]:
    """Cut text on blank lines (and page breaks, which PDF extraction writes as form feeds)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n").replace("\v", "\n\n")
    blocks = (b.strip("\n") for b in _BLANK_LINE.split(text))
    return [b for b in blocks if b.strip()]


def html_blocks(name: str, html: str) -> list[str]:
    """Turn HTML into blocks: one per block element, table cells split by tabs."""
    from bs4 import BeautifulSoup

    try:
        soup = BeautifulSoup(html, "html.parser")
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
    except Exception as exc:  # html.parser and bs4 raise assorted errors (even RecursionError) on broken markup
        raise InputError(f"{name}: malformed HTML ({exc.__class__.__name__}), skipped") from exc
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
    longest = max(len(line) for block in blocks for line in block.split("\n"))
    if longest > MAX_LINE:
        raise InputError(
            f"{file.name}: a line of {longest:,} characters (over {MAX_LINE:,}) is data, not paragraphs; skipped"
        )
    return Document(file.name, blocks, file_digest(data))
