"""The command line (SPEC §8): exit codes, meldingen for bad input, nothing half-written, no tracebacks."""

import subprocess
import sys
from pathlib import Path

import pytest


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "opvangkern.cli", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd)


def assert_no_traceback(result):
    assert "Traceback" not in result.stdout + result.stderr


def replace(path: Path, old: str, new: str, encoding="utf-8"):
    text = path.read_text(encoding=encoding)
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding=encoding)


def test_check_sample_is_clean():
    from opvangkern import sample_path

    result = run("check", sample_path())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 fout(en)" in result.stdout


def test_bronnen_lists_the_four_plugins():
    result = run("bronnen")
    assert result.returncode == 0
    for name, dist in (("coa", "opvangkern-coa"), ("kcio", "opvangkern-kcio"), ("tvs", "opvangkern-tvs"),
                       ("nidos", "opvangkern-nidos")):
        line = next(line for line in result.stdout.splitlines() if line.startswith(name + " "))
        assert dist in line


@pytest.mark.parametrize("args", [["dashboard", "--bogus"], ["dashboard", "/no/such/folder"],
                                  ["check", "/no/such/folder"], ["dashboard", "--format", "csv"],
                                  ["dashboard", "--gebied", "Groningen"], ["dashboard", "--gebied", "Atlantis"],
                                  ["nosuchcommand"]])
def test_wrong_use_exits_2(args):
    result = run(*args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert_no_traceback(result)


def test_ambiguous_area_lists_the_codes():
    result = run("dashboard", "--gebied", "Groningen")
    assert "GM0014" in result.stderr and "PV20" in result.stderr and "VR01" in result.stderr


def test_gebied_by_name_and_code(tmp_path):
    for gebied in ("Assen", "VR03", "Provincie Drenthe", "GM0106"):
        result = run("dashboard", "--gebied", gebied)
        assert result.returncode == 0, result.stderr
    result = run("dashboard", "--gebied", "Assen", "--format", "csv", "--output", tmp_path)
    assert result.returncode == 0
    kaarten = (tmp_path / "kaarten.csv").read_text(encoding="utf-8").splitlines()
    # Its safety region's Ukraine card, then Assen's own cards (it has no AMV target).
    assert kaarten[1].startswith("VR03,Drenthe,veiligheidsregio,oekraine")
    assert [line.split(",")[3] for line in kaarten[2:]] == ["asiel", "vergunninghouders", "nidos_amv"]


BAD_INPUTS = {
    "unknown municipality": ("bronnen/tvs-2025-12-31.csv", "Westerveld;", "Westerveldt;", "Westerveldt"),
    "negative count": ("bronnen/nidos-2025-12-29.csv", "GM0106,Assen,33", "GM0106,Assen,-33", "-33"),
    "non-numeric count": ("bronnen/nidos-2025-12-29.csv", "GM0106,Assen,33", "GM0106,Assen,veel", "veel"),
    "fractional count": ("bronnen/nidos-2025-12-29.csv", "GM0106,Assen,33", "GM0106,Assen,\"33,5\"", "33,5"),
    "unknown source": ("opvangkern.toml", 'bron = "nidos"', 'bron = "nidoz"', "nidoz"),
    "missing file": ("opvangkern.toml", "bronnen/tvs-2025-12-31.csv", "bronnen/tvs-ontbreekt.csv",
                     "bronnen/tvs-ontbreekt.csv"),
    "peildatum conflict": ("opvangkern.toml", 'bestand = "bronnen/nidos-2025-12-29.csv"',
                           'bestand = "bronnen/nidos-2025-12-29.csv"\npeildatum = 2025-12-31', "2025-12-29"),
    "unknown municipality in a quota file": ("opgaven/asiel-2026-02-01.csv", "GM0119,Meppel", "GM9119,Meppel",
                                             "GM9119"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_a_melding_with_exit_1(sample_copy, tmp_path, case):
    path, old, new, value = BAD_INPUTS[case]
    replace(sample_copy / path, old, new)
    out = tmp_path / "out"
    result = run("dashboard", sample_copy, "--format", "csv", "--output", out)
    assert result.returncode == 1, result.stdout + result.stderr
    assert_no_traceback(result)
    assert value in result.stderr
    assert "fout" in result.stderr
    assert not out.exists() or not any(out.iterdir()), "nothing may be written"
    check = run("check", sample_copy)
    assert check.returncode == 1
    assert value in check.stdout


def test_melding_names_file_and_row(sample_copy):
    replace(sample_copy / "bronnen/nidos-2025-12-29.csv", "GM0106,Assen,33", "GM0106,Assen,-33")
    result = run("check", sample_copy)
    line = next(line for line in result.stdout.splitlines() if "-33" in line)
    assert "rij 3" in line and "Kleinschalige opvangplekken" in line
    assert "bronnen/nidos-2025-12-29.csv" in result.stdout


def test_unknown_name_suggests_the_closest(sample_copy):
    replace(sample_copy / "bronnen/tvs-2025-12-31.csv", "Westerveld;", "Westerveldt;")
    result = run("check", sample_copy)
    line = next(line for line in result.stdout.splitlines() if "Westerveldt" in line)
    assert "Westerveld" in line.replace("Westerveldt", "")
    assert "rij 13" in line


def test_broken_manifest(sample_copy):
    (sample_copy / "opvangkern.toml").write_text("[dataset\nnaam = 'x'\n", encoding="utf-8")
    result = run("check", sample_copy)
    assert result.returncode == 1
    assert "opvangkern.toml" in result.stdout and "TOML" in result.stdout
    assert_no_traceback(result)


def test_unreadable_file(sample_copy):
    (sample_copy / "bronnen/coa-2025-12-31.csv").write_bytes(b"\x00\xff\xfe garbage \x00" * 50)
    result = run("check", sample_copy)
    assert result.returncode == 1
    assert "coa-2025-12-31.csv" in result.stdout
    assert_no_traceback(result)


def test_warnings_do_not_stop_the_dashboard(sample_copy):
    replace(sample_copy / "bronnen/kcio-2025-12-31.csv", 'Totaal Drenthe,,"5.013"', 'Totaal Drenthe,,"5.014"')
    result = run("dashboard", sample_copy)
    assert result.returncode == 0, result.stderr
    assert "waarschuwing" in result.stderr
    assert "5.013" in result.stdout


def test_latest_peildatum_is_used_and_all_stay_in_realisaties(sample_copy, tmp_path):
    older = sample_copy / "bronnen/nidos-2025-11-30.csv"
    older.write_text((sample_copy / "bronnen/nidos-2025-12-29.csv").read_text(encoding="utf-8")
                     .replace("29-12-2025", "30-11-2025").replace("GM0106,Assen,33", "GM0106,Assen,3"),
                     encoding="utf-8")
    manifest = sample_copy / "opvangkern.toml"
    # The sample's history names this file already; naming it twice is a fout (SPEC §5), so only add it if not.
    if "bronnen/nidos-2025-11-30.csv" not in manifest.read_text(encoding="utf-8"):
        with open(manifest, "a", encoding="utf-8") as handle:
            handle.write('\n[[bron]]\nbron = "nidos"\nbestand = "bronnen/nidos-2025-11-30.csv"\n')
    result = run("dashboard", sample_copy, "--format", "csv", "--output", tmp_path)
    assert result.returncode == 0, result.stderr
    realisaties = (tmp_path / "realisaties.csv").read_text(encoding="utf-8")
    assert "2025-11-30" in realisaties and "2025-12-29" in realisaties
    kaarten = (tmp_path / "kaarten.csv").read_text(encoding="utf-8")
    assert "PV22,Drenthe,provincie,nidos_amv" in kaarten
    line = next(line for line in kaarten.splitlines() if line.startswith("PV22,Drenthe,provincie,nidos_amv"))
    assert ",73," in line and "2025-12-29" in line


def test_csv_output_neutralises_formulas(tmp_path):
    from opvangkern.output.writers import csv_bytes
    import pyarrow as pa

    data = csv_bytes(pa.table({"a": ["=1+1", "@x", "-3", "ok", None], "b": [1, -2, 3, None, 5]}))
    lines = data.decode().splitlines()
    assert lines[1] == "'=1+1,1" and lines[2] == "'@x,-2" and lines[3] == "'-3,3" and lines[4] == "ok,"
    assert lines[5] == ",5"


def test_text_status_colour_on_a_terminal():
    """The status badges are coloured with click's styles; click strips them when piped (tested above)."""
    import click

    import opvangkern
    from opvangkern.output.textview import render

    dash = opvangkern.open_dataset().dashboard()
    text = render(dash.kaarten, dash.gemeenten, title="t", gebied_code="PV22", style=click.style)
    assert "\x1b[33m● licht achter" in text and "\x1b[31m● achter" in text and "\x1b[32m● op schema" in text


def test_text_on_a_pseudo_terminal_is_coloured():
    import os
    import pty

    pid, fd = pty.fork()
    if pid == 0:  # child: the CLI with a terminal as stdout
        os.execv(sys.executable, [sys.executable, "-m", "opvangkern.cli", "dashboard"])
    chunks = []
    while True:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.waitpid(pid, 0)
    output = b"".join(chunks).decode("utf-8", "replace")
    assert "\x1b[" in output and "5.013" in output


def test_ambiguous_default_area_in_the_manifest(sample_copy):
    replace(sample_copy / "opvangkern.toml", 'gebied = "PV22"', 'gebied = "Groningen"')
    result = run("check", sample_copy)
    assert result.returncode == 0
    line = next(line for line in result.stdout.splitlines() if "standaardgebied" in line)
    assert "waarschuwing" in line and "PV20" in line
    assert run("dashboard", sample_copy, "--gebied", "PV22").returncode == 0
    result = run("dashboard", sample_copy)
    assert result.returncode == 2 and "PV20" in result.stderr
    assert_no_traceback(result)
