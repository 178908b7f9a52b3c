"""The part of the knowledge base (graph kb) still built from the curated tables in data/: the IMRI study (Piat et al.
2022) but its numbered references, CFIR 2009 and the constructs the review added to it. The review's facts (Piat et
al. 2021) and the IMRI study's references are stated by the example projects' views (examples/*/views/); build.py
adds them."""

from pathlib import Path

from pyoxigraph import NamedNode, Quad

from imri_kg.kb.bibliography import add_studies
from imri_kg.kb.builder import GraphBuilder
from imri_kg.kb.framework import add_framework, add_notes
from imri_kg.kb.review import add_cfir2009, add_new_constructs
from imri_kg.kb.study_sites import add_study_setting
from imri_kg.resources import DATA_DIR
from imri_kg.resources import ROOT as PROJECT_DIR  # noqa: F401 - kept for older callers; use imri_kg.resources

# The papers whose facts in graph kb are their example project's views (examples/<slug>/views/), not built here.
FROM_VIEWS = {"piat2021"}


def read_kb(data: Path = DATA_DIR, *, base: str, graph: NamedNode) -> list[Quad]:
    """The quads of the knowledge base built from data/ (not those of the papers in FROM_VIEWS), in `graph`. Raises
    InputError, located, on a bad source row."""
    g = GraphBuilder(base, graph)
    sources = add_studies(g, data, skip=FROM_VIEWS)
    cfir = add_cfir2009(g, data)
    add_new_constructs(g, data, sources, cfir)
    impacts = add_framework(g, data, sources)
    add_study_setting(g, data, sources, impacts)
    add_notes(g, data, sources, skip=FROM_VIEWS)
    return list(dict.fromkeys(g.quads))
