"""Helpers shared by the benchmark scripts: paths, JSONL reading, whitespace-blind matching."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
_SPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    """Text with all whitespace removed, as the evaluation compares it."""
    return _SPACE.sub("", text)


def contains(haystack: str, needle: str) -> bool:
    return squash(needle) in squash(haystack)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
