"""``--format site`` and what the publisher controls: ``[pagina]`` (title, introduction, logo), the
sample banner, the footer, the national totals in the notes."""

import base64
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

import opvangkern
from opvangkern.dataset.load import load_dataset, sample_path
from opvangkern.output.html import options_for, render_html
from opvangkern.output.html.options import markdown_lite
from opvangkern.output.html.site import LIST_FILE, site_pages, write_site
from opvangkern.dataset.manifest import parse_manifest
from opvangkern.dataset.pagina import LOGO_LIMIT

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.srcs = [], []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "href":
                self.hrefs.append(value)
            if name == "src":
                self.srcs.append(value)


def links_of(html):
    parser = Links()
    parser.feed(html)
    return parser


def copy_sample(tmp_path, extra=""):
    folder = tmp_path / "drenthe"
    shutil.copytree(sample_path(), folder)
    manifest = folder / "opvangkern.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return folder


# ---------------------------------------------------------------------------------------- the site


@pytest.fixture(scope="module")
def drenthe_site():
    ds = opvangkern.open_dataset()
    return site_pages(ds, ds.dashboard())


def test_a_page_per_municipality_and_region_linked_both_ways(drenthe_site):
    ds = opvangkern.open_dataset()
    municipalities = [a.code for a in ds.division.members("PV22", "gemeente")]
    assert sorted(drenthe_site) == sorted(["index.html", "VR03.html", *(f"{c}.html" for c in municipalities)])
    index = links_of(drenthe_site["index.html"]).hrefs
    for code in municipalities:                       # down: from the table row and from the map shapes
        assert index.count(f"{code}.html") >= 1 + 4, code
        page = drenthe_site[f"{code}.html"]
        up = links_of(page).hrefs
        assert "index.html" in up and "VR03.html" in up, code   # up: to the province and to the region
        assert f'<h1>Opgaven opvang en huisvesting — {ds.division.area(code).naam}</h1>' in page
    assert "VR03.html" in index                          # the Ukraine card names its region, linked
    region = links_of(drenthe_site["VR03.html"]).hrefs
    assert "index.html" in region and all(f"{c}.html" in region for c in municipalities)


def test_every_page_is_self_contained_and_every_link_stays_in_the_folder(drenthe_site):
    for name, html in drenthe_site.items():
        assert "default-src 'none'" in html and "<script" not in html.lower(), name
        assert "http://" not in html and "https://" not in html, name
        found = links_of(html)
        for href in found.hrefs:
            assert href.startswith("#") or href in drenthe_site, (name, href)
        assert all(src.startswith("data:") for src in found.srcs), name


def test_a_municipality_page_shows_it_within_its_region(drenthe_site):
    assen = drenthe_site["GM0106.html"]
    assert assen.count('<path id="gm-') == 12                         # the whole safety region is drawn
    cards = assen.count('<article class="kaart')
    assert cards == 4                                                  # Assen has no AMV target: no AMV card
    assert assen.count(' class="omgeving"') == 11 * (cards - 1)        # neighbours, without status, on 3 maps
    oekraine = assen[assen.index('id="kaart-oekraine"'):]
    oekraine = oekraine[:oekraine.index("</article>")]
    assert oekraine.count('class="st-licht_achter') == 12              # Ukraine: the whole region painted
    assert assen.count('gekozen"') == cards                             # Assen itself outlined on every map


def test_the_site_is_written_as_a_set_and_old_pages_go(tmp_path, drenthe_site):
    out = tmp_path / "site"
    out.mkdir()
    (out / "GM9999.html").write_text("oud", encoding="utf-8")          # not ours: stays
    write_site({"index.html": "a", "GM0001.html": "b"}, out)
    assert (out / "GM0001.html").exists() and (out / LIST_FILE).read_text() == "GM0001.html\nindex.html\n"
    written = write_site(drenthe_site, out)
    assert len(written) == len(drenthe_site)
    assert not (out / "GM0001.html").exists()                          # from the earlier run: removed
    assert (out / "GM9999.html").exists()
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    assert (out / "index.html").read_text(encoding="utf-8") == drenthe_site["index.html"]


def test_the_command_line_writes_a_site(tmp_path):
    out = tmp_path / "site"
    result = subprocess.run([sys.executable, "-m", "opvangkern.cli", "dashboard", "--gebied", "VR03", "--format",
                             "site", "--output", str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert len(list(out.glob("*.html"))) == 1 + 12
    missing = subprocess.run([sys.executable, "-m", "opvangkern.cli", "dashboard", "--format", "site"],
                             capture_output=True, text=True)
    assert missing.returncode == 2 and "--output" in missing.stderr
    a_file = tmp_path / "bestand.html"
    a_file.write_text("x")
    clash = subprocess.run([sys.executable, "-m", "opvangkern.cli", "dashboard", "--format", "site", "--output",
                            str(a_file)], capture_output=True, text=True)
    assert clash.returncode == 2 and str(a_file) in clash.stderr


def test_a_site_is_deterministic(drenthe_site):
    ds = opvangkern.open_dataset()
    assert site_pages(ds, ds.dashboard()) == drenthe_site


# ----------------------------------------------------------------------------- [pagina] and the notes


def test_title_introduction_and_logo_from_the_manifest(tmp_path):
    folder = copy_sample(tmp_path, '\n[pagina]\ntitel = "Opvang in <Drenthe>"\ninleiding = """\nEerste **alinea** '
                                   'met <script>alert(1)</script>.\n\n- punt *een*\n- punt twee\n"""\n'
                                   'logo = "logo.png"\n')
    (folder / "logo.png").write_bytes(PNG)
    ds = opvangkern.open_dataset(folder)
    assert ds.manifest.pagina.titel == "Opvang in <Drenthe>"
    html = render_html(ds.dashboard(), options=options_for(ds))
    assert "<h1>Opvang in &lt;Drenthe&gt;</h1>" in html
    assert "<p>Eerste <strong>alinea</strong> met &lt;script&gt;alert(1)&lt;/script&gt;.</p>" in html
    assert "<ul><li>punt <em>een</em></li><li>punt twee</li></ul>" in html
    assert f'src="data:image/png;base64,{base64.b64encode(PNG).decode()}"' in html
    assert "<script" not in html
    assert "Voorbeeld." not in html                           # a copy of the sample is not the sample


@pytest.mark.parametrize("logo, content, code, ernst", [
    ("../buiten.png", PNG, "pagina_logo_buiten_map", "fout"),
    ("/etc/passwd", None, "pagina_logo_buiten_map", "fout"),
    ("weg.png", None, "pagina_logo_ontbreekt", "waarschuwing"),
    ("groot.png", PNG + b"\0" * LOGO_LIMIT, "pagina_logo_te_groot", "waarschuwing"),
    ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "pagina_logo_onbekend_formaat", "waarschuwing"),
])
def test_a_bad_logo_is_a_melding(tmp_path, logo, content, code, ernst):
    folder = copy_sample(tmp_path, f'\n[pagina]\nlogo = "{logo}"\n')
    if content is not None:
        target = (folder / logo).resolve()
        target.write_bytes(content)
    ds = load_dataset(folder)
    found = [m for m in ds.melding_list if m.code == code]
    assert len(found) == 1 and found[0].ernst.value == ernst and found[0].kolom == "logo"
    assert found[0].bestand == "opvangkern.toml" and found[0].waarde == logo
    assert ds.pagina_logo is None
    assert "root:" not in found[0].melding


def test_a_logo_link_that_leaves_the_folder_is_refused(tmp_path):
    folder = copy_sample(tmp_path, '\n[pagina]\nlogo = "logo.png"\n')
    outside = tmp_path / "geheim.png"
    outside.write_bytes(PNG)
    (folder / "logo.png").symlink_to(outside)
    ds = load_dataset(folder)
    assert [m.code for m in ds.melding_list if m.kolom == "logo"] == ["pagina_logo_buiten_map"]


def test_pagina_problems_point_at_the_manifest_line():
    text = '[dataset]\nnaam = "x"\n\n[pagina]\ntitel = 3\nkleur = "rood"\n'
    manifest, meldingen = parse_manifest(text, default_name="x")
    assert manifest.pagina.titel is None
    assert {(m.code, m.rij, m.kolom) for m in meldingen} == {("pagina_geen_tekst", 4, "titel"),
                                                            ("pagina_onbekende_sleutel", 4, "kleur")}
    assert not [m for m in meldingen if "onbekende sectie" in m.melding]


def test_markdown_lite_escapes_everything_else():
    assert markdown_lite("a & b\n<i>c</i>") == "<p>a &amp; b &lt;i&gt;c&lt;/i&gt;</p>"
    assert markdown_lite("[link](https://x.nl) ![plaatje](x.png)") == "<p>[link](https://x.nl) ![plaatje](x.png)</p>"
    assert markdown_lite("**vet** en *schuin*\n\n\n* een\n* twee") == (
        "<p><strong>vet</strong> en <em>schuin</em></p><ul><li>een</li><li>twee</li></ul>")


def test_the_sample_banner_the_footer_and_the_national_totals(sample_html):
    assert 'class="banner"' in sample_html and "voorbeelddataset" in sample_html
    footer = sample_html[sample_html.index("<footer>"):]
    assert f"opvangkern {opvangkern.__version__}" in footer
    assert "peildata: KCIO: 31 december 2025; COA: 31 december 2025; Taakstellingvolgsysteem (TVS): 31 december " \
           "2025; Nidos: 29 december 2025" in footer
    assert not re.search(r"\d{1,2}:\d{2}", footer)           # no clock time: same input, same bytes
    # The manifest's national total for asylum (101.440) beside the dataset's own 12 municipalities.
    ds = opvangkern.open_dataset()
    sample_html = render_html(ds.dashboard(), options=options_for(ds))
    assert "De opgave in deze dataset (12 gemeenten) voor Opvang Asiel per 1 januari 2025 was 4.155." in sample_html
    assert "Landelijk: 101.440 per 1 januari 2025; 101.440 per 1 februari 2026 (het totaal van het " \
           "verdeelbesluit)." in sample_html
    # Oekraïne's files are national already: no second national figure.
    oekraine = sample_html[sample_html.index('id="toelichting-oekraine"'):]
    assert "Landelijk:" not in oekraine[:oekraine.index("</section>")]


def test_the_running_header_names_area_and_peildata(sample_html):
    assert '@top-left { content: "Provincie Drenthe (PV22) · peildata KCIO: 31 december 2025;' in sample_html
    assert 'counter(page) " van " counter(pages)' in sample_html


def test_the_running_header_is_a_safe_css_string():
    from opvangkern.output.html.page import _css_string

    text = _css_string('Gemeente "A\\B" </style><script>\n')
    assert text.startswith('"') and text.endswith('"')
    inner = text[1:-1]
    assert '"' not in inner and "<" not in inner and ">" not in inner and "\n" not in inner
    assert "\\22 " in inner and "\\5c " in inner and "\\3c " in inner
