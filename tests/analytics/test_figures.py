"""Figures: same bytes on every run, every label inside the canvas and clear of the others, the right content."""

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from imri_kg.analytics.figure_style import FigureStyle, parse_width
from imri_kg.analytics.figures import (
    FIGURES,
    study_shades,
    to_figure,
    to_figure_bytes,
    to_image,
    write_figure,
)
from imri_kg.analytics.framework_figure import impacts_by_cell
from imri_kg.analytics.views import to_impact_network, to_theme_group_network
from imri_kg.errors import InputError


def _texts(fig):
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    out = []
    for t in fig.findobj(Text):
        if t.get_visible() and t.get_text().strip():
            out.append((t.get_text(), t.get_window_extent(renderer)))
    return out, fig.bbox


@pytest.mark.parametrize("name", list(FIGURES))
def test_figure_bytes_are_deterministic(kb, name):
    for fmt in ("png", "svg"):
        assert to_figure_bytes(kb, name, fmt=fmt) == to_figure_bytes(kb, name, fmt=fmt), (name, fmt)
    svg = to_figure_bytes(kb, name, fmt="svg")
    assert svg.startswith(b"<?xml") and b"<dc:date>" not in svg


@pytest.mark.parametrize("name", list(FIGURES))
def test_labels_are_inside_the_figure_and_do_not_overlap(kb, name):
    texts, frame = _texts(to_figure(kb, name))
    assert len(texts) > 20
    for text, box in texts:
        assert box.x0 >= frame.x0 - 0.5 and box.x1 <= frame.x1 + 0.5, f"{text!r} is cut off left/right"
        assert box.y0 >= frame.y0 - 0.5 and box.y1 <= frame.y1 + 0.5, f"{text!r} is cut off top/bottom"
    for i, (a, box_a) in enumerate(texts):
        for b, box_b in texts[i + 1:]:
            assert not box_a.overlaps(box_b), f"{a!r} overlaps {b!r}"


def test_heatmap_shows_every_cell(kb):
    texts = [t for t, _ in _texts(to_figure(kb, "heatmap"))[0]]
    assert texts.count("not\nreported") == 7 * 6 - 25
    assert "[85, 88]" in texts and "[98, 99,\n102, 105,\n106, 108,\n114]" in texts
    assert "Interpersonal\nrelationships (6)" in texts
    wide = [t for t, _ in _texts(to_figure(kb, "heatmap", FigureStyle(width=12)))[0]]
    assert "[98, 99, 102, 105,\n106, 108, 114]" in wide and "Interpersonal relationships (6)" in wide


def test_heatmap_shades_cells_by_cited_studies_as_the_web_page_does(kb):
    fig = to_figure(kb, "heatmap")
    image = fig.axes[0].get_images()[0]
    g = to_theme_group_network(kb)
    data = image.get_array().tolist()
    # Rows: themes by span; Peer workers (column 3) x Interpersonal relationships (row 1) cites 7 studies.
    assert data[0][2] == 7 and data[0][6] == 0
    assert sorted(v for row in data for v in row if v) == sorted(d["n_citations"] for *_, d in g.edges(data=True))
    assert fig.axes[1].get_ylabel() == "studies cited in the cell"
    assert len(study_shades(7)) == 8  # one shade per value: 2 and 3, or 5 and 6, never share a shade


@pytest.mark.parametrize("name", list(FIGURES))
def test_no_text_under_7_pt_at_a_7_inch_column(kb, name):
    fig = to_figure(kb, name, FigureStyle(width=7.0))
    assert fig.get_size_inches()[0] == pytest.approx(7.0)
    sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    assert len(sizes) > 20 and min(sizes) >= 7.0, (name, min(sizes))


@pytest.mark.parametrize("name", list(FIGURES))
@pytest.mark.parametrize("width", [8.0, 12.0])
@pytest.mark.parametrize("font_size", [8.0, 9.0])
def test_labels_fit_at_other_widths_and_without_title(kb, name, width, font_size):
    fig = to_figure(kb, name, FigureStyle(width=width, title=False, font_size=font_size))
    assert fig.get_size_inches()[0] == pytest.approx(width)
    texts, frame = _texts(fig)
    assert not any("Table 5)" in t or "IMRI framework:" in t or "bridge which" in t for t, _ in texts)
    for text, box in texts:
        assert frame.x0 - 0.5 <= box.x0 and box.x1 <= frame.x1 + 0.5, f"{text!r} is cut off at {width} in"
    for i, (a, box_a) in enumerate(texts):
        for b, box_b in texts[i + 1:]:
            assert not box_a.overlaps(box_b), f"{a!r} overlaps {b!r} at {width} in"


def test_pdf_is_deterministic_and_sizes_are_checked(kb):
    pdf = to_figure_bytes(kb, "heatmap", fmt="pdf")
    assert pdf.startswith(b"%PDF") and pdf == to_figure_bytes(kb, "heatmap", fmt="pdf")
    assert b"CreationDate" not in pdf
    assert parse_width("17.8cm") == pytest.approx(7.0078, abs=1e-3) and parse_width("180mm") == pytest.approx(7.0866, abs=1e-3)
    for bad in ("wide", "7 ft", ""):
        with pytest.raises(InputError, match="is not a width"):
            parse_width(bad)
    with pytest.raises(InputError, match="between 3 in and 20 in"):
        FigureStyle(width=2)
    for name in ("heatmap", "framework"):
        with pytest.raises(InputError, match=r"needs at least \d\.\d in .* at 8 pt; give a wider --width"):
            to_figure(kb, name, FigureStyle(width=3.5))


def test_framework_places_impacts_by_category_and_scope(kb):
    cells = impacts_by_cell(to_impact_network(kb))
    assert cells["Ways of interacting", "process"] == ["Empowering members and shifting power",
                                                        "Increasing access to technology"]
    assert cells["Ways of thinking", "process"] == ["Increasing appreciation and knowledge of implementation science"]
    assert cells["Ways of operating and doing business", "both"] == [
        "Confirming commitment and pushing recovery forward"]
    assert sum(map(len, cells.values())) == 19
    drawn = " ".join(t.replace("\n", " ") for t, _ in _texts(to_figure(kb, "framework"))[0])
    for labels in cells.values():
        for label in labels:
            assert label in drawn


def test_write_figure_and_bad_names(kb, tmp_path):
    path = write_figure(kb, "bipartite", tmp_path / "b.png")
    assert path.read_bytes().startswith(b"\x89PNG")
    assert write_figure(kb, "heatmap", tmp_path / "h.svg").read_bytes().startswith(b"<?xml")
    with pytest.raises(InputError, match='"pie" is not a figure'):
        to_figure(kb, "pie")
    with pytest.raises(InputError, match='"tiff" is not a figure format'):
        to_image(to_figure(kb, "heatmap"), "tiff")


def test_a_png_past_the_pixel_cap_is_refused_before_it_is_drawn():
    # a figure's height grows with its rows: a matrix of 71 codes at 20 in, 24 pt and 600 dpi took 5 GB to draw
    from matplotlib.figure import Figure

    from imri_kg.analytics.figures import to_image
    with pytest.raises(InputError, match=r"the PNG would be 12000 x 36000 pixels, more than the 100,000,000"):
        to_image(Figure(figsize=(20, 60)), "png", dpi=600)
    assert to_image(Figure(figsize=(20, 60)), "svg", dpi=600).startswith(b"<?xml")
