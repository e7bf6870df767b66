"""The command line: ``opvangkern dashboard``, ``opvangkern check``, ``opvangkern bronnen``.

Exit codes: 0 fine, 1 the data has errors, 2 wrong use. Bad data and bad use never end in a
traceback; set ``OPVANGKERN_DEBUG=1`` to see one for an internal error (exit 3).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click

EXIT_DATA = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
FORMATS = ("text", "html", "csv", "parquet", "arrow")


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
        click.echo(click.style(bestand, bold=True), err=err)
        for m in items:
            severity, rest = m.describe(with_file=False).split(": ", 1)
            click.echo(f"  {click.style(severity, fg='red' if m.is_error else 'yellow')}: {rest}", err=err)
        if stats is not None and bestand in stats:
            click.echo(f"  {reconciliation_line(stats[bestand], files.get(bestand, 'aantallen'))}", err=err)


def reconciliation_line(stats, wat: str = "aantallen") -> str:
    """``rijen: 24 gelezen = 22 gebruikt + 1 totaalrij + 1 afgewezen + 0 overgeslagen; som van de aantallen:
    3.034`` (``wat``: ``aantallen`` for a realisation file, ``opgaven`` for a quota file)."""
    from .numbers import dutch

    som = stats.som
    som_text = dutch(int(som)) if float(som).is_integer() else f"{som:,.2f}".replace(",", "_").replace(
        ".", ",").replace("_", ".")
    totaal = "totaalrij" if stats.totaalrijen == 1 else "totaalrijen"
    return (f"rijen: {stats.rijen_gelezen} gelezen = {stats.rijen_gebruikt} gebruikt + {stats.totaalrijen} "
            f"{totaal} + {stats.rijen_afgewezen} afgewezen + {stats.rijen_overgeslagen} overgeslagen; "
            f"som van de {wat}: {som_text}")


PROGRESS_MIN_FILES = 10
"""A progress bar is shown (on a terminal only) when a dataset names more files than this."""


def _count_files(folder: Path | None) -> int:
    """How many files the manifest names (quota and realisation files); 0 when it cannot be read.

    Only for the progress bar: problems in the manifest are reported by ``load_dataset`` itself."""
    from .dataset import sample_path
    from .manifest import MANIFEST_NAME, parse_manifest

    folder = sample_path() if folder is None else Path(folder)
    try:
        text = (folder / MANIFEST_NAME).read_text(encoding="utf-8-sig")
        manifest, _ = parse_manifest(text, default_name=folder.name)
    except Exception:  # noqa: BLE001 - no bar then; load_dataset reports the problem properly
        return 0
    return len(manifest.opgaven) + len(manifest.bronnen)


def _is_terminal(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def _load(folder: Path | None, *, stream=None, cache: bool = False):
    """Read the dataset; on a terminal, with more than ``PROGRESS_MIN_FILES`` files, show a progress
    bar on stderr (``stream``). Piped or redirected, nothing is shown."""
    from .dataset import load_dataset

    stream = sys.stderr if stream is None else stream
    total = _count_files(folder) if _is_terminal(stream) else 0
    if total <= PROGRESS_MIN_FILES:
        return load_dataset(folder, cache=cache)
    with click.progressbar(length=total, label="Inlezen", file=stream, show_pos=True, show_eta=False,
                           item_show_func=lambda bestand: bestand) as bar:
        # load_dataset calls this as it starts each file: the bar shows which file is being read.
        return load_dataset(folder, progress=lambda bestand: bar.update(1, bestand), cache=cache)


_NO_CACHE_HELP = ("Lees elk bestand opnieuw, zonder de cache van ingelezen bestanden (standaard in "
                  "$OPVANGKERN_CACHE, anders ~/.cache/opvangkern; OPVANGKERN_CACHE=uit zet hem altijd uit).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="opvangkern")
def cli() -> None:
    """opvangkern: Dutch reception and housing targets turned into trustworthy tables."""


@cli.command()
@click.argument("map_", metavar="[MAP]", required=False, type=click.Path(path_type=Path))
@click.option("--gebied", "-g", help="Code of naam van het gebied (PV22, Drenthe, VR03, Assen, NL01).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Bestand (text, html) of map (csv, parquet, arrow).")
@click.option("--peildatum", type=click.DateTime(formats=["%Y-%m-%d", "%d-%m-%Y"]),
              help="Gebruik per bron het laatste bestand op of voor deze datum.")
@click.option("--geen-cache", "geen_cache", is_flag=True, help=_NO_CACHE_HELP)
def dashboard(map_: Path | None, gebied: str | None, fmt: str, output: Path | None, peildatum,
              geen_cache: bool = False) -> None:
    """Het dashboard van een dataset (zonder MAP: de meegeleverde Drenthe-dataset)."""
    if fmt in ("csv", "parquet", "arrow") and output is None:
        raise click.UsageError(f"--format {fmt} schrijft een map met tabellen: geef --output MAP")
    dataset = _load(map_, cache=not geen_cache)
    if dataset.has_errors:
        _print_meldingen(dataset.melding_list)
        errors = sum(m.is_error for m in dataset.melding_list)
        click.echo(click.style(f"De dataset bevat {errors} fout(en); er is niets geschreven.", fg="red"), err=True)
        sys.exit(EXIT_DATA)
    if dataset.melding_list:
        _print_meldingen(dataset.melding_list)
    day = peildatum.date() if isinstance(peildatum, dt.datetime) else None
    dash = dataset.dashboard(gebied, peildatum=day)
    from . import writers

    if fmt in writers.FORMATS:
        written = writers.write_tables(dash.tables(), output, fmt)
        click.echo(f"{len(written)} tabellen geschreven naar {output}", err=True)
        return
    if fmt == "html":
        from .html import render_html

        text = render_html(dash)
    else:
        from .textview import render

        title = f"{dash.gebied.naam} ({dash.gebied.code}) — {dataset.naam}"
        style = click.style if output is None else (lambda t, **_: t)
        text = render(dash.kaarten, dash.gemeenten, title=title, gebied_code=dash.gebied.code, style=style,
                      verloop=dash.verloop, prognose=dash.prognose)
    if output is None:
        click.echo(text, nl=False)
    else:
        writers.write_atomically({output: text.encode("utf-8")})
        click.echo(f"geschreven: {output}", err=True)


@cli.command()
@click.argument("map_", metavar="MAP", type=click.Path(path_type=Path))
@click.option("--geen-cache", "geen_cache", is_flag=True, help=_NO_CACHE_HELP)
def check(map_: Path, geen_cache: bool = False) -> None:
    """Controleer een dataset en toon elke melding; exit 1 bij een fout."""
    dataset = _load(map_, cache=not geen_cache)
    click.echo(_division_line(dataset))
    files = {e.bestand: "opgaven" for e in dataset.manifest.opgaven}
    files.update((e.bestand, "aantallen") for e in dataset.manifest.bronnen)
    files.update((e.bestand, "afspraken") for e in dataset.manifest.afspraken if e.bestand)
    _print_meldingen(dataset.melding_list, err=False, files=files, stats=dataset.file_stats)
    errors = sum(m.is_error for m in dataset.melding_list)
    warnings = len(dataset.melding_list) - errors
    rows = dataset.realisaties.num_rows
    click.echo(f"{dataset.naam}: {len(dataset.manifest.opgaven)} opgavebestanden, {len(dataset.manifest.bronnen)} "
               f"bronbestanden, {rows} realisatierijen, {dataset.opgaven.num_rows} opgavepunten; "
               f"{errors} fout(en), {warnings} waarschuwing(en).")
    if errors:
        sys.exit(EXIT_DATA)


def _division_line(dataset) -> str:
    """``check``'s header line: the municipal division the dataset is read in (SPEC §2)."""
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
    from .areas.history import Divisions

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

    from .sources.manager import DISABLE_AUTOLOAD_ENV, PluginLoadWarning, adapter_infos, autoload_disabled, \
        failed_plugins

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PluginLoadWarning)  # listed below, as part of the answer
        infos = adapter_infos()
        failures = failed_plugins()
    if not infos:
        click.echo("Geen bronadapters geïnstalleerd (installeer bijvoorbeeld opvangkern-coa).")
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


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Warnings (a plugin that could not be loaded) as one line on stderr, without source lines."""
    click.echo(click.style(f"waarschuwing: {message}", fg="yellow"), err=True)


def main(argv: list[str] | None = None) -> None:
    """Entry point: runs the click group and maps opvangkern's errors to exit codes."""
    import gc
    import warnings

    # A one-shot command builds many long-lived objects (modules, classes, the division, the tables'
    # rows) and few cycles: collecting the youngest generation every 700 allocations cost ~10-15 % of
    # the national command (docs/performance.md, issue 16); every 100,000 keeps cycles bounded.
    before = gc.get_threshold()
    gc.set_threshold(100_000, 10, 10)
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            _main(argv)
    finally:  # called in-process (a test, an embedding script): leave the collector as it was
        gc.set_threshold(*before)


def _main(argv: list[str] | None) -> None:
    from .errors import DataError, OpvangkernError, PluginError, UsageError

    try:
        cli.main(args=argv, prog_name="opvangkern", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("Afgebroken.", err=True)
        sys.exit(EXIT_USAGE)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_USAGE)
    except DataError as exc:
        _print_meldingen(exc.meldingen)
        sys.exit(EXIT_DATA)
    except (UsageError, PluginError) as exc:  # a plugin problem is an installation problem: wrong use
        click.echo(f"Fout: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except OpvangkernError as exc:
        click.echo(f"Fout: {exc}", err=True)
        sys.exit(EXIT_DATA)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - an internal error: a short message, not a traceback
        if os.environ.get("OPVANGKERN_DEBUG"):
            raise
        click.echo(f"Interne fout in opvangkern: {exc!r}. Zet OPVANGKERN_DEBUG=1 voor details en meld dit.",
                   err=True)
        sys.exit(EXIT_INTERNAL)
    sys.exit(0)


if __name__ == "__main__":  # pragma: no cover
    main()
