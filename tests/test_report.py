"""Decision reports: a self-contained HTML file and a PDF that renders to non-blank pages, with
the request, decision and rule, tables, map, profiles, models, time percentages and audit head;
graceful with missing and extra evaluation fields; ``spectrum evaluate --html --pdf``."""
from __future__ import annotations

import base64
import json
import re
from html.parser import HTMLParser

import numpy as np
import pytest

from spectrum import report
from spectrum.cli import main

pdfium = pytest.importorskip("pypdfium2", reason="pypdfium2 renders the PDF to PNG (in the [test] extra)")


@pytest.fixture(scope="module")
def case():
    from spectrum.datasets.register import sample_register
    from spectrum.datasets.requests import sample_request
    from spectrum.datasets.terrain import default_dem
    from spectrum.evaluation import evaluate_request

    reg = sample_register()
    dem = default_dem()
    state = report.register_state(reg)
    ev = evaluate_request(reg, sample_request(), dem=dem, model="free-space", max_distance_km=30)
    rep = report.build_report(ev, dem=dem, register=reg, register_state=state)
    yield {"reg": reg, "dem": dem, "ev": ev, "state": state, "rep": rep}
    reg.close()


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.srcs, self.hrefs, self.stack, self.errors = [], [], [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if "src" in a:
            self.srcs.append(a["src"])
        if "href" in a:
            self.hrefs.append(a["href"])
        if tag not in ("meta", "img", "br", "hr", "link"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
        else:
            self.stack.pop()


def _pages(path, scale=0.6):
    pdf = pdfium.PdfDocument(str(path))
    try:
        out = []
        for i in range(len(pdf)):
            page = pdf[i]
            img = page.render(scale=scale).to_numpy()
            text = page.get_textpage().get_text_range()
            out.append((img, text))
        return out
    finally:
        pdf.close()


def test_register_state_is_the_audit_head(case):
    st = case["state"]
    last = case["reg"].audit(limit=1)[-1]
    assert st["audit_head_id"] == last["id"] and st["audit_head_hash"] == last["hash"]
    assert st["audit_rows"] == case["reg"].counts()["audit"] and st["schema_version"] >= 1
    assert len(st["audit_head_hash"]) == 64


def test_html_is_self_contained_and_complete(case, tmp_path):
    f = case["rep"].write_html(tmp_path / "r.html")
    text = f.read_text(encoding="utf-8")
    p = _Tags()
    p.feed(text)
    assert p.errors == [] and p.stack == []  # every element closed in order
    assert "script" not in p.tags and "link" not in p.tags and "iframe" not in p.tags
    assert p.hrefs == []
    assert p.srcs and all(s.startswith("data:image/png;base64,") for s in p.srcs)
    for s in p.srcs:
        assert base64.b64decode(s.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    assert not re.search(r"(?i)(src|href)\s*=\s*[\"']?(https?:|//|file:)", text)
    ev, st = case["ev"], case["state"]
    assert len(p.srcs) == 1 + len(case["rep"].profile_figs)  # the map and the profile pages
    assert ev.decision.upper() in text and ev.request.licence_number in text
    for r in ev.reasons:
        assert r.replace("'", "&#x27;").replace('"', "&quot;") in text
    assert "Refuse if any registered receiver has a negative margin." in text
    assert st["audit_head_hash"] in text and str(st["audit_head_id"]) in text
    assert "20 %" in text and "1 %" in text and "50 %" in text
    for v in ev.model_versions.values():
        assert v in text
    worst = min((r for r in ev.victim_rows() if r["margin_db"] is not None), key=lambda r: r["margin_db"])
    assert f"{worst['margin_db']:.1f}" in text and worst["station_name"] in text
    assert "Path profiles of the worst cases" in text and "Shaded red" in text
    assert case["rep"].contour is not None and case["rep"].contour.label.split(" (")[0] in text


def test_pdf_renders_to_non_blank_pages(case, tmp_path):
    f = case["rep"].write_pdf(tmp_path / "r.pdf")
    assert f.read_bytes()[:5] == b"%PDF-"
    pages = _pages(f)
    assert len(pages) >= 5  # summary, request, map, victims, interferers, profiles, inputs
    for k, (img, _) in enumerate(pages):
        rgb = img[..., :3].astype(int)
        ink = (np.abs(255 - rgb).sum(axis=-1) > 60).mean()
        assert ink > 0.005, f"page {k + 1} is blank ({ink:.4f} of the pixels inked)"
    # the map page shows colour (terrain and stations), not just text
    colourful = [np.mean(np.ptp(img[..., :3].astype(int), axis=-1) > 40) for img, _ in pages]
    assert max(colourful) > 0.2
    text = "\n".join(t for _, t in pages)
    ev, st = case["ev"], case["state"]
    assert ev.decision.upper() in text and ev.request.licence_number in text
    assert st["audit_head_hash"][:40] in text.replace("\r", "").replace("\n", "")
    assert "Fresnel" in text and "Time percentages" in text and "Models and versions" in text
    assert "ITU-R SM.337-6" in text


def test_profiles_show_fresnel_zone(case):
    cases = report.figures.profile_cases(case["rep"].data, case["dem"], register=case["reg"])
    assert 1 <= len(cases) <= 4
    for c in cases:
        assert c.los is not None and c.los.fresnel_m is not None
        # first Fresnel radius at mid-path, P.526 Eq. (2): sqrt(lambda d1 d2 / d)
        d = c.los.d_km[-1] - c.los.d_km[0]
        k = int(np.argmin(np.abs(c.los.d_km - c.los.d_km[0] - d / 2)))
        d1 = (c.los.d_km[k] - c.los.d_km[0]) * 1000
        lam = 299.792458 / c.f_mhz
        assert c.los.fresnel_m[k] == pytest.approx(np.sqrt(lam * d1 * (d * 1000 - d1) / (d * 1000)), rel=1e-6)
        assert not c.note  # heights found in the register
    kinds = [c.direction for c in cases]
    assert "victim" in kinds and "interferer" in kinds


def test_missing_and_extra_fields_degrade_gracefully(case, tmp_path):
    d = json.loads(case["ev"].to_json())
    for k in ("victims", "interferers", "aggregate", "model_versions", "inputs", "worst_margin_db", "created_utc"):
        d.pop(k)
    d["request"].pop("rx")
    d["request"]["licensee"] = "Operator $A$ \\ {B}_1^2 & <Co>"  # user text: no mathtext, escaped in HTML
    d["existing_interference"] = {"i_total_dbw": -131.2, "n_entries": 7}
    d["criteria"] = [{"service": "mobile", "criterion": "I/N", "limit_db": -6.0}]
    d["intermod"] = {"products": [3, 5], "worst_dbw": None}
    rep = report.build_report(d, dem=None)
    html = rep.html()
    assert "Additional results" in html and "existing interference" in html and "-131.2" in html
    assert "intermod" in html and "limit db" in html
    assert "not recorded" in html  # no register state
    assert "Operator $A$ \\ {B}_1^2 &amp; &lt;Co&gt;" in html
    rep.write_pdf(tmp_path / "m.pdf")
    assert "Operator $A$" in "".join(t for _, t in _pages(tmp_path / "m.pdf"))
    assert all(((255 - img[..., :3].astype(int)).sum(-1) > 60).mean() > 0.003 for img, _ in _pages(tmp_path / "m.pdf"))
    d["decision_rule"] = "Refuse when the aggregate exceeds the criterion.\nGrant otherwise."
    assert report.build_report(d).data.rule == ["Refuse when the aggregate exceeds the criterion.", "Grant otherwise."]
    bare = report.build_report({"decision": "grant"})
    assert "GRANT" in bare.html()
    bare.write_pdf(tmp_path / "bare.pdf")


def test_stored_evaluation_reports(case, tmp_path):
    from spectrum.datasets.register import sample_register

    reg = sample_register()
    try:
        ev = case["ev"]
        eid = ev.store(reg)
        stored = reg.evaluation(eid)
        rep = report.build_report(stored, dem=None)
        assert rep.data.decision == ev.decision and len(rep.data.victim_rows) == len(ev.victim_rows())
    finally:
        ev.evaluation_id = None
        reg.close()


def test_evaluate_command_writes_both(tmp_path, capsys):
    html, pdf = tmp_path / "r.html", tmp_path / "r.pdf"
    rc = main(["evaluate", "--demo", "--model", "free-space", "--max-distance-km", "20", "--html", str(html),
               "--pdf", str(pdf), "--json"])
    assert rc == 0
    out = json.loads(capsys.readouterr().out)
    text = html.read_text(encoding="utf-8")
    assert out["decision"].upper() in text and "audit_head_hash" in text
    assert len(_pages(pdf)) >= 5


def test_evaluate_command_refuses_an_input_as_output(tmp_path, capsys):
    from spectrum.datasets.register import sample_register
    from spectrum.datasets.requests import sample_request_dict

    db = tmp_path / "r.sqlite"
    sample_register(db).close()
    req = tmp_path / "req.json"
    req.write_text(json.dumps(sample_request_dict()))
    before = req.read_bytes()
    rc = main(["evaluate", "--db", str(db), "--request", str(req), "--model", "free-space", "--html", str(req)])
    assert rc == 2 and "is the input" in capsys.readouterr().err
    assert req.read_bytes() == before
    rc = main(["evaluate", "--db", str(db), "--request", str(req), "--html", str(tmp_path / "a"), "--pdf",
               str(tmp_path / "a")])
    assert rc == 2 and "the same file" in capsys.readouterr().err
    assert not (tmp_path / "a").exists()
    rc = main(["evaluate", "--db", str(db), "--licence", "X", "--pdf", str(tmp_path / "b.pdf")])
    assert rc == 2 and "per request" in capsys.readouterr().err


def test_map_draws_terrain_from_a_tile_folder(case, tmp_path, monkeypatch):
    """A ``--dem`` folder (a tile Catalogue) is cropped to the map's extent: the map shows terrain,
    not "(no terrain data)", and the heights drawn equal those of the same grid as one DataArray."""
    from spectrum import terrain

    monkeypatch.setenv("SPECTRUM_CACHE_DIR", str(tmp_path / "cache"))
    dem = case["dem"].isel(lat=slice(None, None, 10), lon=slice(None, None, 10))  # 30 arc-seconds
    (tmp_path / "tiles").mkdir()
    half = dem.sizes["lon"] // 2
    terrain.save_dem(dem.isel(lon=slice(0, half + 1)), tmp_path / "tiles" / "west.nc")
    terrain.save_dem(dem.isel(lon=slice(half, None)), tmp_path / "tiles" / "east.nc")
    cat = terrain.Catalogue.open(tmp_path / "tiles")
    data = case["rep"].data
    extent = report.figures.map_extent(data)
    fig = report.figures.map_figure(data, cat)
    ax = fig.axes[0]
    assert "(no terrain data)" not in ax.get_title()
    assert ax.images, "no terrain image on the map"
    grid = report.figures._terrain_grid(cat, extent)
    assert grid.lat.values[0] <= extent[0] + 1e-9 and grid.lat.values[-1] >= extent[1] - 1e-9
    assert grid.lon.values[0] <= extent[2] + 1e-9 and grid.lon.values[-1] >= extent[3] - 1e-9
    glat, glon = np.meshgrid(grid.lat.values, grid.lon.values, indexing="ij")
    ref = terrain.elevation_m(dem, glat.ravel(), glon.ravel()).reshape(glat.shape)  # bilinear on one grid
    np.testing.assert_allclose(grid.values, ref, atol=1e-3)
    # a zoom smaller than the tiles' spacing (the inset on the contour) still covers its whole box
    zoom = (31.1, 31.1 + 0.6 / 120, 121.38, 121.38 + 0.7 / 120)
    z = report.figures._terrain_grid(cat, zoom)
    assert z.shape == (2, 2) and z.lat.values[-1] >= zoom[1] and z.lon.values[-1] >= zoom[3]
    # a catalogue with no tile in the map's extent: the honest "(no terrain data)"
    (tmp_path / "far").mkdir()
    far = dem.copy()
    far = far.assign_coords(lat=far.lat - 20.0)
    terrain.save_dem(far, tmp_path / "far" / "far.nc")
    fig2 = report.figures.map_figure(data, terrain.Catalogue.open(tmp_path / "far"))
    assert "(no terrain data)" in fig2.axes[0].get_title()
