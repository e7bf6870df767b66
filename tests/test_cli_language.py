"""One language on the command line: every help text, usage line and usage error in Dutch, click's own
texts included; manifest positions always ``regel``; no doubled words; ``--peildatum`` in every date form
of the manifest; ``check`` without MAP; ``NO_COLOR``; the text table within the terminal's width."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from opvangkern import cli as cli_module

# Words that are English and not Dutch (so not "is", "of", "in", "was", "help", "argument", "extra").
ENGLISH = {
    "usage", "error", "errors", "missing", "option", "options", "show", "this", "message", "exit", "default",
    "required", "invalid", "choose", "from", "try", "such", "unexpected", "does", "not", "match", "format",
    "formats", "the", "version", "aborted", "command", "commands", "file", "directory", "path", "dynamic",
    "with", "and", "one", "got", "given", "requires", "take", "takes", "value", "values", "choice", "mean", "did",
    "you", "your", "which", "what", "when", "where", "targets", "tables", "dutch", "reception", "housing",
    "write", "writes", "print", "prints", "list", "lists", "installed", "sources", "check", "checks", "folder",
    "area", "date", "name", "output", "arguments", "parameter", "possibilities", "recognized", "range",
    "true", "false", "yes", "no", "none", "unknown", "string", "text", "integer", "float", "boolean",
}
# Names the user types, which are what they are: the format names, command names and metavars.
ALLOWED = {"text", "check"}  # ``--format text`` and ``opvangkern check`` are names, not English prose

COMMANDS = sorted(cli_module.cli.commands)


def run_main(*args: str, env: dict | None = None, cwd=None) -> tuple[int, str]:
    """``opvangkern ARGS`` in a fresh interpreter: (exit code, stdout + stderr)."""
    environment = dict(os.environ, **(env or {}))
    done = subprocess.run([sys.executable, "-m", "opvangkern.cli", *args], capture_output=True, text=True,
                          env=environment, timeout=120, cwd=cwd)
    return done.returncode, done.stdout + done.stderr


def english_words(text: str) -> list[str]:
    # metavars and values in capitals (MAP, PAD, GEBIED, DATUM) and the choice list are names, not prose
    text = re.sub(r"\[(?:[a-z]+\|)+[a-z]+\]", " ", text)
    text = re.sub(r"(?<![\w-])--?[a-z][a-z-]*", " ", text)  # option names (--format, --version) are names
    words = re.findall(r"[A-Za-z]+", text)
    return sorted({w for w in words if w.lower() in ENGLISH and w.lower() not in ALLOWED and not w.isupper()})


def doubled_words(text: str) -> list[str]:
    text = re.sub(r"(?<![\w-])--?[a-z][a-z-]*", " ", text)  # "--gebied GEBIED" is an option and its metavar
    return [m.group(0) for m in re.finditer(r"\b(\w{2,})\s+\1\b", text, flags=re.IGNORECASE)
            if not m.group(1).isdigit()]


def test_every_command_is_scanned():
    assert set(COMMANDS) >= {"dashboard", "check", "bronnen", "init"}


@pytest.mark.parametrize("args", [["--help"], ["-h"], *([c, "--help"] for c in COMMANDS)],
                         ids=lambda a: " ".join(a))
def test_help_is_dutch(args):
    code, out = run_main(*args)
    assert code == 0, out
    assert "Gebruik: opvangkern" in out and "Usage" not in out
    assert "Toon deze hulptekst en stop." in out
    assert english_words(out) == [], out
    assert doubled_words(out) == [], out


def test_dashboard_help_shows_defaults_and_choices_in_dutch():
    code, out = run_main("dashboard", "--help")
    assert "[standaard: text]" in out and "[OPTIES]" in out and "DATUM" in out and "xlsx" in out


USAGE_ERRORS = [
    (["onzin"], "Onbekende opdracht 'onzin'"),
    (["dashbord"], "Onbekende opdracht"),
    (["dashboard", "--onzin"], "Onbekende optie"),
    (["dashboard", "--gebeid", "PV22"], "Onbekende optie"),
    (["dashboard", "--format", "pdf"], "is niet een van"),
    (["dashboard", "--peildatum", "morgen"], "is geen datum"),
    (["dashboard", "--gebied"], "verwacht een waarde"),
    (["dashboard", "a", "b"], "Onverwacht extra argument"),
    (["dashboard", "--format", "csv"], "geef --output"),
    (["dashboard", "--format", "xlsx"], "geef --output"),
    (["dashboard", "--gebied", "Groningen"], "kies een code"),
    (["dashboard", "--gebied", "Atlantis"], "Atlantis"),
    (["init"], "Ontbrekend argument"),
    (["init", "nieuwe-map"], "Ontbrekende optie"),
    (["check", "bestaat-niet"], "bestaat-niet"),
    (["bronnen", "extra"], "Onverwacht extra argument"),
]


@pytest.mark.parametrize("args, expected", USAGE_ERRORS, ids=lambda a: " ".join(a) if isinstance(a, list) else "")
def test_usage_errors_are_dutch(args, expected, tmp_path):
    code, out = run_main(*args, cwd=tmp_path)  # a relative MAP: the temporary path's words are not scanned
    assert code == 2, out
    assert expected in out, out
    assert "Traceback" not in out
    assert english_words(out) == [], out
    assert doubled_words(out) == [], out
    if "Gebruik:" in out or "Fout:" in out:
        assert "Error" not in out and "Usage" not in out


def test_no_command_shows_the_dutch_help():
    code, out = run_main()
    assert "Gebruik: opvangkern [OPTIES] OPDRACHT [ARGUMENTEN]..." in out and "Opdrachten" in out
    assert english_words(out) == [], out


def test_version_is_dutch():
    code, out = run_main("--version")
    assert code == 0 and re.match(r"opvangkern, versie \S+", out.strip()), out


@pytest.mark.parametrize("day", ["2025-12-30", "30-12-2025", "30/12/2025", "30 december 2025"])
def test_peildatum_accepts_every_manifest_date_form(day):
    from opvangkern.dataset.manifest import parse_date

    assert parse_date(day) is not None
    code, out = run_main("dashboard", "--peildatum", day, "--format", "text")
    assert code == 0, out
    # 30 December: Nidos (29 December) is still there, the files of the 31st are not
    code_31, out_31 = run_main("dashboard", "--peildatum", "2025-12-31")
    assert out != out_31


def test_check_without_map_checks_the_sample():
    code, out = run_main("check")
    assert code == 0, out
    assert "Drenthe, stand 31 december 2025 (meegeleverde voorbeelddataset)" in out and "0 fout(en)" in out


def test_the_text_says_it_is_the_sample(sample_copy):
    code, out = run_main("dashboard")
    assert code == 0 and out.splitlines()[0].endswith("(meegeleverde voorbeelddataset)")
    code, out = run_main("dashboard", str(sample_copy))
    assert code == 0 and "voorbeelddataset" not in out.splitlines()[0]


def test_manifest_positions_are_lines_and_no_word_is_doubled(sample_copy):
    manifest = sample_copy / "opvangkern.toml"
    text = manifest.read_text(encoding="utf-8")
    text = text.replace('gebied = "PV22"', 'gebied = "PV22"\nonzin = 1', 1)
    text = text.replace("ingangsdatum = 2025-02-01", 'ingangsdatum = "morgen"', 1)
    text = text.replace('bron = "nidos"', 'bron = "nidoos"', 1)
    manifest.write_text(text, encoding="utf-8")
    kcio = sample_copy / "bronnen" / "kcio-2025-12-31.csv"
    kcio.write_text(kcio.read_text(encoding="utf-8-sig").replace('"430"', '"43%"').replace("Assen,", "Asen,", 1),
                    encoding="utf-8")
    code, out = run_main("check", str(sample_copy))
    assert code == 1
    manifest_lines = out.split("opvangkern.toml\n", 1)[1].split("\n")
    manifest_lines = [line for line in manifest_lines if line.startswith("  ")][:2]
    assert manifest_lines and all("regel" in line or "sleutel" in line for line in manifest_lines), out
    assert not any(re.search(r"\brij\b", line) for line in manifest_lines), out
    assert "regel 12, sleutel ingangsdatum" in out
    assert doubled_words(out) == [], out
    assert english_words(out.replace("opvangkern[bronnen]", "")) == [], out


def test_melding_where_says_regel_in_the_manifest_and_no_doubled_kolom():
    from opvangkern.model import Melding

    assert Melding("fout", "x", bestand="opvangkern.toml", rij=3, kolom="gebied").where() == \
        "opvangkern.toml, regel 3, sleutel gebied"
    assert Melding("fout", "x", bestand="a.csv", rij=3, kolom="kolom C").where() == "a.csv, rij 3, kolom C"
    assert Melding("fout", "x", bestand="a.csv", rij=3, kolom="Opgave").where() == "a.csv, rij 3, kolom Opgave"


def _on_a_terminal(args: list[str], env: dict) -> str:
    import pty

    pid, fd = pty.fork()
    if pid == 0:  # child: the CLI with a terminal as stdout
        os.environ.update(env)
        os.execv(sys.executable, [sys.executable, "-m", "opvangkern.cli", *args])
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
    return b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")


def test_no_color_is_honoured_on_a_terminal():
    colour = re.compile(r"\x1b\[[0-9;]*m")  # SGR: colour and bold (the progress bar's cursor codes are no colour)
    coloured = _on_a_terminal(["dashboard"], {"COLUMNS": "400"})
    plain = _on_a_terminal(["dashboard"], {"COLUMNS": "400", "NO_COLOR": "1"})
    assert colour.search(coloured)
    assert not colour.search(plain) and "5.013" in plain


@pytest.mark.parametrize("width", [60, 100, 160])
def test_text_table_fits_the_terminal(width):
    out = _on_a_terminal(["dashboard"], {"COLUMNS": str(width), "NO_COLOR": "1"})
    table = out.split("*Op basis van indicatief schema opgave\n", 1)[1]
    lines = [line for line in table.splitlines() if line.strip()]
    assert lines and max(len(line) for line in lines) <= width, "\n".join(lines)
    # every figure of the totals row is still there, in one block or another
    totals = " ".join(line for line in lines if line.startswith("Totaal")).split()
    for figure in ("5.013", "4.155", "3.268", "1.157", "189", "-459", "819", "423", "396", "341", "192", "149",
                   "95", "73", "22"):
        assert figure in totals
    # and every municipality in each block
    assert sum(line.startswith("Assen ") for line in lines) == sum(line.startswith("Totaal") for line in lines)


def test_piped_text_keeps_the_seed_layout():
    code, out = run_main("dashboard", env={"COLUMNS": "60"})
    total = [line for line in out.splitlines() if line.startswith("Totaal")]
    assert len(total) == 1 and total[0].split()[1:4] == ["5.013", "4.155", "3.268"]


def test_fit_table_narrow_layouts():
    import opvangkern
    from opvangkern.output.textview import _table, fit_table

    dash = opvangkern.open_dataset().dashboard()
    full = _table(dash.gemeenten, lambda t, **_: t)
    assert fit_table(dash.gemeenten, 10_000) == full
    wide = max(map(len, full))
    stacked = fit_table(dash.gemeenten, wide - 1)
    assert max(map(len, stacked)) < wide and len(stacked) > len(full)
    blocks = fit_table(dash.gemeenten, 70)
    assert sum(line.startswith("Gemeente") for line in blocks) >= 3
