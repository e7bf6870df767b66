"""The progress bar of long reads: on a terminal with more than PROGRESS_MIN_FILES files, never when piped."""

import io
import os
import subprocess
import sys

import pytest

import opvangkern
from opvangkern import cli


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


SAMPLE_FILES = 34  # the bundled sample's manifest: 10 quota files and 24 realisation files (4 sources × 6 months, issue 12)


def test_the_sample_names_more_files_than_the_threshold():
    assert cli._count_files(None) == SAMPLE_FILES > cli.PROGRESS_MIN_FILES


def test_terminal_gets_a_bar_that_ends_full():
    stream = FakeTerminal()
    dataset = cli._load(None, stream=stream)
    assert not dataset.has_errors and dataset.realisaties.num_rows > 0
    out = stream.getvalue()
    assert "Inlezen" in out
    assert f"{SAMPLE_FILES}/{SAMPLE_FILES}" in out
    assert "bronnen/nidos-2025-12-29.csv" in out  # the file being read is shown
    assert out.endswith("\n")  # the bar's line is finished, later output starts on a new line


def test_pipe_gets_nothing():
    stream = io.StringIO()  # not a terminal
    dataset = cli._load(None, stream=stream)
    assert dataset.opgaven.num_rows > 0
    assert stream.getvalue() == ""


def test_small_dataset_gets_no_bar(monkeypatch):
    monkeypatch.setattr(cli, "PROGRESS_MIN_FILES", SAMPLE_FILES)  # the sample's files are now "not more than"
    stream = FakeTerminal()
    cli._load(None, stream=stream)
    assert stream.getvalue() == ""


def test_unreadable_manifest_gets_no_bar_and_the_usual_error(tmp_path):
    stream = FakeTerminal()
    with pytest.raises(opvangkern.UsageError):
        cli._load(tmp_path, stream=stream)  # no opvangkern.toml: wrong use, reported by load_dataset
    assert stream.getvalue() == ""


def run_cli(*args, stderr):
    return subprocess.run([sys.executable, "-m", "opvangkern.cli", *args], stdout=subprocess.PIPE,
                          stderr=stderr, text=True, timeout=60)


def test_piped_cli_shows_no_bar():
    result = run_cli("dashboard", stderr=subprocess.PIPE)
    assert result.returncode == 0, result.stderr
    assert "Inlezen" not in result.stderr and "Inlezen" not in result.stdout


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_cli_on_a_real_terminal_shows_the_bar_on_stderr_only():
    leader, follower = os.openpty()
    try:
        result = run_cli("check", str(opvangkern.sample_path()), stderr=follower)
        os.close(follower)
        follower = None
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the other side is closed and drained
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        if follower is not None:
            os.close(follower)
        os.close(leader)
    terminal = b"".join(chunks).decode("utf-8", "replace")
    assert result.returncode == 0
    assert "Inlezen" in terminal and f"{SAMPLE_FILES}/{SAMPLE_FILES}" in terminal
    assert "Inlezen" not in result.stdout  # stdout (piped here) stays clean for scripts
