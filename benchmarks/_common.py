"""Helpers shared by the benchmark scripts: paths, JSONL reading, whitespace-blind matching."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from bitext.api import Bitext

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


def eval_setup(doc: str | None, data_flag: str, data_default: Path) -> tuple[argparse.Namespace, Bitext]:
    """Parse the options every evaluation takes and open its corpus, built or updated first."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(data_flag, type=Path, default=data_default)
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    ap.add_argument("--index", type=Path, default=ROOT / "index")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every miss")
    args = ap.parse_args()
    bt = Bitext(args.corpus, args.index)
    bt.refresh()
    return args, bt
