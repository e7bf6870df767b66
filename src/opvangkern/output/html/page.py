"""The HTML dashboard: one self-contained Dutch page (inline CSS and SVG, no script, no outside request).

Sections, in order: the header with the peildata, the legend, the area's five cards (each with its
chart and map), the municipality table with its totals row, the notes ("Toelichting"), the dataset's
warnings when it has any. See ``docs/html.md``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from html import escape
from itertools import combinations
from importlib.resources import files
from typing import TYPE_CHECKING, Any

import attrs

from opvangkern import __version__
from opvangkern.model import TASK_BY_KEY, TASKS, AreaLevel
from opvangkern.numbers import dutch, dutch_percentage
from opvangkern.sources.labels import card_sources, joined, latest_peildatum, page_name, source_notes, source_order
from opvangkern.output.labels import LEGEND, STATUS_LABELS, TABLE_COLUMNS, area_cards, card_source_text, column_totals
from opvangkern.output.html import agreements, maps
from opvangkern.output.html.format import long_date, short_date
from opvangkern.output.html.history import changes_section, history_of, pace_text, prognose_of, signed
from opvangkern.output.html.options import PageOptions, markdown_lite
from opvangkern.output.html.palette import STATUS_SIGNS
from opvangkern.output.html.timeline import line_value, timeline_svg

if TYPE_CHECKING:
    from opvangkern.areas import Division
    from opvangkern.dashboard.compute import Dashboard

LEVEL_NAMES = {"gemeente": "Gemeente", "veiligheidsregio": "Veiligheidsregio", "provincie": "Provincie",
               "land": "Land"}
LEVEL_PLURAL = {"gemeente": "gemeenten", "veiligheidsregio": "veiligheidsregio's", "provincie": "provincies",
                "land": "landen"}
CATEGORY_NAMES = {"regulier": "regulier", "noodopvang": "noodopvang", "tgo": "tijdelijke gemeentelijke opvang"}

# Per task: how the target is divided (the seed's wording). Figures are never written here.
BASIS = {
    "oekraine": "De opgave Opvang Oekraïne is verdeeld per veiligheidsregio. In het kaartje is dus de stand van "
                "zaken voor de gehele veiligheidsregio weergegeven. In de tabel per gemeente staat daarom geen "
                "opgave per gemeente, omdat deze er niet is; wel is de realisatie per gemeente te zien.",
    "asiel": "De opgave Opvang Asiel is verdeeld over de gemeenten conform de verdeelbesluiten.",
    "vergunninghouders": "De taakstelling huisvesting vergunninghouders is verdeeld over de gemeenten conform de "
                         "Huisvestingswet. De opgave is inclusief de achterstand van de vorige periode.",
    "amv": "De opgave voor Opvang AMV is verdeeld over de gemeenten conform de verdeelbesluiten.",
    "nidos_amv": "De opgave voor Nidos AMV is verdeeld conform de indicatieve opgave kleinschalige opvang.",
}

ALGEMEEN = (
    "Dit dashboard is nog in ontwikkeling. De huidige visualisaties kunnen dus nog aangepast worden en het "
    "dashboard kan nog uitgebreid worden met andere inzichten. Binnen een provincie kunnen afwijkende afspraken "
    "gemaakt zijn tussen gemeenten, bijvoorbeeld m.b.t. uitruil tussen opgaven zoals opvang Oekraïne, asiel en "
    "statushouders. De overzichten kunnen en mogen dus niet als leidend of sturend instrument worden gezien "
    "voor individuele gemeenten.",
    "In de kaartjes bovenaan wordt de realisatie t.o.v. een indicatief schema gevisualiseerd. Daarbij wordt "
    "gebruik gemaakt van de \u201coude\u201d opgave en de \u201cnieuwe\u201d opgave. Daar tussenin wordt een "
    "lijn getrokken om de indicatieve opgave op de betreffende peildatum te bepalen. Dit is te zien in de "
    "grafiek op elk kaartje: de lijn is de opgave, het open rondje het indicatief schema en het gekleurde "
    "rondje de realisatie op de peildatum. Onder de grafiek staan het startpunt en eindpunt van de opgave, het "
    "indicatief schema op de peildatum en de huidige realisatie. Achterstand/voorsprong is het verschil tussen "
    "het indicatief schema en de huidige realisatie (negatief: voorsprong). De kaart eronder kleurt elke "
    "gemeente naar haar eigen stand op die opgave (bij Oekraïne de hele veiligheidsregio); grijs betekent geen "
    "opgave.",
    "In de tabel worden de opgaven en realisaties weergegeven voor de gemeenten binnen het gebied. In de kolom "
    "\u201cdelta\u201d wordt het verschil weergegeven tussen de totale (nieuwe) opgave en de realisatie; een "
    "lege realisatie telt daarbij als 0. De datakwaliteit op gemeenteniveau is niet te controleren. Eventuele "
    "onjuistheden of vervolgvragen moeten bij de oorspronkelijke bron ingediend worden.",
)

# Column groups of the municipality table: (label, first column, number of columns).
GROUPS = (
    ("Oekraïne", 1), ("Asiel", 5), ("Huisvesting vergunninghouders", 3), ("AMV", 3), ("Nidos AMV", 3),
)
SUB_HEADERS = {
    "oekraine_realisatie": "realisatie",
    "asiel_opgave": "opgave",
    "asiel_regulier": "regulier",
    "asiel_noodopvang": '<abbr title="noodopvang">NO</abbr>',
    "asiel_tgo": '<abbr title="tijdelijke gemeentelijke opvang">TGO</abbr>',
    "asiel_delta": "delta",
    "vergunninghouders_opgave": "opgave",
    "vergunninghouders_realisatie": "realisatie",
    "vergunninghouders_delta": "delta",
    "amv_opgave": "opgave",
    "amv_realisatie": "realisatie",
    "amv_delta": "delta",
    "nidos_amv_opgave": "opgave",
    "nidos_amv_realisatie": "realisatie",
    "nidos_amv_delta": "delta",
}


def _css() -> str:
    return (files(__package__) / "style.css").read_text(encoding="utf-8")


def _division(dashboard: Dashboard, division: Division | None) -> Division | None:
    if division is not None:
        return division
    found = getattr(dashboard, "division", None)  # the dashboard's own division (the dataset's)
    if found is None or getattr(found, "folder", None) is None:  # no map files of its own: the shipped one
        from opvangkern.areas import load_division

        found = load_division()
    try:
        found.area(dashboard.gebied.code)
        return found
    except Exception:  # an area the division does not know: the page goes without maps
        return None


@attrs.frozen
class _Context:
    """What every part of one page needs: the dashboard's lookups, the map shapes, the options."""

    dashboard: Any
    division: Any
    options: PageOptions
    shapes: maps.MapShapes | None
    region_of: Mapping[str, str]
    status_of: Mapping[tuple[str, str], dict]
    names: Mapping[str, str]
    history: Mapping[tuple[str, str], list]
    prognose: Mapping[tuple[str, str], dict]
    agreements: list
    large_maps: bool

    def link(self, code: str) -> str | None:
        """The href of ``code``'s page in the site (never the page itself; ``None`` outside a site)."""
        if not self.options.link or code == self.dashboard.gebied.code:
            return None
        return self.options.link(code)


def _table(dashboard: Dashboard, name: str):
    return getattr(dashboard, name, None)


def _context(dashboard: Dashboard, division: Division | None, options: PageOptions) -> _Context:
    area = dashboard.gebied
    large = area.niveau is AreaLevel.LAND
    shapes, region_of = _shapes(division, area, large)
    names = _area_names(dashboard, division, region_of)
    return _Context(dashboard, division, options, shapes, region_of, _status_lookup(dashboard.kaarten), names,
                    history_of(_table(dashboard, "verloop")), prognose_of(_table(dashboard, "prognose")),
                    agreements.rows(_table(dashboard, "afspraken")), large)


def cards_fragment(dashboard: Dashboard) -> str:
    """The area's cards exactly as the page draws them (with the map symbols they use), without the rest
    of the page: for a notebook (``opvangkern.output.notebook``)."""
    division = _division(dashboard, None)
    ctx = _context(dashboard, division, PageOptions())
    body = "".join(_card(ctx, card) for card in area_cards(dashboard.kaarten))
    return _defs(ctx.shapes) + body


def render_page(dashboard: Dashboard, division: Division | None = None,
                options: PageOptions | None = None) -> str:
    options = options or PageOptions()
    division = _division(dashboard, division)
    area = dashboard.gebied
    cards = area_cards(dashboard.kaarten)
    large = area.niveau is AreaLevel.LAND
    ctx = _context(dashboard, division, options)
    shapes, names = ctx.shapes, ctx.names
    title = options.titel or f"Opgaven opvang en huisvesting — {area.naam}"
    peil = _peildata_text(dashboard)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="nl">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # Nothing may leave the file: no script, no outside style, font or image.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; img-src data:\">",
        f'<meta name="generator" content="opvangkern {escape(__version__)}">',
        f"<title>{escape(title)} ({escape(dashboard.dataset_naam)})</title>",
        f"<style>\n{_css()}{_print_header_css(area, peil)}</style>",
        "</head>",
        "<body>",
        _defs(shapes),
        "<main>",
        _up_links(options),
        _banner(options, bool(getattr(dashboard, "is_sample", False))),
        _header(dashboard, title, options),
        _intro(options),
        _legend(),
        '<section class="pagina-1" aria-label="Opgaven">',
        '<div class="kaarten">',
        *(_card(ctx, card) for card in cards),
        "</div>",
        '<p class="voetnoot">*Op basis van indicatief schema opgave. Achterstand is positief, voorsprong '
        "negatief.</p>",
        "</section>",
        _large_maps(ctx) if large else "",
        changes_section(_table(dashboard, "verloop"), ctx.link),
        agreements.section(ctx.agreements, names, ctx.link),
        _municipality_table(ctx),
        _notes(dashboard, cards, division, options),
        _meldingen(dashboard),
        _footer(dashboard, peil),
        "</main>",
        "</body>",
        "</html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


def _area_names(dashboard: Dashboard, division: Division | None, region_of: Mapping[str, str]) -> dict[str, str]:
    names = {row["gemeentecode"]: row["gemeentenaam"] for row in dashboard.gemeenten.select(
        ["gemeentecode", "gemeentenaam"]).to_pylist()}
    names.update((row["gebied_code"], row["gebied_naam"]) for row in dashboard.kaarten.select(
        ["gebied_code", "gebied_naam"]).to_pylist())
    extra: set[str] = set()
    for column in ("veiligheidsregiocode", "provinciecode"):
        if column in dashboard.gemeenten.column_names:
            extra.update(c for c in dashboard.gemeenten.column(column).to_pylist() if c)
    if division is not None:
        for code in set(region_of) | set(region_of.values()) | extra:
            if code not in names:
                try:
                    names[code] = division.area(code).naam
                except LookupError:
                    pass
    return names


# ----------------------------------------------------------------------------------------- header


def _peildata_text(dashboard: Dashboard) -> str:
    return "; ".join(f"{_source_name(dashboard, bron)}: {long_date(day)}"
                     for bron, day in sorted(dashboard.peildata.items(), key=lambda kv: _source_order(dashboard, kv[0])))


def _source_name(dashboard: Dashboard, bron: str) -> str:
    """The source's name in a sentence: the installed adapter's label (``opvangkern.sources.labels``)."""
    return page_name(dashboard, bron)


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal: quotes, backslashes and line breaks escaped; ``<`` too, so the
    text can never close the ``<style>`` element."""
    out = []
    for ch in text:
        if ch in "\"\\<>&" or ord(ch) < 32 or ord(ch) == 127:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _print_header_css(area, peil: str) -> str:
    """The running header and the page numbers of the printed page: CSS page-margin boxes (Chromium
    prints them since version 131). The area and the peildata come from the dashboard."""
    level = LEVEL_NAMES.get(area.niveau.value, area.niveau.value)
    head = f"{level} {area.naam} ({area.code}) · peildata {peil}" if peil else f"{level} {area.naam} ({area.code})"
    return ("@page { @top-left { content: " + _css_string(head) + "; font: 7pt system-ui, sans-serif; "
            "color: #5b6472; } @bottom-right { content: \"pagina \" counter(page) \" van \" counter(pages); "
            "font: 7pt system-ui, sans-serif; color: #5b6472; } }\n")


def _up_links(options: PageOptions) -> str:
    if not options.up:
        return ""
    items = " › ".join(f'<a href="{escape(href)}">{escape(label)}</a>' for label, href in options.up)
    return f'<nav class="kruimel" aria-label="Hoger niveau">{items}</nav>'


def _banner(options: PageOptions, is_sample: bool = False) -> str:
    if not (options.is_sample or is_sample):
        return ""
    return ('<p class="banner" role="note"><strong>Voorbeeld.</strong> Deze pagina toont de voorbeelddataset die '
            "met opvangkern wordt meegeleverd (Drenthe, stand 31 december 2025), geen eigen dataset.</p>")


def _header(dashboard: Dashboard, title: str, options: PageOptions | None = None) -> str:
    area = dashboard.gebied
    peil = [f"{escape(_source_name(dashboard, bron))}: {long_date(day)}"
            for bron, day in sorted(dashboard.peildata.items(), key=lambda kv: _source_order(dashboard, kv[0]))]
    level = LEVEL_NAMES.get(area.niveau.value, area.niveau.value)
    logo = ""
    if options is not None and options.logo:
        logo = f'<img class="logo" src="{escape(options.logo)}" alt="Logo">'
    return (
        '<header class="kop">'
        f"{logo}<div><h1>{escape(title)}</h1>"
        f'<p class="sub">{escape(level)} {escape(area.naam)} ({escape(area.code)}) · '
        f"{escape(dashboard.dataset_naam)}</p></div>"
        f'<p class="peildata">Peildata: {"; ".join(peil) if peil else "geen realisaties"}</p>'
        "</header>"
    )


def _intro(options: PageOptions) -> str:
    if not options.inleiding:
        return ""
    return f'<section class="inleiding" aria-label="Inleiding">{markdown_lite(options.inleiding)}</section>'


def _source_order(dashboard: Dashboard, bron: str) -> tuple[int, str]:
    return source_order(dashboard, bron)


def _symbol_defs(suffix: str, r: float) -> str:
    """The symbols of the second status channel, of radius ``r`` map units: a ring (*licht achter*)
    and a cross (*achter*), each drawn twice (a white halo under a dark line) so they show on any fill."""
    a = round(r * 0.95, 1)
    cross = f"M{-a} {-a}l{2 * a} {2 * a}m0 {-2 * a}l{-2 * a} {2 * a}"
    return (f'<g id="teken-ring{suffix}"><circle r="{r}" class="halo"/><circle r="{r}"/></g>'
            f'<g id="teken-kruis{suffix}"><path class="halo" d="{cross}"/><path d="{cross}"/></g>')


SYMBOL_DEFS = _symbol_defs("", 6.5) + _symbol_defs("-klein", 4.2)
"""The second status channel on the maps: a ring marks *licht achter*, a cross *achter* (the ``-klein``
pair for the country's maps, where the municipalities are small)."""
SYMBOL_OF = {"licht_achter": "teken-ring", "achter": "teken-kruis"}


def _symbol(status: str | None) -> str:
    """A legend swatch: the colour with the map's symbol on it."""
    symbol = SYMBOL_OF.get(status or "")
    inner = f'<use href="#{symbol}" class="teken"/>' if symbol else ""
    cls = f"st-{status}" if status else "st-geen"
    return f'<svg class="legenda-vlak {cls}" viewBox="-10 -10 20 20" aria-hidden="true"><rect x="-10" y="-10" ' \
           f'width="20" height="20" rx="3"/>{inner}</svg>'


def _legend() -> str:
    items = [f'<li>{_symbol(s)}<span class="teken-tekst" aria-hidden="true">{STATUS_SIGNS[s]}</span>'
             f'{escape(text)}</li>' for s, text in LEGEND]
    items.append(f'<li>{_symbol(None)}Geen opgave of geen gegevens</li>')
    return f'<ul class="legenda" aria-label="Legenda">{"".join(items)}</ul>'


# ------------------------------------------------------------------------------------------ cards


def _status_lookup(kaarten) -> dict[tuple[str, str], dict]:
    """``(gebied_code, opgave) -> kaarten row`` (the first row wins: the area's own card)."""
    out: dict[tuple[str, str], dict] = {}
    for row in kaarten.to_pylist():
        out.setdefault((row["gebied_code"], row["opgave"]), row)
    return out


def _status_text(card: Mapping[str, Any]) -> str:
    status = card.get("status")
    if status is None:
        return "geen gegevens"
    text = STATUS_LABELS.get(status, status)
    if card.get("realisatiegraad") is not None:
        text += f" · {dutch_percentage(card['realisatiegraad'])} van schema"
    return text


def card_members(division: Division | None, card: Mapping[str, Any]) -> tuple[str, ...]:
    """The target areas whose lines add up to a card's line: the municipalities of its area, or for
    ``oekraine`` (a target per safety region) the region itself or the regions in the area."""
    code, level = card["gebied_code"], card["gebied_niveau"]
    target = TASK_BY_KEY[card["opgave"]].target_level
    if level == target.value or division is None:
        return (code,)
    try:
        return tuple(a.code for a in division.members(code, target))
    except (LookupError, ValueError):
        return (code,)


def target_line(opgaven, agreement_rows: Sequence[Mapping[str, Any]], task: str,
                members: Sequence[str]) -> list[tuple[dt.date, float]]:
    """The whole target line of ``task`` summed over ``members``: each member's quota points (the later
    decision wins on a date, [The engine](engine.md)), changed by the agreements as [Agreements](afspraken.md) says (points dated on or
    after ``ingangsdatum`` lowered for the giving, raised for the receiving area), then summed at the
    union of their dates. The page checks it against the card's segment (see ``_card_line``)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    inside = set(members)
    # The giving lines of agreements that reach a member: a receiving area without a line takes their dates.
    givers = {row.get("van_code") for row in agreement_rows
              if row.get("opgave") == task and row.get("naar_code") in inside}
    needed = inside | {g for g in givers if g}
    opgaven = opgaven.filter(pc.and_(pc.equal(opgaven.column("opgave"), task),
                                     pc.is_in(opgaven.column("gebied_code"), pa.array(sorted(needed), pa.string()))))
    own: dict[str, dict[dt.date, float]] = defaultdict(dict)
    for opgave, code, day, aantal in zip(*(opgaven.column(c).to_pylist() for c in (
            "opgave", "gebied_code", "ingangsdatum", "aantal"))):
        if day is not None and aantal is not None:
            own[code][day] = aantal
    before = {code: dict(points) for code, points in own.items()}  # the giving lines' own dates
    for row in agreement_rows:
        start, aantal = row.get("ingangsdatum"), row.get("aantal")
        if start is None or not aantal:
            continue
        giver, receiver = row.get("van_code"), row.get("naar_code")
        if row.get("opgave") == task and giver in own:
            for day in own[giver]:
                if day >= start:
                    own[giver][day] -= aantal
        if (row.get("naar_opgave") or row.get("opgave")) == task and receiver in inside:
            if receiver not in own:
                # A receiving area without a line gets one: 0 at the giving line's points before the
                # agreement, aantal from it on (SPEC §13). Across tasks the giving line is another task's.
                days = sorted(before.get(giver, {})) if row.get("opgave") == task else [start]
                own[receiver] = {day: (float(aantal) if day >= start else 0.0) for day in days}
                if not own[receiver]:
                    del own[receiver]
            else:
                for day in own[receiver]:
                    if day >= start:
                        own[receiver][day] += aantal
    own = {code: points for code, points in own.items() if code in inside}
    lines = [sorted(points.items()) for points in own.values() if points]
    if not lines:
        return []
    days = sorted({day for line in lines for day, _ in line})
    return [(day, sum(line_value(line, day) for line in lines)) for day in days]


def _card_line(ctx: _Context, card: Mapping[str, Any]) -> list[tuple[dt.date, float]]:
    """The whole line for the chart, when it agrees with the card's own segment (start and end point);
    otherwise only the card's segment (the dashboard's figures always win)."""
    if card.get("startdatum") is None:
        return []
    line = target_line(ctx.dashboard.opgaven, ctx.agreements, card["opgave"], card_members(ctx.division, card))
    if not line:
        return []
    for day, value in ((card["startdatum"], card["startpunt"]), (card["einddatum"], card["eindpunt"])):
        if day is None or value is None or abs(line_value(line, day) - value) > 1e-6 * max(1.0, abs(value)):
            return []
    return line


def _card(ctx: _Context, card: dict) -> str:
    dashboard = ctx.dashboard
    task = TASK_BY_KEY[card["opgave"]]
    status = card.get("status") or "geen"
    source = card_source_text(dashboard, card)
    region_names = {code: ctx.names.get(code, code) for code in set(ctx.region_of.values())}
    where = escape(f"{LEVEL_NAMES.get(card['gebied_niveau'], '')} {card['gebied_naam']}".strip())
    if card["gebied_niveau"] == "veiligheidsregio" and ctx.link(card["gebied_code"]):
        # A municipality's Ukraine card is its region's: link the region's page in a site.
        where = f'<a href="{escape(ctx.link(card["gebied_code"]))}">{where}</a>'
    if card["opgave"] == "oekraine" and card["gebied_niveau"] != "veiligheidsregio":
        regions = sorted(set(region_names.values()))
        if len(regions) == 1:
            region_code = next(iter(set(ctx.region_of.values())))
            name = escape(regions[0])
            href = ctx.link(region_code)
            if href:
                name = f'<a href="{escape(href)}">{name}</a>'
            where += f" (veiligheidsregio {name})"
        elif regions:
            where += f" (som van {len(regions)} veiligheidsregio's)"
    achterstand = card.get("achterstand")
    lead = "" if achterstand is None else ("voorsprong" if achterstand < 0 else "achterstand")
    realised_note = (f"{escape(source)}, {short_date(card['peildatum'])}" if card.get("peildatum")
                     else f"{escape(source)}: geen gegevens")
    rows = [
        ("Startpunt opgave", card.get("startpunt"), short_date(card.get("startdatum")), ""),
        ("Eindpunt opgave", card.get("eindpunt"), short_date(card.get("einddatum")), ""),
        ("Indicatief schema opgave", card.get("indicatief_schema"),
         f"op {short_date(card['peildatum'])}" if card.get("peildatum") else "", ""),
        ("Huidige realisatie", card.get("realisatie"), realised_note, ""),
        ("Achterstand/voorsprong*", achterstand, lead, "nadruk"),
    ]
    body = "".join(
        f'<tr{f" class={cls}" if cls else ""}><th scope="row">{label}'
        f'{f"<span class=noot>{note}</span>" if note else ""}</th>'
        f'<td class="getal{" lang" if len(dutch(value)) > 6 else ""}">{dutch(value)}</td></tr>'
        for label, value, note, cls in rows)
    key = (card["gebied_code"], card["opgave"])
    history = [(r["peildatum"], r["realisatie"]) for r in ctx.history.get(key, []) if r.get("peildatum")]
    prognose = ctx.prognose.get(key)
    chart_title = (f"Grafiek {task.label}: opgave van {dutch(card.get('startpunt'))} naar "
                   f"{dutch(card.get('eindpunt'))}, indicatief schema {dutch(card.get('indicatief_schema'))}, "
                   f"realisatie {dutch(card.get('realisatie'))}")
    pace = pace_text(prognose)
    if pace:
        chart_title += f"; {pace}"
    touched = agreements.touching(ctx.agreements, card["opgave"], card_members(ctx.division, card))
    sign = STATUS_SIGNS.get(card.get("status") or "geen_opgave", "")
    chart = timeline_svg(card, status_class="st-" + status, title=chart_title, line=_card_line(ctx, card),
                         history=history, prognose=prognose)
    return (
        f'<article class="kaart st-{status}" id="kaart-{escape(task.key)}">'
        f'<header><h3>{escape(task.label)}</h3><p class="gebied">{where}</p>'
        f'<p class="status"><span class="stip"></span><span class="teken-tekst" aria-hidden="true">{sign}</span>'
        f'{escape(_status_text(card))}</p></header>'
        f"{chart}"
        f'<div class="cijfers-blok"><table class="cijfers">{body}</table>'
        f'{f"<p class=tempo>{escape(pace)}</p>" if pace else ""}'
        f"{agreements.card_block(card, touched)}</div>"
        f"{'' if ctx.large_maps else _map(ctx, task.key)}"
        "</article>"
    )


# ------------------------------------------------------------------------------------------- maps


def _shapes(division: Division | None, area, large: bool = False) -> tuple[maps.MapShapes | None, dict[str, str]]:
    """The map shapes of the page: the area's municipalities (a municipality: those of its safety
    region, so that it is shown within its region), 800 units wide for the country, else 400."""
    if division is None:
        return None, {}
    source = division.geo_file(AreaLevel.GEMEENTE)
    if source is None:
        return None, {}
    code = area.code
    if area.niveau is AreaLevel.GEMEENTE:
        code = division.parent(code, AreaLevel.VEILIGHEIDSREGIO).code
    key = (id(division), code, large)
    cached = _SHAPES.get(key)
    if cached is not None and cached[0] is division:  # a site draws one region for each of its municipalities
        return cached[1], cached[2]
    municipalities = [a.code for a in division.members(code, AreaLevel.GEMEENTE)]
    region_of = {m: division.parent(m, AreaLevel.VEILIGHEIDSREGIO).code for m in municipalities}
    province_of = {m: division.parent(m, AreaLevel.PROVINCIE).code for m in municipalities} if large else None
    try:
        topology, arcs = maps.read_topology(source)
        shapes = maps.build_shapes(topology, arcs, municipalities, region_of, size=800 if large else 400,
                                   province_of=province_of)
    except (ValueError, KeyError, OSError):  # a broken boundary file costs the maps, not the page
        shapes = None
    if len(_SHAPES) > 64:
        _SHAPES.clear()
    _SHAPES[key] = (division, shapes, region_of)
    return shapes, region_of


_SHAPES: dict[tuple, tuple] = {}


def _defs(shapes: maps.MapShapes | None) -> str:
    extra = SYMBOL_DEFS
    paths = ""
    if shapes is not None:
        paths = "".join(f'<path id="gm-{code}" d="{d}"/>' for code, d in shapes.paths.items())
        extra += f'<path id="grens-buiten" d="{shapes.outline}"/>'
        if shapes.region_borders:
            extra += f'<path id="grens-regio" d="{shapes.region_borders}"/>'
        if shapes.province_borders:
            extra += f'<path id="grens-provincie" d="{shapes.province_borders}"/>'
    return f'<svg class="defs" aria-hidden="true" focusable="false"><defs>{paths}{extra}</defs></svg>'


def _map_row(ctx: _Context, task: str, code: str) -> dict | None:
    area_code = ctx.dashboard.gebied.code
    if task == "oekraine":
        return ctx.status_of.get((ctx.region_of.get(code, ""), task)) or (
            ctx.status_of.get((area_code, task)) if ctx.dashboard.gebied.niveau is not AreaLevel.GEMEENTE else None)
    row = ctx.status_of.get((code, task))
    if row is None and code == area_code:
        row = ctx.status_of.get((area_code, task))
    return row


def _map(ctx: _Context, task: str, large: bool = False) -> str:
    shapes = ctx.shapes
    if shapes is None:
        return '<p class="kaartje-geen">Geen kaart: de grenzen van dit gebied zijn niet beschikbaar.</p>'
    area = ctx.dashboard.gebied
    own_page = area.niveau is AreaLevel.GEMEENTE
    font = round(shapes.width / 40, 1) if not large else 9.0
    uses, symbols, labels = [], [], []
    chosen = ""
    for code in shapes.paths:
        name = ctx.names.get(code, code)
        row = _map_row(ctx, task, code)
        outside = own_page and code != area.code and task != "oekraine"
        status = (row or {}).get("status")
        if outside:
            tip = f"{name}: zie de pagina van {name}" if ctx.link(code) else f"{name} (buurgemeente in de regio)"
        elif row is None:
            tip = f"{name}: geen opgave"
        else:
            whose = f" (veiligheidsregio {row['gebied_naam']})" if task == "oekraine" else ""
            tip = (f"{name}{whose}: realisatie {dutch(row['realisatie'])} bij indicatief schema "
                   f"{dutch(row['indicatief_schema'])} — {_status_text(row)}")
        classes = ["omgeving"] if outside else ([f"st-{status}"] if status else [])
        if own_page and code == area.code:
            classes.append("gekozen")
        cls = f' class="{" ".join(classes)}"' if classes else ""
        use = f'<use href="#gm-{code}"{cls}><title>{escape(tip)}</title></use>'
        href = ctx.link(code) if code != area.code else None
        if href:
            use = f'<a href="{escape(href)}">{use}</a>'
        if own_page and code == area.code:
            chosen = use  # drawn last, so its outline lies on top
        else:
            uses.append(use)
        point = shapes.label_points.get(code)
        if point is not None and not outside and status in SYMBOL_OF:
            symbol = SYMBOL_OF[status] + ("-klein" if large or len(shapes.paths) > 30 else "")
            symbols.append(f'<use href="#{symbol}" class="teken" x="{point[0]}" y="{point[1]}"/>')
        if point is not None and _label_fits(name, shapes.ring_areas.get(code, 0), font):
            labels.append(f'<text class="naam" x="{point[0]}" y="{round(point[1] + font * 1.25, 1)}">'
                          f"{escape(name)}</text>")
    if chosen:
        uses.append(chosen)
    borders = '<use href="#grens-buiten" class="buitengrens"/>'
    caption = "Per gemeente"
    if task == "oekraine":
        caption = "Per veiligheidsregio (de opgave is per regio)"
    if shapes.region_borders and (task == "oekraine" or large):
        borders += '<use href="#grens-regio" class="regiogrens"/>'
    if shapes.province_borders:
        borders += '<use href="#grens-provincie" class="provinciegrens"/>'
    if own_page:
        region = ctx.names.get(ctx.region_of.get(area.code, ""), "")
        caption += f"; {area.naam} binnen veiligheidsregio {region}" if region else ""
    label = f"Kaart {TASK_BY_KEY[task].label}: {caption.lower()}"
    symbol_layer = '<g class="tekens">' + "".join(symbols) + "</g>" if symbols else ""
    label_layer = f'<g class="namen" style="font-size:{font}px">' + "".join(labels) + "</g>" if labels else ""
    size = " groot" if large else ""
    return (
        f'<figure><svg class="kaartje{size}" viewBox="0 0 {shapes.width} {shapes.height}" '
        f'role="img" aria-label="{escape(label)}">{"".join(uses)}{borders}{symbol_layer}{label_layer}</svg>'
        f"<figcaption>{escape(caption)}</figcaption></figure>"
    )


def _label_fits(name: str, area: float, font: float) -> bool:
    """A name is printed on the map when its municipality is large enough to hold it (a box of the
    text's width, about 0.55 em per letter, and three times its height)."""
    return area >= len(name) * 0.55 * font * font * 3


def _large_maps(ctx: _Context) -> str:
    """The country's maps: one large map per task in a section of their own (cards are too small)."""
    figures = []
    for task in TASKS:
        if not any(c["opgave"] == task.key for c in area_cards(ctx.dashboard.kaarten)):
            continue
        figures.append(f'<div class="kaartbeeld" id="kaartbeeld-{task.key}"><h3>{escape(task.label)}</h3>'
                       f"{_map(ctx, task.key, large=True)}</div>")
    if not figures:
        return ""
    return ('<section class="kaartbeelden" aria-labelledby="kaarten-kop"><h2 id="kaarten-kop">Kaarten</h2>'
            '<p class="voetnoot">Elke gemeente in de kleur van haar eigen stand (Oekraïne: die van haar '
            "veiligheidsregio). Doorgetrokken dikke lijnen: provinciegrenzen; gestreept: grenzen van "
            f"veiligheidsregio's. Wijs een gemeente aan voor naam en cijfers.</p>"
            f'<div class="kaartbeelden-rooster">{"".join(figures)}</div></section>')


# ---------------------------------------------------------------------------------------- table


def _sum_rows(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> dict[str, Any]:
    """Each column summed over ``rows``, blank when every value is blank (as ``column_totals``)."""
    out: dict[str, Any] = {}
    for c in columns:
        values = [r.get(c) for r in rows if r.get(c) is not None]
        out[c] = sum(values) if values else None
    return out


def _groups(ctx: _Context, rows: list[dict]) -> list[tuple[str | None, str | None, list[dict]]]:
    """``(province code, region code, rows)`` per group of the municipality table: by safety region
    when the area holds several (and by province first at national level); one group otherwise."""
    regions = {r.get("veiligheidsregiocode") or ctx.region_of.get(r["gemeentecode"]) for r in rows}
    regions.discard(None)
    national = ctx.dashboard.gebied.niveau is AreaLevel.LAND
    if len(regions) <= 1 and not national:
        return [(None, None, rows)]
    division = ctx.division

    def province(row: dict) -> str | None:
        code = row.get("provinciecode")
        if code is None and division is not None and national:
            try:
                code = division.parent(row["gemeentecode"], AreaLevel.PROVINCIE).code
            except (LookupError, ValueError):
                code = None
        return code if national else None

    def region(row: dict) -> str | None:
        return row.get("veiligheidsregiocode") or ctx.region_of.get(row["gemeentecode"])

    grouped: dict[tuple[str | None, str | None], list[dict]] = defaultdict(list)
    for row in rows:
        grouped[(province(row), region(row))].append(row)
    name = ctx.names.get
    return [(p, r, members) for (p, r), members in sorted(
        grouped.items(), key=lambda kv: (name(kv[0][0] or "", kv[0][0] or ""), name(kv[0][1] or "", kv[0][1] or "")))]


def _municipality_table(ctx: _Context) -> str:
    dashboard = ctx.dashboard
    columns = [c for c, _ in TABLE_COLUMNS[1:]]
    full = dict(TABLE_COLUMNS)
    starts = set()
    index = 0
    for _, width in GROUPS:
        starts.add(columns[index])
        index += width
    group_row = ['<th class="naam" rowspan="2" scope="col">Gemeente</th>']
    for label, width in GROUPS:
        group_row.append(f'<th class="begin" colspan="{width}" scope="colgroup">{escape(label)}</th>')
    sub_row = [f'<th scope="col" title="{escape(full[c])}"{" class=begin" if c in starts else ""}>'
               f"{SUB_HEADERS[c]}</th>" for c in columns]
    marked = False

    def cells(values: Mapping[str, Any], mark: bool = False) -> str:
        nonlocal marked
        out = []
        for c in columns:
            value = values.get(c)
            classes = [k for k, on in (("begin", c in starts),
                                       ("negatief", c.endswith("_delta") and value is not None and value < 0)) if on]
            extra = ""
            if mark and c.endswith("_opgave") and values.get(c[:-len("_opgave")] + "_afspraken") is not None:
                change = values[c[:-len("_opgave")] + "_afspraken"]
                classes.append("afspraak")
                extra = (f'<sup class="afspraak-teken" title="waarvan afspraken {signed(change)}">A</sup>')
                marked = True
            cls = f' class="{" ".join(classes)}"' if classes else ""
            out.append(f"<td{cls}>{dutch(value)}{extra}</td>")
        return "".join(out)

    def name_cell(code: str, text: str) -> str:
        href = ctx.link(code)
        return f'<a href="{escape(href)}">{escape(text)}</a>' if href else escape(text)

    rows = dashboard.gemeenten.to_pylist()
    groups = _groups(ctx, rows)
    width = len(columns) + 1
    bodies = []
    for index, (province, region, members) in enumerate(groups):
        head, foot = [], []
        first_of_province = province is not None and (index == 0 or groups[index - 1][0] != province)
        last_of_province = province is not None and (index == len(groups) - 1 or groups[index + 1][0] != province)
        regions_in_province = {g[1] for g in groups if g[0] == province}
        show_region = region is not None and (province is None or len(regions_in_province) > 1)
        if first_of_province:
            # A province that is one safety region names (and links) that region in its own heading.
            single = (f" · veiligheidsregio {name_cell(region, ctx.names.get(region, region))}"
                      if region is not None and not show_region else "")
            head.append(f'<tr class="groepkop provincie"><th colspan="{width}" scope="rowgroup">Provincie '
                        f"{name_cell(province, ctx.names.get(province, province))}{single}</th></tr>")
        if show_region:
            head.append(f'<tr class="groepkop"><th colspan="{width}" scope="rowgroup">Veiligheidsregio '
                        f"{name_cell(region, ctx.names.get(region, region))}</th></tr>")
            foot.append(f'<tr class="subtotaal"><th scope="row">Subtotaal {escape(ctx.names.get(region, region))}'
                        f"</th>{cells(_sum_rows(members, columns))}</tr>")
        if last_of_province:
            inside = [r for g in groups if g[0] == province for r in g[2]]
            foot.append(f'<tr class="subtotaal provincie"><th scope="row">Subtotaal provincie '
                        f"{escape(ctx.names.get(province, province))}</th>{cells(_sum_rows(inside, columns))}</tr>")
        body = "".join(f'<tr><th scope="row">{name_cell(row["gemeentecode"], row["gemeentenaam"])}</th>'
                       f"{cells(row, mark=True)}</tr>" for row in members)
        bodies.append(f"<tbody>{''.join(head)}{body}{''.join(foot)}</tbody>")
    totals = column_totals(dashboard.gemeenten)
    note = ('<p class="voetnoot">Opgave: de nieuwe (laatste) opgave. Delta: opgave min realisatie (bij asiel de som '
            "van de meetellende plekken); een lege realisatie telt als 0, negatief is een voorsprong. Een leeg vak: "
            "geen opgave of geen gegevens.")
    if len(groups) > 1:
        note += " Per groep een subtotaal; het totaal onderaan telt elke gemeente één keer."
    if marked:
        note += " <sup>A</sup>: de opgave is door afspraken veranderd (zie Afspraken)."
    return (
        '<section class="pagina-2" aria-labelledby="tabel-kop">'
        f'<h2 id="tabel-kop">Opgaven en realisaties per gemeente — {escape(dashboard.gebied.naam)}</h2>'
        '<div class="tabel-wrap"><table class="gemeenten">'
        f'<thead><tr class="groep">{"".join(group_row)}</tr><tr>{"".join(sub_row)}</tr></thead>'
        f"{''.join(bodies)}"
        f'<tfoot><tr><th scope="row">Totaal</th>{cells(totals)}</tr></tfoot>'
        "</table></div>"
        f"{note}</p>"
        "</section>"
    )


# ---------------------------------------------------------------------------------------- notes


def decision_totals(opgaven, task: str) -> list[tuple[dt.date, float, str, int]]:
    """Per quota decision of ``task``: ``(ingangsdatum, summed aantal, niveau, number of areas)``, by date."""
    import pyarrow.compute as pc

    opgaven = opgaven.filter(pc.equal(opgaven.column("opgave"), task))
    sums: dict[dt.date, float] = defaultdict(float)
    areas: dict[dt.date, set[str]] = defaultdict(set)
    levels: dict[dt.date, str] = {}
    for opgave, code, niveau, day, aantal in zip(*(opgaven.column(c).to_pylist() for c in (
            "opgave", "gebied_code", "gebied_niveau", "ingangsdatum", "aantal"))):
        if opgave != task or day is None or aantal is None:
            continue
        sums[day] += aantal
        areas[day].add(code)
        levels.setdefault(day, niveau)
    return [(day, sums[day], levels[day], len(areas[day])) for day in sorted(sums)]


def _scope(division: Division | None, niveau: str, count: int) -> str:
    """``landelijk`` when the decision covers every area of its level, else how many it covers."""
    if division is not None:
        try:
            if count == len(division.members("NL01", niveau)):
                return "landelijke"
        except (ValueError, LookupError):
            pass
    return f"in deze dataset ({count} {LEVEL_PLURAL.get(niveau, niveau)})"


def _decision_sentences(dashboard: Dashboard, task: str, division: Division | None,
                        totalen: Mapping[tuple[str, dt.date], float] | None = None) -> str:
    decisions = decision_totals(dashboard.opgaven, task)
    label = TASK_BY_KEY[task].label
    if not decisions:
        return f"De dataset bevat geen opgave voor {escape(label)}."

    def scoped(niveau: str, count: int) -> str:
        scope = _scope(division, niveau, count)
        return f"De {scope} opgave" if scope == "landelijke" else f"De opgave {scope}"

    first_day, first_sum, niveau, count = decisions[0]
    text = f"{scoped(niveau, count)} voor {escape(label)} per {long_date(first_day)} was {dutch(first_sum)}."
    if len(decisions) > 1:
        turned = _turns_of(decisions)
        for position, (day, total, niveau, count) in enumerate(decisions[1:-1], start=1):
            if day in turned:  # the end of a half-year and the next one's start at its backlog, on one day
                text += (f" Per {long_date(day)} werd die {dutch(total)}, het einde van het halfjaar; het nieuwe "
                         f"halfjaar begint die dag bij {dutch(turned[day])} (de achterstand).")
            elif not any(day - dt.timedelta(days=k) in turned for k in (1, 2)):  # not the two points kept for it
                text += f" Per {long_date(day)} werd die {dutch(total)}."
        day, total, niveau, count = decisions[-1]
        text += f" De nieuwe opgave is {dutch(total)} per {long_date(day)}."
    # The national context the manifest states (``totaal``), for decisions this dataset holds in part.
    national = [(day, (totalen or {}).get((task, day))) for day, _, niveau, count in decisions
                if _scope(division, niveau, count) != "landelijke"]
    national = [(day, total) for day, total in national if total is not None]
    if national:
        text += " Landelijk: " + "; ".join(f"{dutch(total)} per {long_date(day)}" for day, total in national) + \
            " (het totaal van het verdeelbesluit)."
    return text


def _turns_of(decisions: Sequence[tuple[dt.date, float, str, int]]) -> dict[dt.date, float]:
    """``{B: the new half-year's start}`` of each turn of the summed decisions (``engine.reference_periods``: the
    old end on ``B`` and ``B + 1``, the new line from ``B + 2``): the points on ``B + 1`` and ``B + 2`` are kept
    for the line, not decided (``Per 3 januari 2026 werd die 404`` named the new line's value on its third
    day); its start on ``B`` is the new line taken back two days, as the card's startpunt."""
    from opvangkern.engine import reference_periods

    points = [(day, total) for day, total, _, _ in decisions]
    where = {day: i for i, (day, _) in enumerate(points)}
    out = {}
    for b in reference_periods.turns(points):
        i = where[b]
        value = points[i + 2][1]
        if i + 3 < len(points):
            value -= 2 * (points[i + 3][1] - value) / (points[i + 3][0] - points[i + 2][0]).days
        out[b] = value
    return out


def _categories_sentence(dashboard: Dashboard, cards: Sequence[dict]) -> str:
    """Which asylum categories count: the dashboard's own choice (``Dashboard.asiel_categorieen``, the
    manifest's), else read back from the area card and the municipality table."""
    card = next((c for c in cards if c["opgave"] == "asiel"), None)
    categories = TASK_BY_KEY["asiel"].categories
    if card is None or card.get("realisatie") is None:
        return ""
    chosen = getattr(dashboard, "asiel_categorieen", None)
    if chosen is not None:
        names = ", ".join(CATEGORY_NAMES[c] for c in categories[:-1]) + " en " + CATEGORY_NAMES[categories[-1]]
        if set(chosen) >= set(categories):
            return f"Vooralsnog tellen alle plekken ({names}) mee."
        counted = [c for c in categories if c in set(chosen)]
        words = " en ".join(CATEGORY_NAMES[c] for c in counted) or "geen"
        return f"Alleen deze plekken tellen mee: {words}; de tabel toont alle soorten plekken."
    totals = column_totals(dashboard.gemeenten)
    per = {c: totals.get(f"asiel_{c}") or 0 for c in categories}
    names = ", ".join(CATEGORY_NAMES[c] for c in categories[:-1]) + " en " + CATEGORY_NAMES[categories[-1]]
    if sum(per.values()) == card["realisatie"]:
        return f"Vooralsnog tellen alle plekken ({names}) mee."
    fits = [combo for n in range(1, len(categories)) for combo in combinations(categories, n)
            if sum(per[c] for c in combo) == card["realisatie"]]
    if len(fits) == 1:
        counted = fits[0]
        words = " en ".join(CATEGORY_NAMES[c] for c in counted)
        return f"Alleen deze plekken tellen mee: {words}; de tabel toont alle soorten plekken."
    return "Niet alle soorten plekken tellen mee; de tabel toont alle soorten plekken."


def _notes(dashboard: Dashboard, cards: Sequence[dict], division: Division | None,
           options: PageOptions | None = None) -> str:
    sections = ['<section><h3>Algemeen</h3>' + "".join(f"<p>{escape(p)}</p>" for p in ALGEMEEN) + "</section>"]
    by_task = {c["opgave"]: c for c in cards}
    for task in TASKS:
        card = by_task.get(task.key)
        bronnen = card_sources(dashboard, task.key, card.get("bronnen") if card is not None else None)
        source = joined([page_name(dashboard, b) for b in bronnen]) or "een bron"
        sentences = [escape(BASIS[task.key]),
                     _decision_sentences(dashboard, task.key, division, options.totalen if options else None)]
        if task.key == "asiel":
            sentences.append(escape(_categories_sentence(dashboard, cards)))
        peildatum = latest_peildatum(dashboard, bronnen)
        if peildatum is not None:
            sentences.append(f"De realisatie heeft als bron {escape(source)} en als peildatum {long_date(peildatum)}.")
        else:
            sentences.append(f"Er is geen realisatie van {escape(source)} in de dataset.")
        if peildatum is not None:
            sentences.extend(escape(n) for n in source_notes(dashboard, bronnen))
        if card is not None and card.get("startdatum") is not None:
            sentences.append(
                f"Voor {escape(card['gebied_naam'])} loopt het indicatief schema van {dutch(card['startpunt'])} op "
                f"{long_date(card['startdatum'])} naar {dutch(card['eindpunt'])} op {long_date(card['einddatum'])}"
                + (f"; op de peildatum is dat {dutch(card['indicatief_schema'])}." if card.get("peildatum") else ".")
            )
        text = " ".join(s for s in sentences if s)
        sections.append(f'<section id="toelichting-{task.key}"><h3>{escape(task.label)}</h3><p>{text}</p></section>')
    return ('<section aria-labelledby="toelichting-kop"><h2 id="toelichting-kop">Toelichting</h2>'
            f'<div class="toelichting">{"".join(sections)}</div></section>')


# ------------------------------------------------------------------------------------ meldingen


def _meldingen(dashboard: Dashboard) -> str:
    rows = dashboard.meldingen.to_pylist()
    if not rows:
        return ""
    body = "".join(
        f"<tr><td>{escape(r['ernst'] or '')}</td><td>{escape(r['bestand'] or '')}</td>"
        f"<td>{'' if r['rij'] is None else r['rij']}</td><td>{escape(r['kolom'] or '')}</td>"
        f"<td>{escape(r['melding'] or '')}</td></tr>" for r in rows)
    return ('<section aria-labelledby="meldingen-kop"><h2 id="meldingen-kop">Meldingen bij de gegevens</h2>'
            '<div class="tabel-wrap"><table class="meldingen"><thead><tr><th>Ernst</th><th>Bestand</th><th>Rij</th>'
            f"<th>Kolom</th><th>Melding</th></tr></thead><tbody>{body}</tbody></table></div></section>")


def _footer(dashboard: Dashboard, peil: str = "") -> str:
    return (
        f"<footer>Gemaakt met opvangkern {escape(__version__)} uit de dataset "
        f"\u201c{escape(dashboard.dataset_naam)}\u201d"
        f"{f' (peildata: {escape(peil)})' if peil else ''}. Kaartgrenzen: CBS/PDOK gebiedsindelingen "
        "(gegeneraliseerd, via cartomap/nl). Alle figuren zijn in deze pagina opgenomen; de pagina laadt niets "
        "van buiten.</footer>"
    )
