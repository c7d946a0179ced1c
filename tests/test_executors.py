"""`claimtrack build --executor dask`: the annotation files are read on a Dask distributed
cluster (a local one here), and the release and the problems are the same as in process."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from distributed import LocalCluster

from claimtrack.executors import DaskExecutor, InProcess
from claimtrack.loading import load_corpus
from claimtrack.validation import run_checks
from claimtrack.validation.streaming import validate_data

from .corpus_copies import grown_fixture


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes() for path in root.rglob("*") if path.is_file()
    }


def _claimtrack(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "claimtrack.cli", *args], capture_output=True, text=True
    )


def _build(root: Path, out: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return _claimtrack("build", "--data", str(root / "data"), "--out", str(out), *options)


@pytest.fixture(scope="module")
def corpus_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The valid fixture grown to six documents' copies (twelve annotation files)."""
    return grown_fixture(tmp_path_factory.mktemp("executor-corpus"), 6)


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as running:
        yield running


def test_dask_build_writes_the_same_bytes(corpus_root: Path, tmp_path: Path) -> None:
    local = _build(corpus_root, tmp_path / "a")
    assert local.returncode == 0, local.stderr
    # no --scheduler: the command starts a local cluster of its own and stops it
    dask = _build(corpus_root, tmp_path / "b", "--executor", "dask")
    assert dask.returncode == 0, dask.stderr
    first, second = _tree(tmp_path / "a"), _tree(tmp_path / "b")
    assert "claimtrack-1.2.3/manifest.json" in first  # a release was written, not nothing
    assert first == second


def test_the_local_cluster_leaves_the_usual_dask_port_alone(
    corpus_root: Path, tmp_path: Path
) -> None:
    """Port 8787 taken (by another Dask cluster, say): the build's own cluster says nothing
    of it on stderr (it once printed Dask's warning that it had taken another port)."""
    with socket.socket() as taken:
        taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            taken.bind(("", 8787))
            taken.listen()
        except OSError:
            pass  # taken already: the case to test
        dask = _build(corpus_root, tmp_path / "out", "--executor", "dask")
    assert dask.returncode == 0, dask.stderr
    assert "8787" not in dask.stderr and "warn" not in dask.stderr.lower(), dask.stderr


def test_dask_build_on_a_running_scheduler(
    corpus_root: Path, cluster: LocalCluster, tmp_path: Path
) -> None:
    local = _build(corpus_root, tmp_path / "a")
    address = cluster.scheduler_address
    remote = _build(corpus_root, tmp_path / "b", "--executor", "dask", "--scheduler", address)
    assert (local.returncode, remote.returncode) == (0, 0), remote.stderr
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")


def test_dask_reports_the_same_problems(
    corpus_root: Path, cluster: LocalCluster, tmp_path: Path
) -> None:
    root = tmp_path / "broken"
    shutil.copytree(corpus_root, root)
    documents = root / "data" / "documents"
    # a quote that is not in the text, a file that does not parse, a claim with a bad date
    note = documents / "short-note-2.yaml"
    text = note.read_text(encoding="utf-8")
    note.write_text(text.replace("exact: ", "exact: Not in the text ", 1), encoding="utf-8")
    (documents / "short-note-3.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    piece = documents / "second-piece-4.yaml"
    piece.write_text(
        piece.read_text(encoding="utf-8").replace("claims:\n", "claims:\n- {id: x}\n", 1),
        encoding="utf-8",
    )
    in_process = run_checks(load_corpus(root / "data", executor=InProcess()))
    with DaskExecutor(cluster.scheduler_address) as executor:
        on_cluster = run_checks(load_corpus(root / "data", executor=executor))
    codes = {issue.code for issue in in_process}
    assert {"QUOTE_NOT_FOUND", "YAML_SYNTAX"} <= codes, sorted(codes)
    assert on_cluster == in_process


def test_dask_checks_names_against_the_indexed_registries(
    corpus_root: Path, cluster: LocalCluster, tmp_path: Path
) -> None:
    """The agents' and topics' ids are an index on disk here; a Dask worker gets their keys."""
    root = tmp_path / "misnamed"
    shutil.copytree(corpus_root, root)
    note = root / "data" / "documents" / "short-note-2.yaml"
    text = note.read_text(encoding="utf-8")
    misnamed = text.replace("claimant_id: historians", "claimant_id: historianz", 1)
    note.write_text(misnamed, encoding="utf-8")
    in_process = validate_data(root / "data", InProcess())
    with DaskExecutor(cluster.scheduler_address) as executor:
        on_cluster = validate_data(root / "data", executor)
    unknown = [issue for issue in in_process if issue.code == "UNKNOWN_REFERENCE"]
    assert unknown and "did you mean 'historians'?" in unknown[0].message
    assert on_cluster == in_process


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_scheduler_is_a_usage_error(corpus_root: Path, tmp_path: Path) -> None:
    address = f"tcp://127.0.0.1:{_closed_port()}"
    done = _build(corpus_root, tmp_path / "out", "--executor", "dask", "--scheduler", address)
    assert done.returncode == 2
    assert "could not start or reach the Dask scheduler" in done.stderr and address in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_scheduler_needs_the_dask_executor(corpus_root: Path, tmp_path: Path) -> None:
    done = _build(corpus_root, tmp_path, "--scheduler", "x")
    assert done.returncode == 2 and "--scheduler needs --executor dask" in done.stderr
