"""The knowledge base (graph kb): both papers' facts are stated by the example projects' views (examples/*/views/,
added by build.py); only CFIR 2009 and the constructs the review added to it are built here, by the crosswalk's
framework loader, from the curated tables in data/."""

import csv
import io
from pathlib import Path

from pyoxigraph import NamedNode, Quad

from imri_kg.crosswalk.cfir2009 import read_cfir2009
from imri_kg.resources import DATA_DIR, EXAMPLES_DIR
from imri_kg.resources import ROOT as PROJECT_DIR  # noqa: F401 - kept for older callers; use imri_kg.resources


def read_kb(data: Path = DATA_DIR, *, base: str, graph: NamedNode, examples: Path = EXAMPLES_DIR) -> list[Quad]:
    """The quads of the knowledge base built from data/ (CFIR 2009 and the review's added constructs), in `graph`;
    their sources must be parts that the example projects' parts.csv list. Raises InputError, located, on a bad
    source row."""
    return read_cfir2009(data, base=base, graph=graph, sources=read_sources(examples))


def read_sources(examples: Path) -> dict[str, str]:
    """'slug' and 'slug#part' for every example project folder (examples/<slug>/parts.csv), each with its label
    (a slug's is the slug)."""
    sources: dict[str, str] = {}
    for parts in sorted(examples.glob("*/parts.csv")):
        sources[parts.parent.name] = parts.parent.name
        lines = [ln for ln in parts.read_text(encoding="utf-8-sig").splitlines() if not ln.startswith("#")]
        sources.update((row["part"], row["label"]) for row in csv.DictReader(io.StringIO("\n".join(lines))))
    return sources
