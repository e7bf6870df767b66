"""The command line: ``opvangkern dashboard``, ``opvangkern check``, ``opvangkern bronnen``, ``opvangkern init``.

Exit codes: 0 fine, 1 the data has errors, 2 wrong use. Bad data and bad use never end in a
traceback; set ``OPVANGKERN_DEBUG=1`` to see one for an internal error (exit 3).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click

from opvangkern.cli import nl as cli_nl
from opvangkern.output.terminal import safe

cli_nl.install()  # click's own texts (usage, errors, help) in Dutch: before the commands are declared

EXIT_DATA = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
FORMATS = ("text", "html", "site", "csv", "parquet", "arrow", "xlsx")


def _print_meldingen(meldingen, *, err: bool = True, files=None, stats=None) -> None:
    """Every melding, grouped per file. With ``files`` (the manifest's files in order, each mapped to what
    it holds: ``opgaven`` or ``aantallen``) every one of them is listed, also without meldingen, followed by
    its reconciliation line from ``stats`` (``FileStats`` per file)."""
    files = files or {}
    by_file: dict[str, list] = {}
    for melding in meldingen:
        by_file.setdefault(melding.bestand or "<dataset>", []).append(melding)
    order = [b for b in by_file if b not in files] + list(files)
    for bestand in order:
        items = by_file.get(bestand, [])
        click.echo(click.style(safe(bestand), bold=True), err=err)
        for m in items:
            severity, rest = m.describe(with_file=False).split(": ", 1)
            click.echo(f"  {click.style(severity, fg='red' if m.is_error else 'yellow')}: {safe(rest)}", err=err)
        if stats is not None and bestand in stats:
            wat = files.get(bestand, "aantallen")
            sheets = stats.sheets(bestand) if hasattr(stats, "sheets") else []
            if len(sheets) > 1:  # one line per sheet of a workbook read by several entries (issue 8)
                for blad, sheet_stats in sheets:
                    click.echo(f"  blad {blad or '(eerste)'}: {reconciliation_line(sheet_stats, wat)}", err=err)
            else:
                click.echo(f"  {reconciliation_line(stats[bestand], wat)}", err=err)


def reconciliation_line(stats, wat: str = "aantallen") -> str:
    """``rijen: 24 gelezen = 22 gebruikt + 1 totaalrij + 1 afgewezen + 0 overgeslagen; som van de aantallen:
    3.034`` (``wat``: ``aantallen`` for a realisation file, ``opgaven`` for a quota file)."""
    from opvangkern.numbers import dutch_exact

    som_text = dutch_exact(stats.som)
    totaal = "totaalrij" if stats.totaalrijen == 1 else "totaalrijen"
    return (f"rijen: {stats.rijen_gelezen} gelezen = {stats.rijen_gebruikt} gebruikt + {stats.totaalrijen} "
            f"{totaal} + {stats.rijen_afgewezen} afgewezen + {stats.rijen_overgeslagen} overgeslagen; "
            f"som van de {wat}: {som_text}")


PROGRESS_MIN_FILES = 10
"""A progress bar is shown (on a terminal only) when a dataset names more files than this."""


def _count_files(folder: Path | None) -> int:
    """How many files the manifest names (quota and realisation files); 0 when it cannot be read.

    Only for the progress bar: problems in the manifest are reported by ``load_dataset`` itself."""
    from opvangkern.dataset.load import sample_path
    from opvangkern.dataset.manifest import MANIFEST_NAME, decode_manifest, parse_manifest

    folder = sample_path() if folder is None else Path(folder)
    try:
        text, _ = decode_manifest((folder / MANIFEST_NAME).read_bytes())
        manifest, _ = parse_manifest(text, default_name=folder.name)
    except Exception:  # noqa: BLE001 - no bar then; load_dataset reports the problem properly
        return 0
    return len(manifest.opgaven) + len(manifest.bronnen)


def _is_terminal(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


_ONE_SHOT = [False]
"""True once ``main`` runs the process's own command line (``argv`` not given): a one-shot process, whose
collector ``_load`` lets the load freeze before the first file (``dataset.load.FREEZE_BEFORE_FILES``)."""


def _load(folder: Path | None, *, stream=None, cache: bool = False, columns_ahead: bool = False):
    """Read the dataset; on a terminal, with more than ``PROGRESS_MIN_FILES`` files, show a progress
    bar on stderr (``stream``). Piped or redirected, nothing is shown. ``columns_ahead``: a dashboard follows
    (the load starts on its columns, ``dataset.load.COLUMNS_AHEAD``)."""
    from opvangkern.dataset import load as loading

    if _ONE_SHOT[0]:  # the process's own command: the start frozen before the first file (issue 16)
        loading.FREEZE_BEFORE_FILES[0] = True
    saved = loading.COLUMNS_AHEAD[0]
    loading.COLUMNS_AHEAD[0] = columns_ahead
    try:
        return _load_dataset(folder, stream, cache)
    finally:
        loading.COLUMNS_AHEAD[0] = saved


def _load_dataset(folder: Path | None, stream, cache: bool):
    from opvangkern.dataset.load import load_dataset

    stream = sys.stderr if stream is None else stream
    total = _count_files(folder) if _is_terminal(stream) else 0
    if total <= PROGRESS_MIN_FILES:
        return load_dataset(folder, cache=cache)
    with click.progressbar(length=total, label="Inlezen", file=stream, show_pos=True, show_eta=False,
                           item_show_func=lambda bestand: None if bestand is None else safe(bestand)) as bar:
        # load_dataset calls this as it starts each file: the bar shows which file is being read.
        return load_dataset(folder, progress=lambda bestand: bar.update(1, bestand), cache=cache)


class _Command(click.Command):
    """A command whose usage line says ``[OPTIES]``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[OPTIES]")
        super().__init__(*args, **kwargs)


class _Group(click.Group):
    command_class = _Command

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[OPTIES]")
        kwargs.setdefault("subcommand_metavar", "OPDRACHT [ARGUMENTEN]...")
        super().__init__(*args, **kwargs)


class _Peildatum(click.ParamType):
    """A date in every form the manifest accepts (``manifest.parse_date``): ``2025-12-31``,
    ``31-12-2025``, ``31/12/2025``, ``31 december 2025``."""

    name = "datum"

    def get_metavar(self, *args, **kwargs) -> str:
        return "DATUM"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        from opvangkern.dataset.manifest import parse_date

        day = parse_date(value)
        if day is None:
            self.fail(f"{value!r} is geen datum; schrijf bijvoorbeeld 2025-12-31, 31-12-2025 of 31 december 2025",
                      param, ctx)
        return day


class _Dagen(click.ParamType):
    """A whole number of days, 0 or more (``--venster``)."""

    name = "dagen"

    def get_metavar(self, *args, **kwargs) -> str:
        return "DAGEN"

    def convert(self, value, param, ctx):
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        text = str(value).strip()
        if not (text.isascii() and text.isdigit()):
            self.fail(f"{value!r} is geen geheel aantal dagen (0 of meer); schrijf bijvoorbeeld 30 of 91", param, ctx)
        return int(text)


def _text_width() -> int | None:
    """The width the text dashboard must fit: on a terminal its width (``COLUMNS`` when set); piped or
    redirected none, so that a file or another program gets the whole table in one piece."""
    import shutil

    if _is_terminal(sys.stdout):
        return max(shutil.get_terminal_size().columns, 40)
    return None


def _no_color() -> bool:
    """``NO_COLOR`` set (to anything but the empty string): no colour, also on a terminal (no-color.org)."""
    return bool(os.environ.get("NO_COLOR"))


_NO_CACHE_HELP = ("Lees elk bestand opnieuw, zonder de cache van ingelezen bestanden (standaard in "
                  "$OPVANGKERN_CACHE, anders ~/.cache/opvangkern; OPVANGKERN_CACHE=uit zet hem altijd uit).")


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="opvangkern")
def cli() -> None:
    """opvangkern: opvang- en huisvestingsopgaven en hun realisatie als betrouwbare tabellen, een tekstdashboard
    en een webpagina."""


@cli.command()
@click.argument("map_", metavar="[MAP]", required=False, type=click.Path(path_type=Path))
@click.option("--gebied", "-g", metavar="GEBIED", help="Code of naam van het gebied (PV22, VR03, Assen, NL01).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Wat er gemaakt wordt: tekst, een webpagina, een map met tabellen of een Excel-werkmap.")
@click.option("--output", "-o", metavar="PAD", type=click.Path(path_type=Path),
              help="Bestand (text, html, xlsx) of map (site, csv, parquet, arrow).")
@click.option("--peildatum", type=_Peildatum(),
              help="Gebruik per bron het laatste bestand op of voor deze datum (2025-12-31, 31-12-2025, "
                   "31 december 2025).")
@click.option("--venster", type=_Dagen(), default=91, show_default=True,
              help="Het tempo in de prognose wordt gemeten tegen de laatste peildatum minstens zoveel dagen "
                   "eerder.")
@click.option("--geen-cache", "geen_cache", is_flag=True, help=_NO_CACHE_HELP)
def dashboard(map_: Path | None, gebied: str | None, fmt: str, output: Path | None, peildatum,
              venster: int = 91, geen_cache: bool = False) -> None:
    """Het dashboard van een dataset (zonder MAP: de meegeleverde Drenthe-dataset)."""
    if fmt in ("csv", "parquet", "arrow") and output is None:
        raise click.UsageError(f"--format {fmt} schrijft een map met tabellen: geef --output MAP")
    if fmt == "xlsx" and output is None:
        raise click.UsageError("--format xlsx schrijft een Excel-werkmap: geef --output BESTAND.xlsx")
    if fmt == "site" and output is None:
        raise click.UsageError("--format site schrijft een map met pagina's: geef --output MAP")
    if fmt == "site" and output.exists() and not output.is_dir():
        raise click.UsageError(f"--format site schrijft een map, maar {output} is een bestand")
    if map_ is None:
        click.echo("Geen MAP opgegeven: het meegeleverde voorbeeld wordt gebruikt (Drenthe, stand 31 december "
                   "2025).", err=True)
    dataset = _load(map_, cache=not geen_cache, columns_ahead=True)
    if dataset.has_errors:
        _exit_status(EXIT_DATA)
        _print_meldingen(dataset.melding_list)
        errors = sum(m.is_error for m in dataset.melding_list)
        click.echo(click.style(f"De dataset bevat {errors} fout(en); er is niets geschreven.", fg="red"), err=True)
        sys.exit(EXIT_DATA)
    if dataset.melding_list:
        _print_meldingen(dataset.melding_list)
    day = peildatum if isinstance(peildatum, dt.date) else None
    early = None
    if fmt in ("parquet", "arrow"):
        from opvangkern.output.writers import EarlyEncodings

        # realisaties is encoded on the other core while the history is computed (issue 16); its bytes are
        # used only if write_tables below gets this very table.
        early = EarlyEncodings(fmt)
    dash = dataset.dashboard(gebied, peildatum=day, venster=venster,
                             **({} if early is None else {"_early": early.later}))
    from opvangkern.dashboard.coverage import MELDING_CODE, require_covered

    require_covered(dataset, dash.gebied)  # an area the dataset says nothing about: wrong use, exit 2
    meldingen = dash.meldingen  # the dataset's, printed above, and the coverage warnings
    for code, text in zip(meldingen.column("code").to_pylist(), meldingen.column("melding").to_pylist()):
        if code == MELDING_CODE:
            click.echo(f"{click.style('waarschuwing', fg='yellow')}: {safe(text)}", err=True)
    from opvangkern.output import writers

    if fmt == "xlsx":
        from opvangkern.output.writers_xlsx import xlsx_bytes

        writers.write_atomically({output: xlsx_bytes(dash.tables())})
        click.echo(f"geschreven: {safe(output)}", err=True)
        return
    if fmt in writers.FORMATS:
        written = writers.write_tables(dash.tables(), output, fmt, encoded=dash.parquet_hints(), early=early)
        click.echo(f"{len(written)} tabellen geschreven naar {safe(output)}", err=True)
        return
    if fmt == "site":
        from opvangkern.output.html.site import site_pages, write_site

        written = write_site(site_pages(dataset, dash, peildatum=day, venster=venster), output)
        click.echo(f"{len(written)} pagina's geschreven naar {safe(output)}", err=True)
        return
    if fmt == "html":
        from opvangkern.output.html import options_for, render_html

        text = render_html(dash, options=options_for(dataset))
    else:
        from opvangkern.output.textview import render

        title = f"{dash.gebied.naam} ({dash.gebied.code}) — {dataset.naam}"
        if dataset.is_sample:
            title += " (meegeleverde voorbeelddataset)"
        style = click.style if output is None and not _no_color() else (lambda t, **_: t)
        text = render(dash.kaarten, dash.gemeenten, title=title, gebied_code=dash.gebied.code, style=style,
                      verloop=dash.verloop, prognose=dash.prognose, width=_text_width() if output is None else None,
                      dashboard=dash)
    if output is None:
        click.echo(text, nl=False)
    else:
        writers.write_atomically({output: text.encode("utf-8")})
        click.echo(f"geschreven: {safe(output)}", err=True)


@cli.command()
@click.argument("map_", metavar="[MAP]", required=False, type=click.Path(path_type=Path))
@click.option("--geen-cache", "geen_cache", is_flag=True, help=_NO_CACHE_HELP)
def check(map_: Path | None, geen_cache: bool = False) -> None:
    """Controleer een dataset en toon elke melding; afsluitcode 1 bij een fout (zonder MAP: de meegeleverde
    voorbeelddataset)."""
    dataset = _load(map_, cache=not geen_cache)
    _exit_status(EXIT_DATA if dataset.has_errors else 0)
    click.echo(safe(_division_line(dataset)))
    files = {e.bestand: "opgaven" for e in dataset.manifest.opgaven}
    files.update((e.bestand, "aantallen") for e in dataset.manifest.bronnen)
    files.update((e.bestand, "afspraken") for e in dataset.manifest.afspraken if e.bestand)
    _print_meldingen(dataset.melding_list, err=False, files=files, stats=dataset.file_stats)
    errors = sum(m.is_error for m in dataset.melding_list)
    warnings = len(dataset.melding_list) - errors
    rows = dataset.realisaties.num_rows
    sample = " (meegeleverde voorbeelddataset)" if dataset.is_sample else ""
    click.echo(f"{safe(dataset.naam)}{sample}: {len(dataset.manifest.opgaven)} opgavebestanden, {len(dataset.manifest.bronnen)} "
               f"bronbestanden, {rows} realisatierijen, {dataset.opgaven.num_rows} opgavepunten; "
               f"{errors} fout(en), {warnings} waarschuwing(en).")
    if errors:
        sys.exit(EXIT_DATA)


def _division_line(dataset) -> str:
    """``check``'s header line: the municipal division the dataset is read in ([Areas and name matching](areas.md))."""
    info = getattr(dataset, "indeling", None)
    if info is None:
        return f"Gemeentelijke indeling: {dataset.division.name}"
    line = f"Gemeentelijke indeling: {info.describe()}"
    if info.voorlopig and info.toelichting:
        line += f". {info.toelichting}"
    return line


def _division_lines() -> list[str]:
    """``bronnen``: the shipped divisions, provisional ones marked, and the reorganisations table
    (printed on stderr, after the adapter table on stdout)."""
    from opvangkern.areas.history import Divisions

    registry = Divisions.shipped()
    lines = ["", "Gemeentelijke indelingen (standaard: de nieuwste die geldt op de laatste peildatum):"]
    for name in registry.names:
        info = registry.info(name)
        line = f"  {info.describe()}"
        if info.voorlopig and info.toelichting:
            line += f": {info.toelichting}"
        lines.append(line)
    if registry.reorganisations:
        first = registry.reorganisations[0].ingangsdatum
        lines.append(f"  herindelingen: {len(registry.reorganisations)} voormalige gemeenten sinds "
                     f"{first.day}-{first.month}-{first.year}")
    return lines


@cli.command()
def bronnen() -> None:
    """Toon de geïnstalleerde bronadapters met hun plugin en versie."""
    import warnings

    from opvangkern.sources.manager import DISABLE_AUTOLOAD_ENV, PluginLoadWarning, adapter_infos, autoload_disabled, \
        failed_plugins

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PluginLoadWarning)  # listed below, as part of the answer
        infos = adapter_infos()
        failures = failed_plugins()
    if not infos:
        from opvangkern.sources.manager import INSTALL_HINT

        click.echo(f"Geen bronadapters geïnstalleerd. {INSTALL_HINT}")
    else:
        rows = [("bron", "label", "opgaven", "plugin", "versie")]
        rows += [(i.adapter.name, i.adapter.label, ", ".join(i.adapter.tasks), i.plugin, i.version) for i in infos]
        widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
        for row in rows:
            click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    if autoload_disabled():
        click.echo(f"{DISABLE_AUTOLOAD_ENV} is gezet: geïnstalleerde plugins worden niet automatisch geladen.")
    for failure in failures:
        click.echo(click.style(f"niet geladen: {failure.describe()}", fg="yellow"))
    for line in _division_lines():
        click.echo(line, err=True)  # stderr: stdout stays the adapter table that scripts parse


@cli.command()
@click.argument("map_", metavar="MAP", type=click.Path(path_type=Path))
@click.option("--gebied", "-g", metavar="GEBIED", required=True,
              help="Code of naam van het gebied (PV22, VR03, Assen, NL01).")
@click.option("--ingangsdatum", type=_Peildatum(),
              help="De ingangsdatum van de verdeelbesluiten (standaard: 1 januari van dit jaar).")
def init(map_: Path, gebied: str, ingangsdatum) -> None:
    """Begin een dataset voor een gebied: een manifest met uitleg en per opgave een Excel-bestand met de
    gemeenten (of veiligheidsregio's) van het gebied en een lege kolom Opgave om in te vullen."""
    from opvangkern.dataset.starter import write_starter

    from opvangkern.areas import division_for, load_division

    written = write_starter(map_, gebied, ingangsdatum)
    division = division_for(ingangsdatum) if ingangsdatum is not None else load_division()
    area = division.resolve_gebied(gebied)
    # the area as the starter names it: a former municipality (Weesp) or an alias (Den Haag) is another name
    click.echo(f"Gebied: {area.niveau.value} {area.naam} ({area.code}), gemeentelijke indeling {division.name}")
    click.echo(f"{len(written)} bestanden geschreven in {map_}:")
    for path in written:
        click.echo(f"  {path.relative_to(map_).as_posix()}")
    click.echo(f"Vul de kolom Opgave in, zet de bestanden van de bronnen in {(map_ / 'bronnen').as_posix()} "
               f"en volg de stappen bovenin {(map_ / 'opvangkern.toml').as_posix()}.")


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Warnings (a plugin that could not be loaded) as one line on stderr, without source lines."""
    click.echo(click.style(f"waarschuwing: {safe(message)}", fg="yellow"), err=True)


def main(argv: list[str] | None = None) -> None:
    """Entry point: runs the click group and maps opvangkern's errors to exit codes."""
    import gc
    import warnings

    from opvangkern.cli.startup import exit_without_collecting, prepare_process, restore_process

    prepare_process()  # the process's own settings (Arrow's allocator), before pyarrow loads (issue 16)
    if argv is None:  # the process's own command line: its end is this command's (the console script)
        exit_without_collecting()
        _ONE_SHOT[0] = True
        _start_worker_ahead(sys.argv[1:])
    # A one-shot command builds many long-lived objects (modules, classes, the division, the tables'
    # rows) and few cycles: collecting the youngest generation every 700 allocations cost ~10-15 % of
    # the national command (docs/performance.md, issue 16); every 100,000 keeps cycles bounded.
    before = gc.get_threshold()
    gc.set_threshold(100_000, 10, 10)
    try:
        with warnings.catch_warnings(), _terminate_as_exit():
            warnings.showwarning = _show_warning
            _main(argv)
    finally:  # called in-process (a test, an embedding script): leave the collector as it was
        gc.set_threshold(*before)
        restore_process()  # and the import system


_MANIFEST_NAME = "opvangkern.toml"
_MANIFEST_MAX_BYTES = 5_000_000
"""``manifest.MANIFEST_NAME`` and ``load.MANIFEST_MAX_BYTES``, here without their modules' imports (attrs,
pyarrow), which the head start of ``_start_worker_ahead`` is there to overlap (``tests/test_after_reading.py``
checks that they are equal)."""


def _start_worker_ahead(args: list[str]) -> None:
    """For ``dashboard MAP`` and ``check MAP`` without the cache: the second process of a large dataset
    (``opvangkern.dataset.parallel.spawn_ahead``) started now, before click parses the arguments and before
    pyarrow is imported (issue 16, tenth session). MAP is the first argument that is a folder with a manifest;
    a guess that is wrong (an option's value that is such a folder too) only starts a worker the load then
    stops. Nothing here can fail the command: whatever goes wrong, the load starts its own worker or none."""
    try:
        if not args or args[0] not in ("dashboard", "check"):
            return
        if "--geen-cache" not in args:
            from opvangkern.dataset.cache import default_folder

            if default_folder() is not None:
                return  # with the cache, what is left to parse is known only once the files are hashed
        for arg in args[1:]:
            if arg.startswith("-"):
                continue
            manifest = Path(arg) / _MANIFEST_NAME
            if manifest.is_file():
                if manifest.stat().st_size > _MANIFEST_MAX_BYTES:  # no manifest (load_dataset refuses it)
                    return
                from opvangkern.dataset.parallel import spawn_ahead

                spawn_ahead(manifest.read_bytes().count(b"[[bron]]"))
                return
    except Exception:  # noqa: BLE001 - only a head start
        return


_status_if_pipe_breaks = 0


def _exit_status(code: int) -> None:
    """The exit status the data gives, set before a command prints: the status when a reader closes the
    pipe early (``check MAP | head``), so that it reflects the data, not the pipe."""
    global _status_if_pipe_breaks
    _status_if_pipe_breaks = code


class _PipeClosed(Exception):
    """A ``BrokenPipeError`` of a command, carried past click (which turns EPIPE into a bare exit 1)."""


def _invoke_guarding_the_pipe(ctx, _invoke=cli.invoke):
    try:
        return _invoke(ctx)
    except BrokenPipeError as exc:
        raise _PipeClosed() from exc


cli.invoke = _invoke_guarding_the_pipe  # every command, also those added later


def _click_saw_a_closed_pipe() -> bool:
    """click answers EPIPE by wrapping stdout in its flush-pacifying wrapper and exiting 1."""
    return "PacifyFlushWrapper" in type(sys.stdout).__name__


def _pipe_closed() -> None:
    """The reader of stdout (or stderr) went away: further output goes nowhere, quietly, like a Unix tool."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        try:
            os.dup2(devnull, stream.fileno())
        except (OSError, ValueError, AttributeError):
            pass
    os.close(devnull)


def _finish(code: int) -> None:
    """Exit with ``code`` after flushing stdout, so a closed pipe is handled here, not at shutdown."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _pipe_closed()
        code = _status_if_pipe_breaks if code == 0 else code
    except (OSError, ValueError):  # stdout closed or unusable: nothing more to say there
        pass
    sys.exit(code)


class _terminate_as_exit:
    """SIGTERM (and SIGHUP) end the run like an exception, so that temporary files are removed."""

    def __enter__(self):
        import signal

        self._previous = {}
        for name in ("SIGTERM", "SIGHUP"):
            number = getattr(signal, name, None)
            if number is None:
                continue
            try:
                self._previous[number] = signal.signal(number, self._handle)
            except (ValueError, OSError):  # not the main thread
                pass
        return self

    @staticmethod
    def _handle(number, frame):
        raise SystemExit(128 + number)

    def __exit__(self, *exc):
        import signal

        for number, handler in self._previous.items():
            signal.signal(number, handler)
        return False


def _main(argv: list[str] | None) -> None:
    _exit_status(0)
    try:
        code = _run(argv)
    except BrokenPipeError:  # a reader closed the pipe while an error was being reported
        _pipe_closed()
        code = _status_if_pipe_breaks
    _finish(code)


def _run(argv: list[str] | None) -> int:
    """Run the command; the exit code. Each error branch sets the code before it prints (a closed pipe)."""
    from opvangkern.errors import DataError, OpvangkernError, PluginError, UsageError

    try:
        cli.main(args=argv, prog_name="opvangkern", standalone_mode=False, color=False if _no_color() else None)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except SystemExit as exc:  # a command's sys.exit(EXIT_DATA), or SIGTERM
        if _click_saw_a_closed_pipe():  # EPIPE outside a command (``--help | head``): click exits 1
            _pipe_closed()
            return _status_if_pipe_breaks
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    except click.Abort:
        _exit_status(EXIT_USAGE)
        click.echo("Afgebroken.", err=True)
        return EXIT_USAGE
    except click.ClickException as exc:
        _exit_status(EXIT_USAGE)
        exc.message = safe(exc.message)
        exc.show()
        return EXIT_USAGE
    except (BrokenPipeError, _PipeClosed):
        _pipe_closed()
        return _status_if_pipe_breaks
    except DataError as exc:
        _exit_status(EXIT_DATA)
        with click.Context(cli, color=False if _no_color() else None):
            _print_meldingen(exc.meldingen)
        return EXIT_DATA
    except (UsageError, PluginError) as exc:  # a plugin problem is an installation problem: wrong use
        _exit_status(EXIT_USAGE)
        click.echo(f"Fout: {safe(exc)}", err=True)
        return EXIT_USAGE
    except OpvangkernError as exc:
        _exit_status(EXIT_DATA)
        click.echo(f"Fout: {safe(exc)}", err=True)
        return EXIT_DATA
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - an internal error: a short message, not a traceback
        if os.environ.get("OPVANGKERN_DEBUG"):
            raise
        _exit_status(EXIT_INTERNAL)
        click.echo(f"Interne fout in opvangkern: {safe(repr(exc))}. Zet OPVANGKERN_DEBUG=1 voor details en meld dit.",
                   err=True)
        return EXIT_INTERNAL
    return 0
