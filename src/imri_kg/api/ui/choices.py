"""The pick-lists of a question's form: for each parameter, only the values that can give an answer.

A value can give an answer when it occurs in the data in the parameter's role: every parameter variable is
projected (queries/library/README.md), so running the question with no parameter bound (the thresholds, integer
parameters, at their defaults) lists, in its rows, each value of each parameter that some answer holds. Run through
the worker pool with its time limit, and kept per question and data version. When that run fails or finds nothing,
a class-typed parameter offers every instance of its class, and the form says so.
"""

from pyoxigraph import Literal, Store, Variable

from imri_kg.api.engine import QueryRequest
from imri_kg.api.pool import Pool
from imri_kg.api.questions import data_version
from imri_kg.api.ui.results import ask
from imri_kg.namespaces import IMRI, PREFIXES
from imri_kg.questions import Question
from imri_kg.store.remote import with_values

Choice = tuple[str, str]  # (the value the form sends, the label it shows)

# ?class is a substitution, and pyoxigraph substitutes only variables of the projection.
_INSTANCES = """SELECT ?x ?class (SAMPLE(?l) AS ?label) WHERE { ?x a ?class ; skos:prefLabel|rdfs:label ?l }
GROUP BY ?x ?class ORDER BY LCASE(STR(?label))"""
_LABELS = """SELECT ?x (SAMPLE(?l) AS ?label) WHERE {
  ?x skos:prefLabel|rdfs:label|dcterms:title ?l } GROUP BY ?x"""
_kept: dict[tuple[str, str], dict[str, list[dict]]] = {}


def instances(store: Store, type_name: str, *, base: str) -> list[Choice]:
    """(value, label) for every instance of an imri class; the value is the path under the base, which the
    question library resolves to the IRI."""
    found = store.query(_INSTANCES, prefixes=PREFIXES, use_default_graph_as_union=True,
                        substitutions={Variable("class"): getattr(IMRI, type_name)})
    return [(s["x"].value.removeprefix(base), s["label"].value) for s in found]


async def read_answering(pool: Pool, q: Question) -> dict[str, list[dict]]:
    """For each parameter that is not an integer, the distinct SPARQL JSON terms it takes in the question's
    answer with no parameter bound; {} when that answer could not be had."""
    key = (q.name, data_version(pool))
    if key in _kept:
        return _kept[key]
    thresholds = {Variable(p.name): Literal(int(p.default)) for p in q.params
                  if p.type == "integer" and p.default is not None}
    outcome = await ask(pool, QueryRequest(with_values(q.sparql, thresholds), None, "json"))
    found: dict[str, list[dict]] = {}
    if outcome.ok and not outcome.truncated:  # a cut answer would hide values: offer every instance instead
        for p in q.params:
            if p.type != "integer" and p.name in outcome.variables:
                terms = {(b[p.name]["type"], b[p.name]["value"]): b[p.name] for b in outcome.bindings if p.name in b}
                found[p.name] = list(terms.values())
    for old in [k for k in _kept if k[1] != key[1]]:  # one data version at a time
        del _kept[old]
    _kept[key] = found  # a failure too, so that a slow question is not run again at every view
    return found


def to_choices(store: Store, terms: list[dict], *, base: str, full_iri: bool) -> list[Choice]:
    """The terms as (value, label), sorted by label: an IRI by its label in the store (the path under the base
    unless `full_iri`), a literal as itself."""
    iris = [t["value"] for t in terms if t["type"] == "uri"]
    labels: dict[str, str] = {}
    if iris:
        values = " ".join(f"<{iri}>" for iri in iris if ">" not in iri and " " not in iri)
        sparql = _LABELS.replace("WHERE {", f"WHERE {{ VALUES ?x {{ {values} }}", 1)
        labels = {s["x"].value: s["label"].value
                  for s in store.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=True)}
    out = []
    for t in terms:
        if t["type"] == "uri":
            value = t["value"] if full_iri else t["value"].removeprefix(base)
            out.append((value, labels.get(t["value"], value)))
        else:
            out.append((t["value"], t["value"]))
    return sorted(out, key=lambda c: (c[1].lower(), c[0]))
