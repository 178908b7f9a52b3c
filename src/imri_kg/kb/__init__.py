"""The knowledge base (graph kb): both papers' facts are stated by the example projects' views (examples/*/views/,
added by build.py), the constructs the review added to CFIR 2009 among them (examples/piat2021/
framework_additions.csv); only CFIR 2009 itself is built here, by the crosswalk's framework loader, from the curated
table in data/reference/."""

from pathlib import Path

from pyoxigraph import NamedNode, Quad

from imri_kg.crosswalk.cfir2009 import read_cfir2009
from imri_kg.resources import DATA_DIR
from imri_kg.resources import ROOT as PROJECT_DIR  # noqa: F401 - kept for older callers; use imri_kg.resources


def read_kb(data: Path = DATA_DIR, *, base: str, graph: NamedNode) -> list[Quad]:
    """The quads of the knowledge base built from data/ (CFIR 2009), in `graph`. Raises InputError, located, on a
    bad row."""
    return read_cfir2009(data, base=base, graph=graph)
