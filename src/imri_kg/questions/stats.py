"""Counts of what the graph holds: resources per class of the imri ontology, and triples per graph."""

from pyoxigraph import Store

from imri_kg.questions import rows, run

CLASS_COUNTS = """
SELECT ?class ?label (COUNT(DISTINCT ?s) AS ?n) WHERE {
  ?class a owl:Class ; rdfs:label ?label . FILTER(STRSTARTS(STR(?class), STR(imri:)))
  OPTIONAL { ?s a/rdfs:subClassOf* ?class }
} GROUP BY ?class ?label ORDER BY ?label
"""

GRAPH_COUNTS = "SELECT ?graph (COUNT(*) AS ?triples) WHERE { GRAPH ?graph { ?s ?p ?o } } GROUP BY ?graph ORDER BY ?graph"


def class_counts(store: Store) -> dict[str, int]:
    """Resources per imri class, by class label (classes with none are listed with 0)."""
    return {r["label"]: int(r["n"]) for r in rows(run(store, CLASS_COUNTS))}  # type: ignore[arg-type]


def graph_counts(store: Store) -> dict[str, int]:
    return {r["graph"]: int(r["triples"]) for r in rows(run(store, GRAPH_COUNTS))}  # type: ignore[arg-type]
