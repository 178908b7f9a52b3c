"""Figures: same bytes on every run, every label inside the canvas and clear of the others, the right content."""

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from imri_kg.analytics.figures import FIGURES, to_figure, to_figure_bytes, to_image, write_figure
from imri_kg.analytics.framework_figure import impacts_by_cell
from imri_kg.analytics.views import to_impact_network
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
    assert texts.count("not reported") == 7 * 6 - 25
    assert "[85, 88]" in texts and "[98, 99, 102,\n105, 106, 108,\n114]" in texts
    assert "Interpersonal relationships (6)" in texts


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
    with pytest.raises(InputError, match='"pdf" is not a figure format'):
        to_image(to_figure(kb, "heatmap"), "pdf")
