"""Dutch texts for click's own messages: usage, help, and every usage error of the command line.

click marks its messages for translation with ``gettext`` (``_("Usage:")``) but ships no catalogue.
``install()`` points the ``_`` and ``ngettext`` of click's modules at the table below, so that
``opvangkern`` speaks one language: ``Gebruik:`` instead of ``Usage:``, ``Fout: Ontbrekend argument``
instead of ``Error: Missing argument``. A message without a Dutch text is shown as click wrote it
(``tests/test_cli_language.py`` scans every help text and usage error for English words, so a new
click message is noticed). It is only called by ``opvangkern.cli``: importing the library changes nothing.
"""

from __future__ import annotations

import importlib

__all__ = ["MESSAGES", "PLURALS", "gettext", "ngettext", "install"]

MESSAGES: dict[str, str] = {
    # help pages
    "Usage:": "Gebruik:",
    "Options": "Opties",
    "Commands": "Opdrachten",
    "Positional arguments": "Argumenten",
    "Show this message and exit.": "Toon deze hulptekst en stop.",
    "Show the version and exit.": "Toon de versie en stop.",
    "%(prog)s, version %(version)s": "%(prog)s, versie %(version)s",
    "default: {default}": "standaard: {default}",
    "env var: {var}": "omgevingsvariabele: {var}",
    "required": "verplicht",
    "(dynamic)": "(berekend)",
    "deprecated": "verouderd",
    # errors
    "Error: {message}": "Fout: {message}",
    "Try '{command} {option}' for help.": "Zie '{command} {option}' voor hulp.",
    "Aborted!": "Afgebroken.",
    "Missing command.": "Geen opdracht gegeven.",
    "Missing argument": "Ontbrekend argument",
    "Missing option": "Ontbrekende optie",
    "Missing parameter": "Ontbrekende waarde",
    "Missing {param_type}": "Ontbrekend: {param_type}",
    "Missing parameter: {param_name}": "Ontbrekende waarde: {param_name}",
    "No such option {name!r}.": "Onbekende optie {name!r}.",
    "No such command {name!r}.": "Onbekende opdracht {name!r}.",
    "Invalid value for {param_hint}: {message}": "Ongeldige waarde voor {param_hint}: {message}",
    "Invalid value: {message}": "Ongeldige waarde: {message}",
    "Option {name!r} does not take a value.": "Optie {name!r} neemt geen waarde.",
    "Invalid start character for option ({option})": "Ongeldig beginteken voor een optie ({option})",
    "Argument {name!r} takes {nargs} values.": "Argument {name!r} neemt {nargs} waarden.",
    "Value must be an iterable.": "De waarde moet een reeks zijn.",
    "Could not open file {filename!r}: {message}": "Bestand {filename!r} kan niet worden geopend: {message}",
    "unknown error": "onbekende fout",
    "Choose from:\n\t{choices}": "Kies uit:\n\t{choices}",
    "{value} is not in the range {range}.": "{value} ligt niet in het bereik {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "{value!r} is geen geldige ja/nee-waarde. Bekende waarden: {states}",
    "{value!r} is not a valid {number_type}.": "{value!r} is geen geldig getal ({number_type}).",
    "{value!r} is not a valid UUID.": "{value!r} is geen geldige UUID.",
    "file": "bestand",
    "directory": "map",
    "path": "pad",
    "{name} {filename!r} does not exist.": "{name} {filename!r} bestaat niet.",
    "{name} {filename!r} is a file.": "{name} {filename!r} is een bestand.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} is een map.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} is niet leesbaar.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} is niet schrijfbaar.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} is niet uitvoerbaar.",
    "Do you want to continue?": "Wil je doorgaan?",
    "Confirm the action without prompting.": "Bevestig zonder te vragen.",
    "Press any key to continue...": "Druk op een toets om door te gaan...",
    "Repeat for confirmation": "Herhaal ter bevestiging",
    "Error: The two entered values do not match.": "Fout: de twee ingevoerde waarden verschillen.",
    "Error: invalid input": "Fout: ongeldige invoer",
}
"""click's message → the Dutch text (placeholders kept)."""

PLURALS: dict[tuple[str, str], tuple[str, str]] = {
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"):
        ("Onverwacht extra argument ({args})", "Onverwachte extra argumenten ({args})"),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."):
        ("Verwacht {nargs} waarden, maar kreeg er 1.", "Verwacht {nargs} waarden, maar kreeg er {len}."),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."):
        ("Optie {name!r} verwacht een waarde.", "Optie {name!r} verwacht {nargs} waarden."),
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"):
        ("Bedoel je {possibility}?", "(Bedoel je een van: {possibilities}?)"),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."):
        ("{value!r} is niet {choice}.", "{value!r} is niet een van {choices}."),
    ("{value!r} does not match the format {format}.", "{value!r} does not match the formats {formats}."):
        ("{value!r} past niet bij het formaat {format}.", "{value!r} past niet bij de formaten {formats}."),
    ("{len_type} values are required, but {len_value} was given.",
     "{len_type} values are required, but {len_value} were given."):
        ("{len_type} waarden nodig, maar {len_value} gegeven.", "{len_type} waarden nodig, maar {len_value} gegeven."),
}
"""click's (singular, plural) → the Dutch (singular, plural)."""

_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui", "utils")


def gettext(message: str) -> str:
    """The Dutch text of one of click's messages (the message itself when there is none)."""
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The Dutch singular or plural of one of click's messages."""
    one, many = PLURALS.get((singular, plural), (singular, plural))
    return one if n == 1 else many


def install() -> None:
    """Make click speak Dutch: its modules' ``_`` and ``ngettext`` become ours. Idempotent."""
    for name in _MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
