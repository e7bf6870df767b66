"""Hostile input and hostile surroundings through the command line (SPEC §8): the exit code, the melding,
nothing raw on the terminal, nothing half-written, the previous set intact."""

from __future__ import annotations

import errno
import os
import pty
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from hostile_kit import KCIO_TOTAL, run_cli, write_dataset  # noqa: E402

ESC = b"\x1b"
HOSTILE_NAME = "Drenthe\\u001b]0;gehackt\\u0007\\u001b[2J\\u202e"


def _no_traceback(result) -> None:
    both = result.stdout + result.stderr
    assert b"Traceback" not in both and b"Interne fout" not in both and b"Exception ignored" not in both


def _on_terminal(*args, cwd=None) -> tuple[int, bytes]:
    """``opvangkern ARGS`` with a pseudo-terminal as stdin, stdout and stderr: (exit code, output)."""
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        if cwd:
            os.chdir(cwd)
        os.execv(sys.executable, [sys.executable, "-m", "opvangkern", *map(str, args)])
    chunks = []
    while True:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), b"".join(chunks)


# --- 6. the terminal ---------------------------------------------------------------------------------------

@pytest.fixture
def hostile_text_dataset(tmp_path) -> Path:
    """Escape sequences in the manifest's naam, in a file name and in a data cell."""
    folder = write_dataset(tmp_path / "ds", naam=HOSTILE_NAME,
                           extra='\n[[bron]]\nbron = "coa"\nbestand = "bronnen/\\u001b[2Jweg.csv"\n'
                                 'peildatum = 2025-12-31\n')
    coa = folder / "bronnen" / "coa.csv"
    coa.write_text(coa.read_text(encoding="utf-8").replace("Assen;", "Assen\x1b]0;titel\x07\x1b[2J;", 1),
                   encoding="utf-8")
    return folder


def _assert_shown_not_run(output: bytes) -> None:
    assert b"\x1b]" not in output and b"\x1b[2J" not in output and b"\x07" not in output
    assert "\u202e".encode() not in output
    assert b"\\x1b" in output


def test_check_shows_escape_sequences_piped(hostile_text_dataset):
    result = run_cli("check", hostile_text_dataset)
    assert result.returncode == 1
    _assert_shown_not_run(result.stdout + result.stderr)
    assert b"\\x1b]0;gehackt\\x07\\x1b[2J\\u202e" in result.stdout  # the summary line's dataset name
    _no_traceback(result)


def test_check_shows_escape_sequences_on_a_terminal(hostile_text_dataset):
    code, output = _on_terminal("check", hostile_text_dataset)
    assert code == 1
    _assert_shown_not_run(output)


def test_the_text_view_and_its_header_show_escape_sequences(tmp_path):
    folder = write_dataset(tmp_path / "ds", naam=HOSTILE_NAME)
    result = run_cli("dashboard", folder)
    assert result.returncode == 0, result.stderr
    _assert_shown_not_run(result.stdout)
    code, output = _on_terminal("dashboard", folder)
    assert code == 0
    _assert_shown_not_run(output)
    assert ESC + b"[" in output  # opvangkern's own colours still work on a terminal


def test_an_escape_in_an_argument_is_shown_too():
    result = run_cli("dashboard", "--gebied", "Asen\x1b]0;x\x07")
    assert result.returncode == 2
    assert b"\x1b]" not in result.stderr and b"\\x1b]0;x\\x07" in result.stderr and b"Assen" in result.stderr


# --- 7. output that cannot be written ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    return write_dataset(tmp_path_factory.mktemp("hostile") / "ds")


def test_a_file_where_a_folder_is_needed(dataset, tmp_path):
    target = tmp_path / "uit"
    target.write_bytes(b"van de gebruiker")
    for output in (target, target / "sub"):
        result = run_cli("dashboard", dataset, "--format", "csv", "--output", output)
        assert result.returncode == 2, result.stderr
        assert str(target).encode() in result.stderr and b"bestand" in result.stderr
        _no_traceback(result)
    assert target.read_bytes() == b"van de gebruiker"


def test_a_folder_where_a_file_is_needed(dataset, tmp_path):
    (tmp_path / "pagina.html").mkdir()
    for fmt in ("html", "text"):
        result = run_cli("dashboard", dataset, "--format", fmt, "--output", tmp_path / "pagina.html")
        assert result.returncode == 2
        assert str(tmp_path / "pagina.html").encode() in result.stderr and b"map" in result.stderr
        _no_traceback(result)
    assert list((tmp_path / "pagina.html").iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder")
def test_a_read_only_folder(dataset, tmp_path):
    folder = tmp_path / "alleen-lezen"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = run_cli("dashboard", dataset, "--format", "csv", "--output", folder / "uit")
        assert result.returncode == 2 and b"schrijfrechten" in result.stderr and str(folder).encode() in result.stderr
    finally:
        folder.chmod(0o755)


def _main(args, capsys) -> tuple[int, str]:
    from opvangkern.cli import main

    with pytest.raises(SystemExit) as exited:
        main([str(a) for a in args])
    return exited.value.code, capsys.readouterr().err


def test_a_read_only_folder_in_process(dataset, tmp_path, monkeypatch, capsys):
    # As root (CI containers) permissions do not stop a write: the refusal is simulated where it happens.
    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    code, err = _main(["dashboard", dataset, "--format", "parquet", "--output", tmp_path / "uit"], capsys)
    assert code == 2 and "geen schrijfrechten" in err and str(tmp_path) in err and "Interne fout" not in err
    assert not (tmp_path / "uit").exists()


@pytest.mark.parametrize("fmt", ["csv", "parquet", "html"])
def test_a_full_disk_keeps_the_previous_set(dataset, tmp_path, monkeypatch, capsys, fmt):
    target = tmp_path / ("uit" if fmt != "html" else "pagina.html")
    code, _ = _main(["dashboard", dataset, "--format", fmt, "--output", target], capsys)
    assert code == 0
    before = _snapshot(tmp_path)
    written = {"n": 0}
    real_write = os.write

    def full(fd, data):
        written["n"] += 1
        if written["n"] > 2:  # a few writes succeed, then the disk is full
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data[: max(1, len(data) // 2)])

    monkeypatch.setattr(os, "write", full)
    code, err = _main(["dashboard", dataset, "--format", fmt, "--output", target], capsys)
    monkeypatch.setattr(os, "write", real_write)
    assert code == 2 and "de schijf is vol" in err and str(target) in err and "Interne fout" not in err
    assert _snapshot(tmp_path) == before  # the previous set intact, no temporary file left


@pytest.mark.parametrize("fmt", ["csv", "html"])
def test_an_impossible_output_name(dataset, tmp_path, capsys, fmt):
    code, err = _main(["dashboard", dataset, "--format", fmt, "--output", tmp_path / ("x" * 5000)], capsys)
    assert code == 2 and "kan niet schrijven naar" in err and "de naam is te lang" in err and "Interne fout" not in err
    assert len(err) < 1000  # the path is named, cut
    assert list(tmp_path.iterdir()) == []


def test_an_impossible_output_name_in_python(tmp_path):
    # (A NUL cannot be in a command-line argument; through Python it can.)
    from opvangkern import OutputError

    from opvangkern.output import writers
    for call in (lambda: writers.write_set(tmp_path / "a\x00b", {"t.csv": b"1"}),
                 lambda: writers.write_atomically({tmp_path / "a\x00b.html": b"1"})):
        with pytest.raises(OutputError) as raised:
            call()
        assert "NUL" in str(raised.value)
    assert list(tmp_path.iterdir()) == []


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else b"<map>") for p in sorted(folder.rglob("*"))}


# --- 7. the set is replaced as a whole ----------------------------------------------------------------------

def _other_figures(folder: Path) -> Path:
    """Aa en Hunze realised one Ukraine place more (and the totals row says so)."""
    kcio = folder / "bronnen" / "kcio.csv"
    total = KCIO_TOTAL
    kcio.write_text(kcio.read_text(encoding="utf-8").replace("Aa en Hunze,430", "Aa en Hunze,431").replace(
        f",,{total}", f",,{total + 1}"), encoding="utf-8")
    return folder


KILLED_RUN = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    ready = Path(sys.argv[1])
    real_write = os.write
    def slow(fd, data):  # writes half of the first file, then waits to be killed
        if not ready.exists():
            written = real_write(fd, data[: len(data) // 2])
            ready.touch()
            time.sleep(60)
            return written
        return real_write(fd, data)
    os.write = slow
    from opvangkern.cli import main
    main(sys.argv[2:])
""")


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
@pytest.mark.parametrize("fmt", ["csv", "html"])
def test_a_killed_run_leaves_the_previous_set(tmp_path, how, fmt):
    old = write_dataset(tmp_path / "oud")
    new = _other_figures(write_dataset(tmp_path / "nieuw", naam="Drenthe, nieuwer"))
    out_parent = tmp_path / "uitvoer"
    target = out_parent / ("uit" if fmt == "csv" else "pagina.html")
    assert run_cli("dashboard", old, "--format", fmt, "--output", target).returncode == 0
    before = _snapshot(out_parent)
    ready = tmp_path / "klaar"
    child = subprocess.Popen([sys.executable, "-c", KILLED_RUN, ready, "dashboard", new, "--format", fmt, "--output",
                              target], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not ready.exists():
        assert child.poll() is None and time.monotonic() < deadline, child.communicate()
        time.sleep(0.05)
    time.sleep(0.2)
    child.send_signal(how)
    child.communicate(timeout=60)
    if how != signal.SIGKILL:  # SIGKILL cannot be caught: its temporary folder is removed by the next run
        assert _snapshot(out_parent) == before
    else:
        assert {k: v for k, v in _snapshot(out_parent).items() if not k.startswith(".")} == before
    result = run_cli("dashboard", new, "--format", fmt, "--output", target)
    assert result.returncode == 0, result.stderr
    after = _snapshot(out_parent)
    assert not [name for name in after if name.startswith(".")]  # no .NAAM.*.tmp behind
    assert after != before


CONCURRENT_WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from opvangkern.output import writers
    folder, tag, rounds = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    for i in range(rounds):
        writers.write_set(folder, {f"tabel{n}.csv": f"{tag} {i}\\n".encode() * (1 + 4000 * n) for n in range(6)})
""")


def _heads_in_one_folder(folder: Path) -> set[bytes]:
    """The first line of every table, read relative to one open descriptor of the folder (as a reader that
    opened the folder sees it): the set it holds, even when a writer swaps the folder meanwhile."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        heads = set()
        for name in os.listdir(fd):
            if name.startswith("tabel"):
                with open(name, "rb", opener=lambda path, flags: os.open(path, flags, dir_fd=fd)) as handle:
                    heads.add(handle.readline().strip())
        return heads
    finally:
        os.close(fd)


@pytest.mark.parametrize("with_other_files", [False, True])
def test_concurrent_writers_never_leave_a_mix(tmp_path, with_other_files):
    folder = tmp_path / "uit"
    if with_other_files:  # a folder that is not only opvangkern's: files are renamed one by one, under the lock
        folder.mkdir()
        (folder / "LEESMIJ.txt").write_text("van de gebruiker", encoding="utf-8")
    runs = [subprocess.Popen([sys.executable, "-c", CONCURRENT_WRITER, folder, tag, "40"]) for tag in ("A", "B", "C")]
    seen_mixed = []
    while any(r.poll() is None for r in runs):  # a reader looking while they write, through one open folder
        try:
            heads = _heads_in_one_folder(folder)
        except FileNotFoundError:
            continue
        if len(heads) > 1 and not with_other_files:
            seen_mixed.append(heads)
    assert all(r.wait(timeout=120) == 0 for r in runs)
    final = {p.name: p.read_bytes().split(b"\n", 1)[0] for p in folder.glob("tabel*.csv")}
    assert len(final) == 6 and len(set(final.values())) == 1 and set(final.values()) <= {b"A 39", b"B 39", b"C 39"}
    assert seen_mixed == []  # a swapped folder is never seen half-replaced
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    if with_other_files:
        assert (folder / "LEESMIJ.txt").read_text(encoding="utf-8") == "van de gebruiker"


def test_two_concurrent_dashboards_into_one_folder(tmp_path):
    first = write_dataset(tmp_path / "een")
    second = _other_figures(write_dataset(tmp_path / "twee", naam="Drenthe, tweede"))
    expected = {}
    for name, folder in (("een", first), ("twee", second)):
        assert run_cli("dashboard", folder, "--format", "csv", "--output", tmp_path / f"ref-{name}").returncode == 0
        expected[name] = _snapshot(tmp_path / f"ref-{name}")
    assert expected["een"] != expected["twee"]
    target = tmp_path / "uit"
    for _ in range(2):
        runs = [subprocess.Popen([sys.executable, "-m", "opvangkern", "dashboard", str(f), "--format", "csv",
                                  "--output", str(target)], stderr=subprocess.DEVNULL) for f in (first, second)]
        assert [r.wait(timeout=120) for r in runs] == [0, 0]
        assert _snapshot(target) in (expected["een"], expected["twee"])


def test_other_formats_and_other_files_stay(dataset, tmp_path):
    target = tmp_path / "uit"
    assert run_cli("dashboard", dataset, "--format", "csv", "--output", target).returncode == 0
    assert run_cli("dashboard", dataset, "--format", "parquet", "--output", target).returncode == 0
    names = {p.name for p in target.iterdir()}
    assert "kaarten.csv" in names and "kaarten.parquet" in names
    (target / "notities.txt").write_text("mijn aantekeningen", encoding="utf-8")
    assert run_cli("dashboard", dataset, "--format", "arrow", "--output", target).returncode == 0
    assert (target / "notities.txt").read_text(encoding="utf-8") == "mijn aantekeningen"
    assert "kaarten.arrow" in {p.name for p in target.iterdir()}


# --- 8. a reader that closes the pipe -------------------------------------------------------------------------

@pytest.mark.parametrize("args, clean, expected", [
    (["check"], True, 0), (["check"], False, 1), (["dashboard"], True, 0), (["dashboard", "--gebied", "NL01"], True, 0),
])
def test_a_closed_pipe_is_not_an_error_and_the_status_is_the_datas(tmp_path, args, clean, expected):
    folder = write_dataset(tmp_path / "ds")
    if not clean:
        kcio = folder / "bronnen" / "kcio.csv"
        kcio.write_text(kcio.read_text(encoding="utf-8").replace(",430", ",-430"), encoding="utf-8")
    command = [sys.executable, "-m", "opvangkern", args[0], str(folder), *args[1:]]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    child.stdout.close()  # the reader is gone before anything is written (like `| head -c0`)
    err = child.stderr.read()
    assert child.wait(timeout=120) == expected, err
    assert b"Traceback" not in err and b"Exception ignored" not in err and b"BrokenPipe" not in err


@pytest.mark.parametrize("args", [["--help"], ["bronnen"], ["dashboard", "--help"]])
def test_a_closed_pipe_outside_a_dataset_command(args):
    child = subprocess.Popen([sys.executable, "-m", "opvangkern", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    child.stdout.close()
    err = child.stderr.read()
    assert child.wait(timeout=120) == 0 and err == b""


def test_check_into_head(tmp_path):
    folder = write_dataset(tmp_path / "ds")
    command = f'"{sys.executable}" -m opvangkern check "{folder}" | head -c10; exit ${{PIPESTATUS[0]}}'
    result = subprocess.run(["bash", "-c", command], capture_output=True, timeout=120)
    assert result.returncode == 0 and len(result.stdout) == 10 and result.stderr == b""


# --- 9. coverage, peildatum and the sample -----------------------------------------------------------------------

def test_an_area_the_data_says_nothing_about_is_wrong_use():
    result = run_cli("dashboard", "--gebied", "Overijssel")
    assert result.returncode == 2
    assert b"Overijssel" in result.stderr and b"Drenthe (PV22)" in result.stderr and result.stdout == b""
    _no_traceback(result)


def test_the_country_on_the_drenthe_sample_warns_per_task(tmp_path):
    result = run_cli("dashboard", "--gebied", "NL01", "--format", "csv", "--output", tmp_path / "uit")
    assert result.returncode == 0
    err = result.stderr.decode()
    warnings = [line for line in err.splitlines() if "dekken Nederland (NL01) niet volledig" in line]
    assert len(warnings) == 5 and all("van 342 gemeenten" in w for w in warnings)
    assert "onvolledige_dekking" in (tmp_path / "uit" / "meldingen.csv").read_text(encoding="utf-8")


def test_a_peildatum_before_every_file_is_wrong_use(dataset):
    result = run_cli("dashboard", dataset, "--peildatum", "2025-11-30")
    assert result.returncode == 2 and b"31-12-2025" in result.stderr and result.stdout == b""


def test_without_map_the_sample_says_so(tmp_path, dataset):
    result = run_cli("dashboard")
    assert result.returncode == 0
    assert b"meegeleverde voorbeeld" in result.stderr
    assert b"(meegeleverde voorbeelddataset)" in result.stdout.splitlines()[0]
    assert run_cli("dashboard", "--format", "html", "--output", tmp_path / "p.html").returncode == 0
    assert "toont de voorbeelddataset" in (tmp_path / "p.html").read_text(encoding="utf-8")  # the page's banner
    other = run_cli("dashboard", dataset)  # another dataset: no such note
    assert b"voorbeeld" not in other.stdout + other.stderr


def test_a_dataset_without_realisation_files(tmp_path):
    folder = write_dataset(tmp_path / "ds", kcio=(), coa=())
    result = run_cli("dashboard", folder)
    assert result.returncode == 0, result.stderr
    assert b"COA: geen gegevens" in result.stdout and b"COA voor 0 van 12 gemeenten" in result.stderr


def test_a_deeply_nested_manifest(tmp_path):
    folder = tmp_path / "ds"
    folder.mkdir()
    (folder / "opvangkern.toml").write_text("a = " + "[" * 100_000 + "]" * 100_000, encoding="utf-8")
    for command in ("check", "dashboard"):
        result = run_cli(command, folder)
        assert result.returncode == 1 and b"te diep" in (result.stdout + result.stderr)
        _no_traceback(result)


def test_paths_outside_the_folder_through_the_cli(tmp_path):
    folder = tmp_path / "ds"
    folder.mkdir()
    depth = len(folder.resolve().parts)
    write_dataset(folder, kcio=("bronnen/kcio.csv", "../" * depth + "etc/passwd", "/etc/passwd", "./bronnen/kcio.csv"))
    for command in ("check", "dashboard"):
        result = run_cli(command, folder)
        assert result.returncode == 1
        both = result.stdout + result.stderr
        assert b"root:" not in both and both.count(b"verlaat de datasetmap") == 1 and both.count(b"absoluut pad") == 1
        assert both.count(b"al genoemd") == 1


# --- HTML: data is text, and nothing leaves the page ---------------------------------------------------------

def test_markup_in_the_data_is_text_on_the_page(tmp_path):
    # The name is on the page; an unusable default area is a warning that echoes it, listed on the page.
    folder = write_dataset(tmp_path / "ds", naam="<script>alert(1)</script>")
    manifest = folder / "opvangkern.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        'gebied = "PV22"', "gebied = '<img src=https://example.org/x onerror=\"alert(2)\">'"), encoding="utf-8")
    page = tmp_path / "pagina.html"
    result = run_cli("dashboard", folder, "--gebied", "PV22", "--format", "html", "--output", page)
    assert result.returncode == 0, result.stderr
    html = page.read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert "<img src=https://example.org" not in html and "&lt;img src=https://example.org" in html
    assert "default-src 'none'" in html
