"""The general matrix coding query (NVivo's): any code level, case dimension or picked codes/cases against any other,
for one project, several or all; each cell counts excerpts and distinct studies and lists its excerpts with their
full references. The SPARQL lives in queries/matrix/; this package only fills in the axes and assembles the answer.
"""

from imri_kg.matrix.axes import AXIS_KINDS, Axis, parse_axis
from imri_kg.matrix.model import Cell, Excerpt, Item, Matrix, Study
from imri_kg.matrix.query import to_matrix
from imri_kg.matrix.writers import FORMATS, to_bytes

__all__ = ["AXIS_KINDS", "FORMATS", "Axis", "Cell", "Excerpt", "Item", "Matrix", "Study", "parse_axis", "to_bytes",
           "to_matrix"]
