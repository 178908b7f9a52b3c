"""Linked data: what the server says about one IRI, as triples and as an HTML page with links and evidence."""

from dataclasses import dataclass
from html import escape

from pyoxigraph import Literal, NamedNode, Store, Triple, Variable

from imri_kg.api.ui.layout import page_html, table
from imri_kg.namespaces import IMRI, PREFIXES, RDF, RDFS, SKOS, XSD, _Namespace

SD = _Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = _Namespace("http://rdfs.org/ns/void#")

# The resource's own triples, the triples that point at it, and (for a document IRI such as the ontology's)
# the triples of the hash IRIs it holds, e.g. <.../ontology#Theme> under <.../ontology>.
_HASH = """SELECT ?s ?p ?o ?iri WHERE { ?s ?p ?o FILTER (STRSTARTS(STR(?s), CONCAT(STR(?iri), "#"))) }"""
# Coded evidence tied to the resource either way, with its text and the reference numbers it cites.
_EVIDENCE = """
SELECT ?iri ?evidence ?label ?text (GROUP_CONCAT(DISTINCT STR(?n); separator=", ") AS ?refs) WHERE {
  { ?iri ?p ?evidence } UNION { ?evidence ?p ?iri }
  ?evidence a/rdfs:subClassOf* imri:CodedEvidence ; imri:text ?text .
  OPTIONAL { ?evidence rdfs:label ?label }
  OPTIONAL { ?evidence imri:citation/imri:referenceNumber ?n }
} GROUP BY ?iri ?evidence ?label ?text ORDER BY ?label
"""
_NAMES = {v: k for k, v in PREFIXES.items()}


@dataclass(frozen=True)
class Page:
    triples: list[Triple]
    html: str


def describe(store: Store, iri: str, *, base: str, html: bool = True) -> Page | None:
    """The triples about `iri` and its HTML page, or None when the store knows nothing of it.

    For a named graph of the store, the server adds two triples of its own: it is an sd:NamedGraph with
    void:triples its size.
    """
    node = NamedNode(iri)
    triples = dict.fromkeys(q.triple for q in store.quads_for_pattern(node, None, None, None))
    inbound = dict.fromkeys(q.triple for q in store.quads_for_pattern(None, None, node, None))
    hashed = dict.fromkeys(Triple(s["s"], s["p"], s["o"]) for s in store.query(
        _HASH, substitutions={Variable("iri"): node}, use_default_graph_as_union=True))
    if store.contains_named_graph(node):  # a graph of the store: say what it is and how big
        size = sum(1 for _ in store.quads_for_pattern(None, None, None, node))
        triples[Triple(node, RDF.type, SD.NamedGraph)] = None
        triples[Triple(node, VOID.triples, Literal(str(size), datatype=XSD.integer))] = None
    everything = list({**triples, **inbound, **hashed})
    if not everything:
        return None
    return Page(everything, _html(store, node, list(triples), list(inbound), list(hashed), base=base) if html else "")


def _label(store: Store, node: NamedNode) -> str | None:
    for predicate in (SKOS.prefLabel, RDFS.label):
        for quad in store.quads_for_pattern(node, predicate, None, None):
            return quad.object.value
    return None


def _curie(iri: str) -> str:
    for ns, prefix in _NAMES.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _link(store: Store, term, *, base: str) -> str:
    if isinstance(term, Literal):
        lang = f' <span class="lang">@{escape(term.language)}</span>' if term.language else ""
        return escape(term.value) + lang
    if not isinstance(term, NamedNode):
        return escape(str(term))
    href = "/" + term.value[len(base):] if term.value.startswith(base) else term.value
    text = _label(store, term) if term.value.startswith(base) else None
    if not term.value.lower().startswith(("http://", "https://")):  # javascript:, data:...: text, never a link
        return f'<span class="iri" title="{escape(term.value)}">{escape(text or _curie(term.value))}</span>'
    return f'<a href="{escape(href)}" title="{escape(term.value)}">{escape(text or _curie(term.value))}</a>'


def _html(store: Store, node: NamedNode, own: list[Triple], inbound: list[Triple], hashed: list[Triple], *,
          base: str) -> str:
    title = _label(store, node) or _curie(node.value)
    definitions = [q.object.value for q in store.quads_for_pattern(node, SKOS.definition, None, None)]
    types = [_link(store, q.object, base=base) for q in store.quads_for_pattern(node, RDF.type, None, None)]
    parts = [
        '<p class="crumb"><a href="/ui/">Home</a></p>',
        f"<h1>{escape(title)}</h1>", f'<p class="iri"><code>{escape(node.value)}</code></p>',
    ]
    if types:
        parts.append("<p>A " + ", ".join(types) + "</p>")
    parts += [f"<p><strong>Definition.</strong> {escape(d)}</p>" for d in definitions]
    parts += [('<p>Other formats: <a href="?format=turtle">Turtle</a>, <a href="?format=jsonld">JSON-LD</a>, '
              '<a href="?format=nt">N-Triples</a>.</p>')]
    parts.append(_table("Properties", ("Property", "Value"),
                        [(_link(store, t.predicate, base=base), _link(store, t.object, base=base))
                         for t in sorted(own, key=lambda t: (t.predicate != RDF.type, _curie(t.predicate.value)))]))
    parts.append(_table("Related: resources that refer to this one", ("Resource", "Refers to it by"),
                        [(_link(store, t.subject, base=base), _link(store, t.predicate, base=base))
                         for t in inbound]))
    evidence = list(store.query(_EVIDENCE, prefixes=PREFIXES, use_default_graph_as_union=True,
                                substitutions={Variable("iri"): node}))
    if evidence:
        parts.append("<h2>Evidence</h2><ul>")
        for e in evidence:
            refs = f" <em>Cites [{escape(e['refs'].value)}]</em>" if e["refs"] and e["refs"].value else ""
            parts.append(f"<li>{_link(store, e['evidence'], base=base)}: {escape(e['text'].value)}{refs}</li>")
        parts.append("</ul>")
    if hashed:
        terms = sorted({t.subject.value for t in hashed if isinstance(t.subject, NamedNode)})
        parts.append(f"<h2>Terms defined here ({len(terms)})</h2><ul>")
        parts += [f"<li>{_link(store, NamedNode(t), base=base)}</li>" for t in terms]
        parts.append("</ul>")
    return page_html(title, "\n".join(parts))


def _table(heading: str, columns: tuple[str, str], rows: list[tuple[str, str]]) -> str:
    if not rows:
        return ""
    return f"<h2>{escape(heading)}</h2>" + table(list(columns), [list(r) for r in rows], label=heading)


__all__ = ["IMRI", "Page", "describe"]
