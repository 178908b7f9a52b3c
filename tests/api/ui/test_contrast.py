"""Colour contrast of the web interface: text colours against their backgrounds meet WCAG 2.2 AA (4.5:1)."""

import re
from pathlib import Path

import pytest

from imri_kg.api.ui.matrix import INK, SHADES

CSS = (Path(__file__).resolve().parents[3] / "src/imri_kg/api/ui/static/ui.css").read_text(encoding="utf-8")


def luminance(colour: str) -> float:
    """Relative luminance (WCAG 2.2, definition of relative luminance) of a #rrggbb colour."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def var(name: str) -> str:
    return re.search(rf"--{name}: (#[0-9a-f]{{6}})", CSS)[1]


def test_contrast_formula():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize(("shade", "ink"), list(zip(SHADES, INK)))
def test_heatmap_cells(shade, ink):
    assert contrast(shade, ink) >= 4.5


@pytest.mark.parametrize(("fg", "bg"), [
    ("ink", "paper"), ("muted", "paper"), ("accent", "paper"), ("accent-dark", "paper"), ("muted", "soft"),
    ("accent", "soft"), ("error", "paper"), ("warn", "paper"), ("ok", "paper"),
])
def test_page_colours(fg, bg):
    assert contrast(var(fg), var(bg)) >= 4.5


def test_buttons_and_header():
    assert contrast("#ffffff", var("accent")) >= 4.5 and contrast("#ffffff", var("accent-dark")) >= 4.5
    assert contrast("#595959", "#f7f7f7") >= 4.5  # "not reported" in empty heatmap cells
