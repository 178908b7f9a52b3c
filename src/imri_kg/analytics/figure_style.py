"""How a figure is set for print: its width, resolution, title, type sizes and a colour-blind-safe palette.

Figures are laid out for the width they will be printed at, so that type keeps its point size: at the default
7 in (a two-column journal page) the smallest text is 7 pt.
"""

import re
import textwrap
from dataclasses import dataclass

from imri_kg.errors import InputError

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision deficiency.
OKABE_ITO = {"orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73", "yellow": "#F0E442", "blue": "#0072B2",
             "vermillion": "#D55E00", "purple": "#CC79A7", "black": "#000000"}
MIN_WIDTH_IN, MAX_WIDTH_IN = 3.0, 20.0
CM_PER_IN = 2.54
EM, EM_BOLD = 0.55, 0.63  # average advance of a DejaVu Sans character, in ems, for wrapping text to a width


@dataclass(frozen=True)
class FigureStyle:
    """Print settings of a figure. `font_size` is the body size in points; notes are one point smaller."""

    width: float = 7.0
    dpi: int = 300
    title: bool = True
    font_size: float = 8.0

    def __post_init__(self) -> None:
        if not MIN_WIDTH_IN <= self.width <= MAX_WIDTH_IN:
            raise InputError(f"a figure's width must be between {MIN_WIDTH_IN:g} in and {MAX_WIDTH_IN:g} in "
                             f"({MIN_WIDTH_IN * CM_PER_IN:g}-{MAX_WIDTH_IN * CM_PER_IN:g} cm); got {self.width:g} in.")
        if not 50 <= self.dpi <= 1200:
            raise InputError(f"dpi must be between 50 and 1200; got {self.dpi}.")
        if not 5 <= self.font_size <= 24:
            raise InputError(f"the font size must be between 5 and 24 pt; got {self.font_size:g}.")

    @property
    def small(self) -> float:
        """Notes, cell labels and legends: one point under the body size, never under 7 pt unless the body is."""
        return max(self.font_size - 1, min(self.font_size, 7.0))

    @property
    def heading(self) -> float:
        return self.font_size + 3

    def line(self, size: float | None = None) -> float:
        """Height of one line of text, in inches."""
        return (size or self.font_size) * 1.25 / 72

    def chars(self, inches: float, size: float | None = None, *, bold: bool = False) -> int:
        """How many characters of text at `size` points fit in `inches`."""
        return max(4, int(inches * 72 / ((size or self.font_size) * (EM_BOLD if bold else EM))))

    def wrap(self, text: str, inches: float, size: float | None = None, *, bold: bool = False) -> str:
        width = self.chars(inches, size, bold=bold)
        return "\n".join(textwrap.wrap(text, width=width, break_long_words=False)) or text


DEFAULT_STYLE = FigureStyle()


def parse_width(text: str) -> float:
    """A printed width such as "7in", "17.8cm", "180mm" or "7" (inches) -> inches."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(in|cm|mm)?\s*", text or "")
    if not match:
        raise InputError(f'"{text}" is not a width; write it like 7in, 17.8cm or 180mm.')
    value, unit = float(match.group(1)), match.group(2) or "in"
    return value / {"in": 1.0, "cm": CM_PER_IN, "mm": CM_PER_IN * 10}[unit]


def require_width(style: FigureStyle, needed: float, what: str) -> None:
    """Refuse a width too narrow for the figure's columns at its type size, saying what would do."""
    if style.width + 1e-9 < needed:
        raise InputError(f"the {what} needs at least {needed:.1f} in ({needed * CM_PER_IN:.1f} cm) at "
                         f"{style.font_size:g} pt; give a wider --width or a smaller --font-size.")
