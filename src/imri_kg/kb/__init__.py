"""The part of the knowledge base (graph kb) still built from the curated tables in data/: CFIR 2009 and the constructs
the review added to it. Both papers' facts (Piat et al. 2021 and 2022) are stated by the example projects' views
(examples/*/views/); build.py adds them."""

from pathlib import Path

from pyoxigraph import NamedNode, Quad

from imri_kg.kb.bibliography import read_sources
from imri_kg.kb.builder import GraphBuilder
from imri_kg.kb.review import add_cfir2009, add_new_constructs
from imri_kg.resources import DATA_DIR, EXAMPLES_DIR
from imri_kg.resources import ROOT as PROJECT_DIR  # noqa: F401 - kept for older callers; use imri_kg.resources


def read_kb(data: Path = DATA_DIR, *, base: str, graph: NamedNode, examples: Path = EXAMPLES_DIR) -> list[Quad]:
    """The quads of the knowledge base still built from data/, in `graph`; their sources must be parts that the
    example projects' parts.csv list. Raises InputError, located, on a bad source row."""
    g = GraphBuilder(base, graph)
    sources = read_sources(examples)
    cfir = add_cfir2009(g, data)
    add_new_constructs(g, data, sources, cfir)
    return list(dict.fromkeys(g.quads))
