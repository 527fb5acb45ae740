"""Shared fixtures: small corpora written per test, and the shipped report indexed once per session."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from bitext.aligning import align_document
from bitext.api import Bitext
from bitext.cli import app
from bitext.models import Passage
from bitext.reading import CorpusFile, read_document
from bitext.segmenting import segment

ROOT = Path(__file__).resolve().parent.parent
REPORT_NAME = "ant-financial-2016-sustainability-report.txt"
REPORT = ROOT / "corpus" / REPORT_NAME


@pytest.fixture(scope="session", autouse=True)
def _private_jieba_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep jieba's model cache out of the user's home while the suite runs."""
    mp = pytest.MonkeyPatch()
    mp.setenv("BITEXT_CACHE", str(tmp_path_factory.mktemp("cache")))
    yield
    mp.undo()


@dataclass(frozen=True)
class Built:
    """A corpus folder and the index built from it."""

    corpus: Path
    index: Path

    def opts(self) -> list[str]:
        return ["--corpus", str(self.corpus), "--index", str(self.index)]


@pytest.fixture(scope="session")
def report(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The shipped report in its own corpus folder, indexed once for the session (read-only!)."""
    base = tmp_path_factory.mktemp("report")
    corpus = base / "corpus"
    corpus.mkdir()
    shutil.copy2(REPORT, corpus / REPORT_NAME)
    index = base / "index"
    with Bitext(corpus, index) as bt:
        summary = bt.build()
    assert summary.rebuilt == 1 and summary.passages > 100
    return Built(corpus, index)


@pytest.fixture(scope="session")
def report_bt(report: Built) -> Iterator[Bitext]:
    """An open Bitext over the session's report index."""
    bt = Bitext(report.corpus, report.index)
    yield bt
    bt.close()


@pytest.fixture
def report_copy(report: Built, tmp_path: Path) -> Built:
    """A private copy of the report index (same corpus) that a test may damage."""
    index = tmp_path / "index"
    shutil.copytree(report.index, index)
    return Built(report.corpus, index)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


Invoke = Callable[..., Result]


@pytest.fixture
def invoke(runner: CliRunner) -> Invoke:
    """Run the typer app in-process; stdout and stderr are kept apart."""

    def run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        return runner.invoke(app, list(args), input=input, env=env)

    return run


def write(path: Path, text: str) -> Path:
    """Write UTF-8 text, creating parent folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def one_document(tmp_path: Path, name: str, *paras: str) -> Built:
    """A corpus folder holding one document of the given paragraphs, and where its index goes."""
    built = Built(tmp_path / "corpus", tmp_path / "index")
    write(built.corpus / name, paragraphs(*paras))
    return built


def paragraphs(*paras: str) -> str:
    """Paragraphs separated by blank lines, as a text document holds them."""
    return "\n\n".join(paras) + "\n"


def align_text(tmp_path: Path, text: str, name: str = "doc.txt") -> list[Passage]:
    """Read a real file through every stage up to passages."""
    path = write(tmp_path / name, text)
    return align_document(segment(read_document(CorpusFile(name, path))))


def assert_one_line_error(result: Result, *needles: str) -> None:
    """Exit 2, a single line on stderr containing every needle, and no traceback."""
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr, result.exception)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


def pytest_configure(config: pytest.Config) -> None:
    """cn2an warns about numerals it leaves alone; bitext silences it only outside pytest's warning capture."""
    config.addinivalue_line("filterwarnings", "ignore::UserWarning:cn2an.*")
