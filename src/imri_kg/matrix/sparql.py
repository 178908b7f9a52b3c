"""The matrix's SPARQL: reading the .rq files of queries/matrix/ and filling their VALUES blocks with RDF terms."""

import re
from functools import cache

from pyoxigraph import Literal, NamedNode, Store

from imri_kg.namespaces import PREFIXES
from imri_kg.questions import QUERIES_DIR

MATRIX_DIR = QUERIES_DIR / "matrix"


@cache
def read_sparql(name: str) -> str:
    return (MATRIX_DIR / f"{name}.rq").read_text(encoding="utf-8")


def fill(query: str, /, **values: list[NamedNode | Literal] | None) -> str:
    """The query named `query` with each `VALUES ?var { }` block holding `values[var]`; a block given None is left out
    (the variable stays free: "all"). Terms are written as N-Triples by pyoxigraph, never pasted from user text."""
    sparql = read_sparql(query)
    for var, terms in values.items():
        block = re.compile(r"VALUES \?" + var + r" \{ \}")
        if not block.search(sparql):
            raise ValueError(f"queries/matrix/{query}.rq has no VALUES ?{var} block")
        text = "" if terms is None else f"VALUES ?{var} {{ {' '.join(str(t) for t in terms)} }}"
        sparql = block.sub(lambda _, text=text: text, sparql, count=1)
    return sparql


def select(store: Store, sparql: str) -> list[dict[str, str]]:
    result = store.query(sparql, use_default_graph_as_union=True, prefixes=PREFIXES)
    names = [v.value for v in result.variables]
    return [{n: (s[n].value if s[n] is not None else "") for n in names} for s in result]
