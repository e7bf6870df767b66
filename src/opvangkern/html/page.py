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

from .. import __version__
from ..model import TASK_BY_KEY, TASKS, AreaLevel
from ..numbers import dutch, dutch_percentage
from ..textview import LEGEND, STATUS_LABELS, TABLE_COLUMNS, area_cards, column_totals
from . import maps
from .charts import chart_svg
from .format import long_date, short_date

if TYPE_CHECKING:
    from ..areas import Division
    from ..dashboard import Dashboard

SOURCE_NAMES = {
    "kcio": "KCIO",
    "coa": "COA",
    "tvs": "Taakstellingvolgsysteem (TVS)",
    "nidos": "Nidos",
}
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
SOURCE_EXTRA = {"kcio": "De data van KCIO is door de veiligheidsregio's aangeleverd."}

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
    if getattr(dashboard, "division", None) is not None and dashboard.division.folder is not None:
        return dashboard.division  # the dataset's division: its map (2027: Hilversum with Wijdemeren)
    from ..areas import load_division

    try:
        found = load_division()
        found.area(dashboard.gebied.code)
        return found
    except Exception:  # an area the shipped division does not know: the page goes without maps
        return None


def render_page(dashboard: Dashboard, division: Division | None = None) -> str:
    division = _division(dashboard, division)
    area = dashboard.gebied
    cards = area_cards(dashboard.kaarten)
    status_of = _status_lookup(dashboard.kaarten)
    shapes, region_of = _shapes(division, area.code)
    region_names = {code: division.area(code).naam for code in set(region_of.values())} if division else {}
    title = f"Opgaven opvang en huisvesting — {area.naam}"
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
        f"<style>\n{_css()}</style>",
        "</head>",
        "<body>",
        _defs(shapes),
        "<main>",
        _header(dashboard, title),
        _legend(),
        '<section class="pagina-1" aria-label="Opgaven">',
        '<div class="kaarten">',
        *(_card(dashboard, card, shapes, status_of, region_of, region_names) for card in cards),
        "</div>",
        '<p class="voetnoot">*Op basis van indicatief schema opgave. Achterstand is positief, voorsprong '
        "negatief.</p>",
        "</section>",
        _municipality_table(dashboard),
        _notes(dashboard, cards, division),
        _meldingen(dashboard),
        _footer(dashboard),
        "</main>",
        "</body>",
        "</html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


# ----------------------------------------------------------------------------------------- header


def _header(dashboard: Dashboard, title: str) -> str:
    area = dashboard.gebied
    peil = [f"{escape(SOURCE_NAMES.get(bron, bron))}: {long_date(day)}"
            for bron, day in sorted(dashboard.peildata.items(), key=lambda kv: _source_order(kv[0]))]
    level = LEVEL_NAMES.get(area.niveau.value, area.niveau.value)
    return (
        '<header class="kop">'
        f"<div><h1>{escape(title)}</h1>"
        f'<p class="sub">{escape(level)} {escape(area.naam)} ({escape(area.code)}) · '
        f"{escape(dashboard.dataset_naam)}</p></div>"
        f'<p class="peildata">Peildata: {"; ".join(peil) if peil else "geen realisaties"}</p>'
        "</header>"
    )


def _source_order(bron: str) -> int:
    order = [t.source for t in TASKS]
    return order.index(bron) if bron in order else len(order)


def _legend() -> str:
    items = [f'<li><span class="stip st-{s}"></span>{escape(text)}</li>' for s, text in LEGEND]
    items.append('<li><span class="stip"></span>Geen opgave of geen gegevens</li>')
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


def _card(dashboard: Dashboard, card: dict, shapes: maps.MapShapes | None,
          status_of: Mapping[tuple[str, str], dict], region_of: Mapping[str, str],
          region_names: Mapping[str, str]) -> str:
    task = TASK_BY_KEY[card["opgave"]]
    status = card.get("status") or "geen"
    source = SOURCE_NAMES.get(task.source, task.source).split(" (")[-1].rstrip(")")
    where = f"{LEVEL_NAMES.get(card['gebied_niveau'], '')} {card['gebied_naam']}".strip()
    if card["opgave"] == "oekraine" and card["gebied_niveau"] != "veiligheidsregio":
        regions = sorted(set(region_names.values()))
        if len(regions) == 1:
            where += f" (veiligheidsregio {regions[0]})"
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
        f'{f"<span class=noot>{note}</span>" if note else ""}</th><td class="getal">{dutch(value)}</td></tr>'
        for label, value, note, cls in rows)
    chart_title = (f"Grafiek {task.label}: opgave van {dutch(card.get('startpunt'))} naar "
                   f"{dutch(card.get('eindpunt'))}, indicatief schema {dutch(card.get('indicatief_schema'))}, "
                   f"realisatie {dutch(card.get('realisatie'))}")
    return (
        f'<article class="kaart st-{status}" id="kaart-{escape(task.key)}">'
        f'<header><h3>{escape(task.label)}</h3><p class="gebied">{escape(where)}</p>'
        f'<p class="status"><span class="stip"></span>{escape(_status_text(card))}</p></header>'
        f"{chart_svg(card, status_class='st-' + status, title=chart_title)}"
        f'<table class="cijfers">{body}</table>'
        f"{_map(dashboard, task.key, shapes, status_of, region_of)}"
        "</article>"
    )


# ------------------------------------------------------------------------------------------- maps


def _shapes(division: Division | None, code: str) -> tuple[maps.MapShapes | None, dict[str, str]]:
    if division is None:
        return None, {}
    source = division.geo_file(AreaLevel.GEMEENTE)
    if source is None:
        return None, {}
    municipalities = [a.code for a in division.members(code, AreaLevel.GEMEENTE)]
    region_of = {m: division.parent(m, AreaLevel.VEILIGHEIDSREGIO).code for m in municipalities}
    try:
        topology, arcs = maps.read_topology(source)
        return maps.build_shapes(topology, arcs, municipalities, region_of), region_of
    except (ValueError, KeyError, OSError):  # a broken boundary file costs the maps, not the page
        return None, region_of


def _defs(shapes: maps.MapShapes | None) -> str:
    if shapes is None:
        return ""
    paths = "".join(f'<path id="gm-{code}" d="{d}"/>' for code, d in shapes.paths.items())
    extra = f'<path id="grens-buiten" d="{shapes.outline}"/>'
    if shapes.region_borders:
        extra += f'<path id="grens-regio" d="{shapes.region_borders}"/>'
    return f'<svg class="defs" aria-hidden="true" focusable="false"><defs>{paths}{extra}</defs></svg>'


def _map(dashboard: Dashboard, task: str, shapes: maps.MapShapes | None,
         status_of: Mapping[tuple[str, str], dict], region_of: Mapping[str, str]) -> str:
    if shapes is None:
        return '<p class="kaartje-geen">Geen kaart: de grenzen van dit gebied zijn niet beschikbaar.</p>'
    names = {row["gemeentecode"]: row["gemeentenaam"] for row in dashboard.gemeenten.select(
        ["gemeentecode", "gemeentenaam"]).to_pylist()}
    area_code = dashboard.gebied.code
    uses = []
    for code in shapes.paths:
        if task == "oekraine":
            row = status_of.get((region_of.get(code, ""), task)) or status_of.get((area_code, task))
        else:
            row = status_of.get((code, task))
            if row is None and code == area_code:
                row = status_of.get((area_code, task))
        status = (row or {}).get("status")
        name = names.get(code, code)
        if row is None:
            tip = f"{name}: geen opgave"
        else:
            whose = f" (veiligheidsregio {row['gebied_naam']})" if task == "oekraine" else ""
            tip = (f"{name}{whose}: realisatie {dutch(row['realisatie'])} bij indicatief schema "
                   f"{dutch(row['indicatief_schema'])} — {_status_text(row)}")
        cls = f' class="st-{status}"' if status else ""
        uses.append(f'<use href="#gm-{code}"{cls}><title>{escape(tip)}</title></use>')
    borders = '<use href="#grens-buiten" class="buitengrens"/>'
    caption = "Per gemeente"
    if task == "oekraine":
        caption = "Per veiligheidsregio (de opgave is per regio)"
        if shapes.region_borders:
            borders += '<use href="#grens-regio" class="regiogrens"/>'
    label = f"Kaart {TASK_BY_KEY[task].label}: {caption.lower()}"
    return (
        f'<figure><svg class="kaartje" viewBox="0 0 {shapes.width} {shapes.height}" role="img" '
        f'aria-label="{escape(label)}">{"".join(uses)}{borders}</svg>'
        f"<figcaption>{escape(caption)}</figcaption></figure>"
    )


# ---------------------------------------------------------------------------------------- table


def _municipality_table(dashboard: Dashboard) -> str:
    columns = [c for c, _ in TABLE_COLUMNS[1:]]
    full = dict(TABLE_COLUMNS)
    starts = set()
    index = 0
    for _, width in GROUPS:
        starts.add(columns[index])
        index += width
    group_row = ['<th class="naam" rowspan="2" scope="col">Gemeente</th>']
    index = 0
    for label, width in GROUPS:
        group_row.append(f'<th class="begin" colspan="{width}" scope="colgroup">{escape(label)}</th>')
        index += width
    sub_row = [f'<th scope="col" title="{escape(full[c])}"{" class=begin" if c in starts else ""}>'
               f"{SUB_HEADERS[c]}</th>" for c in columns]

    def cells(values: Mapping[str, Any]) -> str:
        out = []
        for c in columns:
            value = values.get(c)
            classes = [k for k, on in (("begin", c in starts),
                                       ("negatief", c.endswith("_delta") and value is not None and value < 0)) if on]
            cls = f' class="{" ".join(classes)}"' if classes else ""
            out.append(f"<td{cls}>{dutch(value)}</td>")
        return "".join(out)

    body = "".join(f'<tr><th scope="row">{escape(row["gemeentenaam"])}</th>{cells(row)}</tr>'
                   for row in dashboard.gemeenten.to_pylist())
    totals = column_totals(dashboard.gemeenten)
    return (
        '<section class="pagina-2" aria-labelledby="tabel-kop">'
        f'<h2 id="tabel-kop">Opgaven en realisaties per gemeente — {escape(dashboard.gebied.naam)}</h2>'
        '<div class="tabel-wrap"><table class="gemeenten">'
        f'<thead><tr class="groep">{"".join(group_row)}</tr><tr>{"".join(sub_row)}</tr></thead>'
        f"<tbody>{body}</tbody>"
        f'<tfoot><tr><th scope="row">Totaal</th>{cells(totals)}</tr></tfoot>'
        "</table></div>"
        '<p class="voetnoot">Opgave: de nieuwe (laatste) opgave. Delta: opgave min realisatie (bij asiel de som '
        "van de meetellende plekken); een lege realisatie telt als 0, negatief is een voorsprong. Een leeg vak: "
        "geen opgave of geen gegevens.</p>"
        "</section>"
    )


# ---------------------------------------------------------------------------------------- notes


def decision_totals(opgaven, task: str) -> list[tuple[dt.date, float, str, int]]:
    """Per quota decision of ``task``: ``(ingangsdatum, summed aantal, niveau, number of areas)``, by date."""
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


def _decision_sentences(dashboard: Dashboard, task: str, division: Division | None) -> str:
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
        for day, total, niveau, count in decisions[1:-1]:
            text += f" Per {long_date(day)} werd die {dutch(total)}."
        day, total, niveau, count = decisions[-1]
        text += f" De nieuwe opgave is {dutch(total)} per {long_date(day)}."
    return text


def _categories_sentence(dashboard: Dashboard, cards: Sequence[dict]) -> str:
    """Which asylum categories count, read back from the area card and the municipality table."""
    card = next((c for c in cards if c["opgave"] == "asiel"), None)
    categories = TASK_BY_KEY["asiel"].categories
    if card is None or card.get("realisatie") is None:
        return ""
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


def _notes(dashboard: Dashboard, cards: Sequence[dict], division: Division | None) -> str:
    sections = ['<section><h3>Algemeen</h3>' + "".join(f"<p>{escape(p)}</p>" for p in ALGEMEEN) + "</section>"]
    by_task = {c["opgave"]: c for c in cards}
    for task in TASKS:
        card = by_task.get(task.key)
        source = SOURCE_NAMES.get(task.source, task.source)
        sentences = [escape(BASIS[task.key]), _decision_sentences(dashboard, task.key, division)]
        if task.key == "asiel":
            sentences.append(escape(_categories_sentence(dashboard, cards)))
        peildatum = dashboard.peildata.get(task.source)
        if peildatum is not None:
            sentences.append(f"De realisatie heeft als bron {escape(source)} en als peildatum {long_date(peildatum)}.")
        else:
            sentences.append(f"Er is geen realisatie van {escape(source)} in de dataset.")
        if task.source in SOURCE_EXTRA and peildatum is not None:
            sentences.append(escape(SOURCE_EXTRA[task.source]))
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


def _footer(dashboard: Dashboard) -> str:
    return (
        f"<footer>Gemaakt met opvangkern {escape(__version__)} uit de dataset "
        f"\u201c{escape(dashboard.dataset_naam)}\u201d. Kaartgrenzen: CBS/PDOK gebiedsindelingen "
        "(gegeneraliseerd, via cartomap/nl). Alle figuren zijn in deze pagina opgenomen; de pagina laadt niets "
        "van buiten.</footer>"
    )
