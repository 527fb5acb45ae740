"""Killed, interrupted, concurrent builds and damaged indexes, with real processes and real signals.

Builds run as separate `bitext` processes. To stop one at an exact step, a
small harness runs the real CLI and, just before a chosen file is moved into
place (os.replace / os.rename), kills itself with SIGKILL or waits for the
test to let it go on; the other tests stop builds after a delay, as a user would.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bitext.api import Bitext
from bitext.indexing import MANIFEST, NEXT_MANIFEST, BusySummary, quote_key
from bitext.locking import build_lock

from conftest import REPORT, Invoke, assert_one_line_error, paragraphs, write

A1 = paragraphs(
    "一个公司老板因为被列入法院“老赖”黑名单，买不了返程机票。",
    "A company boss could not buy a return ticket because he was on the court's blacklist of dishonest debtors.",
)
A2 = paragraphs(
    "芦花鸡每天产蛋，农民的收入因此增加了。",
    "Luhua chickens lay eggs every day, and the farmers' income has grown.",
)
B = paragraphs("蚂蚁森林让三亿用户种下了真树。", "Ant Forest let three hundred million users plant real trees.")
C = paragraphs("芝麻信用分越高，租车越方便。", "The higher the Zhima Credit score, the easier it is to rent a car.")
OLD = {"a.txt": "老赖", "b.txt": "蚂蚁森林"}  # a word only each document of the first corpus holds
NEW = {"a.txt": "芦花鸡", "c.txt": "芝麻信用"}

HARNESS = '''
import fnmatch, os, signal, sys, time
mode, pattern, release = sys.argv[1:4]

def stopping(move):
    def moved(src, dst, *args, **kwargs):
        if fnmatch.fnmatch(os.path.basename(os.fsdecode(dst)), pattern) and not os.path.exists(release):
            if mode == "kill":
                os.kill(os.getpid(), signal.SIGKILL)
            open(release + ".reached", "w").close()
            while not os.path.exists(release):
                time.sleep(0.02)
        return move(src, dst, *args, **kwargs)
    return moved

os.replace, os.rename = stopping(os.replace), stopping(os.rename)
from bitext.cli import main
sys.argv = ["bitext", *sys.argv[4:]]
main()
'''


class Build:
    """A `bitext` process, its output kept in files (no pipe to fill up)."""

    def __init__(self, tmp: Path, args: list[str], harness: list[str] | None = None) -> None:
        self.out, self.err = tmp / f"out-{id(self)}", tmp / f"err-{id(self)}"
        if harness:
            script = tmp / "harness.py"
            script.write_text(HARNESS, encoding="utf-8")
            command = [sys.executable, str(script), *harness, *args]
        else:
            command = [sys.executable, "-c", "from bitext.cli import main; main()", *args]
        with self.out.open("w") as out, self.err.open("w") as err:
            self.proc = subprocess.Popen(command, stdout=out, stderr=err, start_new_session=True)

    def wait(self) -> int:
        return self.proc.wait(timeout=120)

    @property
    def stdout(self) -> str:
        return self.out.read_text(encoding="utf-8")

    @property
    def stderr(self) -> str:
        return self.err.read_text(encoding="utf-8")


def eventually(condition: Callable[[], bool], what: str, build: Build | None = None) -> None:
    """Wait (up to a minute) until `condition` holds; fail early if `build` ended."""
    deadline = time.monotonic() + 60
    while not condition():
        if build is not None and build.proc.poll() is not None:
            pytest.fail(f"build ended ({build.proc.returncode}) before {what}: {build.stderr}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)


def building(index: Path) -> bool:
    """Whether another process holds the build lock of `index`."""
    with build_lock(index, wait=False) as free:
        return not free


def first_corpus(corpus: Path) -> None:
    write(corpus / "a.txt", A1)
    write(corpus / "b.txt", B)


def second_corpus(corpus: Path) -> None:
    write(corpus / "a.txt", A2)
    (corpus / "b.txt").unlink()
    write(corpus / "c.txt", C)


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    """The first corpus, indexed; then the corpus changed to the second one (not indexed)."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    first_corpus(corpus)
    with Bitext(corpus, index) as bt:
        bt.build()
    second_corpus(corpus)
    return corpus, index


def opts(corpus: Path, index: Path) -> list[str]:
    return ["--corpus", str(corpus), "--index", str(index)]


def answered(corpus: Path, index: Path) -> set[str]:
    """The documents the index answers with, without building, checked to come from one build.

    Manifest, Whoosh passages and quote keys must agree document by document,
    and each document's own word must find it.
    """
    with Bitext(corpus, index) as bt:
        docs = bt.store.manifest()
        passages = {p.id: p for p in bt.passages()}
        keys = list(bt.store.iter_keys())
        assert {p.doc for p in passages.values()} == set(docs)
        assert sum(state.passages for state in docs.values()) == len(passages)
        assert sorted(pid for pid, _, _ in keys) == sorted(passages)
        for pid, zh_key, en_key in keys:
            assert (zh_key, en_key) == (quote_key(passages[pid].zh)[0], quote_key(passages[pid].en)[0])
        view, other = (OLD, NEW) if "b.txt" in docs else (NEW, OLD)
        assert set(view) == set(docs) - {"report.txt"}
        for doc, word in view.items():
            assert doc in {hit.passage.doc for hit in bt.search(word, limit=100).hits}, word
        for word in set(other.values()) - set(view.values()):
            assert all(hit.passage.doc == "report.txt" for hit in bt.search(word, limit=100).hits), word
    return set(docs)


def no_leftovers(index: Path) -> None:
    """After a complete build: one manifest, the key files it names, and older ones only of the build before."""
    assert not (index / NEXT_MANIFEST).exists()
    manifest = json.loads((index / MANIFEST).read_text())
    named = {state["keys"] for state in manifest["documents"].values()}
    on_disk = {p.name for p in (index / "keys").iterdir()}
    assert named <= on_disk
    assert all(int(name[:-len(".jsonl")].rsplit("-", 1)[1]) < manifest["generation"] for name in on_disk - named)


# -- 3. crash-safe builds -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("step", "answers"),
    [
        ("*.jsonl", OLD),  # writing the first document's quote keys
        (NEXT_MANIFEST, OLD),  # the next manifest, before the Whoosh commit
        ("_passages_*.toc", OLD),  # Whoosh's own switch: renaming its new table of contents
        (MANIFEST, NEW),  # committed; moving the next manifest over the current one
        ("equivalents.json", NEW),  # learning the equivalents, after the build
    ],
)
def test_build_killed_at_each_step_leaves_one_whole_index_and_the_next_build_completes(
    invoke: Invoke, tmp_path: Path, built: tuple[Path, Path], step: str, answers: dict[str, str]
) -> None:
    corpus, index = built
    killed = Build(tmp_path, ["build", *opts(corpus, index)], harness=["kill", step, str(tmp_path / "never")])
    assert killed.wait() == -signal.SIGKILL, killed.stderr
    assert answered(corpus, index) == set(answers)
    result = invoke("build", *opts(corpus, index))
    assert result.exit_code == 0, result.stderr
    assert answered(corpus, index) == set(NEW)
    no_leftovers(index)


def test_first_build_killed_leaves_no_index_and_search_builds_one(invoke: Invoke, tmp_path: Path) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    first_corpus(corpus)
    killed = Build(tmp_path, ["build", *opts(corpus, index)], harness=["kill", "_passages_1.toc", str(tmp_path / "x")])
    assert killed.wait() == -signal.SIGKILL
    assert_one_line_error(invoke("show", "a.txt#0000", "--index", str(index)), "bitext build")
    result = invoke("search", "老赖", "--json", *opts(corpus, index))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["hits"][0]["doc"] == "a.txt"


def long_build(corpus: Path) -> None:
    """Give the second corpus the shipped report too: a build of a few seconds."""
    shutil.copy2(REPORT, corpus / "report.txt")


def test_build_killed_by_sigkill_mid_way_leaves_the_previous_index(
    invoke: Invoke, tmp_path: Path, built: tuple[Path, Path]
) -> None:
    corpus, index = built
    long_build(corpus)
    build = Build(tmp_path, ["build", *opts(corpus, index)])
    eventually(lambda: building(index), "the build to start", build)
    time.sleep(0.5)
    build.proc.kill()
    assert build.wait() == -signal.SIGKILL
    assert answered(corpus, index) in (set(OLD), {*NEW, "report.txt"})  # the old one, unless the build was done
    assert not building(index)  # the kernel dropped the lock with the process (its workers hold none)
    result = invoke("build", *opts(corpus, index))
    assert result.exit_code == 0, result.stderr
    assert answered(corpus, index) == {*NEW, "report.txt"}
    no_leftovers(index)


def test_ctrl_c_stops_a_build_with_one_line_and_exit_2(invoke: Invoke, tmp_path: Path, built: tuple[Path, Path]) -> None:
    """SIGINT to the whole process group, as a terminal sends it: the build and its workers."""
    corpus, index = built
    long_build(corpus)
    build = Build(tmp_path, ["build", *opts(corpus, index)])
    eventually(lambda: building(index), "the build to start", build)
    time.sleep(0.5)
    started = time.monotonic()
    os.killpg(build.proc.pid, signal.SIGINT)
    assert build.wait() == 2
    assert time.monotonic() - started < 10, "the build must stop promptly, not finish its documents first"
    assert build.stderr.strip() == "error: interrupted; the index is as the last complete build left it"
    assert build.stdout == ""
    assert answered(corpus, index) in (set(OLD), {*NEW, "report.txt"})
    result = invoke("build", *opts(corpus, index))
    assert result.exit_code == 0, result.stderr
    assert answered(corpus, index) == {*NEW, "report.txt"}


# -- 4. concurrency -------------------------------------------------------------------------


def test_during_a_build_searches_answer_from_the_last_index_and_a_second_build_waits(
    invoke: Invoke, tmp_path: Path, built: tuple[Path, Path]
) -> None:
    corpus, index = built
    release = tmp_path / "release"
    first = Build(tmp_path, ["build", *opts(corpus, index)], harness=["pause", NEXT_MANIFEST, str(release)])
    eventually(lambda: Path(f"{release}.reached").exists(), "the first build to hold the index", first)

    search = invoke("search", "老赖", *opts(corpus, index))
    assert search.exit_code == 0, search.stderr
    said = " ".join(search.stderr.split())  # rich wraps the line to the terminal width
    assert f"not yet: another build of {index} is in progress; answering from the last complete index" in said
    assert "a.txt#0000" in search.stdout
    quote = invoke("quote", "买不了返程机票", "--json", *opts(corpus, index))
    assert quote.exit_code == 0, quote.stderr
    assert json.loads(quote.stdout)["hits"][0]["id"] == "a.txt#0000"
    assert invoke("search", "芦花鸡", "--json", *opts(corpus, index)).exit_code == 1
    with Bitext(corpus, index) as bt:
        summary = bt.build()
    assert isinstance(summary, BusySummary) and summary.rebuilt == 0 and summary.documents == 2

    second = Build(tmp_path, ["build", *opts(corpus, index)])
    eventually(lambda: "waiting for another build of" in second.stderr, "the second build to wait", second)
    time.sleep(0.3)
    assert second.proc.poll() is None and first.proc.poll() is None
    release.touch()
    assert first.wait() == 0, first.stderr
    assert second.wait() == 0, second.stderr
    assert "(1 rebuilt" not in second.stdout and "built: 2 documents" in second.stdout
    assert answered(corpus, index) == set(NEW)
    no_leftovers(index)


def test_search_during_the_first_build_says_so_in_one_line(invoke: Invoke, tmp_path: Path) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    first_corpus(corpus)
    release = tmp_path / "release"
    first = Build(tmp_path, ["build", *opts(corpus, index)], harness=["pause", NEXT_MANIFEST, str(release)])
    eventually(lambda: Path(f"{release}.reached").exists(), "the first build to hold the index", first)
    assert_one_line_error(invoke("search", "老赖", *opts(corpus, index)), "another build is creating the index")
    release.touch()
    assert first.wait() == 0, first.stderr
    assert invoke("search", "老赖", *opts(corpus, index)).exit_code == 0


# -- 5. damaged index ---------------------------------------------------------------------


def shift_generation(index: Path) -> None:
    raw = json.loads((index / MANIFEST).read_text())
    raw["generation"] += 5
    (index / MANIFEST).write_text(json.dumps(raw))


def lose_a_key_file(index: Path) -> None:
    next((index / "keys").glob("*.jsonl")).unlink()


def wrong_key_rows(index: Path) -> None:
    for path in (index / "keys").glob("*.jsonl"):
        path.write_text("[1, 2]\n", encoding="utf-8")


def lose_whoosh(index: Path) -> None:
    shutil.rmtree(index / "whoosh")


def truncate_manifest(index: Path) -> None:
    data = (index / MANIFEST).read_bytes()
    (index / MANIFEST).write_bytes(data[: len(data) // 2])


@pytest.mark.parametrize("damage", [shift_generation, lose_a_key_file, wrong_key_rows, truncate_manifest])
def test_damage_is_one_line_naming_the_fix_and_a_plain_build_repairs_it(
    invoke: Invoke, tmp_path: Path, damage: Callable[[Path], None]
) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    first_corpus(corpus)
    assert invoke("build", *opts(corpus, index)).exit_code == 0
    damage(index)
    assert_one_line_error(invoke("quote", "买不了返程机票", *opts(corpus, index)), "bitext build --full")
    result = invoke("build", *opts(corpus, index))
    assert result.exit_code == 0, result.stderr
    assert "(2 rebuilt" in result.stdout
    assert answered(corpus, index) == set(OLD)
    no_leftovers(index)


def test_lost_whoosh_folder_is_rebuilt_by_the_next_search(invoke: Invoke, tmp_path: Path) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    first_corpus(corpus)
    assert invoke("build", *opts(corpus, index)).exit_code == 0
    lose_whoosh(index)
    result = invoke("quote", "买不了返程机票", *opts(corpus, index))
    assert result.exit_code == 0, result.stderr
    assert "index updated: 2 documents (2 rebuilt" in result.stderr
    assert answered(corpus, index) == set(OLD)


def test_garbage_next_manifest_is_ignored_then_cleared(invoke: Invoke, tmp_path: Path) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    first_corpus(corpus)
    assert invoke("build", *opts(corpus, index)).exit_code == 0
    (index / NEXT_MANIFEST).write_text("{half a manif", encoding="utf-8")
    assert invoke("quote", "买不了返程机票", *opts(corpus, index)).exit_code == 0
    write(corpus / "c.txt", C)
    assert invoke("build", *opts(corpus, index)).exit_code == 0
    no_leftovers(index)


def test_index_of_an_older_format_is_rebuilt_on_first_search(invoke: Invoke, tmp_path: Path) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    first_corpus(corpus)
    assert invoke("build", *opts(corpus, index)).exit_code == 0
    raw = json.loads((index / MANIFEST).read_text())
    (index / MANIFEST).write_text(json.dumps({"format": 2, "documents": raw["documents"]}))
    result = invoke("search", "老赖", *opts(corpus, index))
    assert result.exit_code == 0, result.stderr
    assert "index updated: 2 documents (2 rebuilt" in result.stderr


def test_index_path_that_is_a_file_is_one_line(invoke: Invoke, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    first_corpus(corpus)
    (tmp_path / "index").write_text("not a folder")
    for command in (["build"], ["search", "老赖"]):
        assert_one_line_error(invoke(*command, *opts(corpus, tmp_path / "index")))
