"""The part of the knowledge base (graph kb) still built from the curated tables in data/: the IMRI study's (Piat et al.
2022) sites, Table 1 and quotes, CFIR 2009 and the constructs the review added to it.
The review's facts (Piat et al. 2021) and the IMRI study's record, parts, notes, impacts, interview guide and references are stated by the
example projects' views (examples/*/views/); build.py adds them."""

from pathlib import Path

from pyoxigraph import NamedNode, Quad

from imri_kg.kb.bibliography import example_rows, read_sources
from imri_kg.kb.builder import GraphBuilder
from imri_kg.kb.review import add_cfir2009, add_new_constructs
from imri_kg.kb.study_sites import add_study_setting
from imri_kg.resources import DATA_DIR, EXAMPLES_DIR
from imri_kg.resources import ROOT as PROJECT_DIR  # noqa: F401 - kept for older callers; use imri_kg.resources


def read_kb(data: Path = DATA_DIR, *, base: str, graph: NamedNode, examples: Path = EXAMPLES_DIR) -> list[Quad]:
    """The quads of the knowledge base still built from data/, in `graph`; their sources must be parts that the
    example projects' parts.csv list. Raises InputError, located, on a bad source row."""
    g = GraphBuilder(base, graph)
    sources = read_sources(examples)
    cfir = add_cfir2009(g, data)
    add_new_constructs(g, data, sources, cfir)
    # the impacts the quotes are coded to: the codes of level impact of examples/piat2022/ (stated by its views)
    impacts = {row["code"]: g.iri("impact", row["code"])
               for row in example_rows(examples / "piat2022" / "codebook.csv") if row["level"] == "impact"}
    add_study_setting(g, data, sources, impacts)
    return list(dict.fromkeys(g.quads))
