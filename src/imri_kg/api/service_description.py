"""The SPARQL 1.1 Service Description of the endpoint (https://www.w3.org/TR/sparql11-service-description/)."""

from html import escape

from pyoxigraph import NamedNode, RdfFormat, parse, serialize

from imri_kg.api.negotiation import GRAPH_TYPES, RESULTS_TYPES
from imri_kg.api.settings import Settings
from imri_kg.kb.build import GRAPHS
from imri_kg.store import canonical_quads, graph_iri

_TEMPLATE = """
@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix imri: <https://w3id.org/imri/ontology#> .

<{endpoint}#service> a sd:Service ;
  sd:endpoint <{endpoint}> ;
  rdfs:label "imri-kg SPARQL endpoint" ;
  dcterms:description \"\"\"{posture}\"\"\" ;
  sd:supportedLanguage sd:SPARQL11Query {update_language};
  sd:feature sd:UnionDefaultGraph ;
  {formats} ;
  sd:defaultDataset [ a sd:Dataset ;
    sd:defaultGraph [ a sd:Graph ; rdfs:comment "The union of all named graphs." ] ;
    {named} ] .
"""
_FORMATS = {
    "application/sparql-results+json": "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
    "application/sparql-results+xml": "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    "text/csv": "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
    "text/tab-separated-values": "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
    "text/turtle": "http://www.w3.org/ns/formats/Turtle",
    "application/n-triples": "http://www.w3.org/ns/formats/N-Triples",
    "application/ld+json": "http://www.w3.org/ns/formats/JSON-LD",
    "application/rdf+xml": "http://www.w3.org/ns/formats/RDF_XML",
}


def posture(settings: Settings) -> str:
    """The safety posture in words: what this endpoint will and will not do."""
    writes = ("Updates need the write token (Authorization: Bearer)" if settings.write_token and
              settings.store_dir is None else "Read-only: every SPARQL Update is refused")
    return (f"{writes}. Each query has a time limit of {settings.timeout:g} s, after which it is stopped. "
            f"Results are capped at {settings.max_rows} rows or triples (headers X-SPARQL-MaxRows and "
            "X-IMRI-Truncated say so when the cap is hit). SERVICE and LOAD are refused: the server never fetches a "
            "URL named in a query. FROM and FROM NAMED select graphs already in the store and never cause a fetch.")


def to_service_description(settings: Settings, *, endpoint: str, media_type: str,
                           graphs: list[str] | None = None) -> bytes:
    """The description as bytes in an RDF media type of GRAPH_TYPES, or as an HTML page for a browser.

    `graphs` are the IRIs of the named graphs the store holds now (section 3.4: sd:namedGraph of the default
    dataset); without them, the graphs every build has.
    """
    formats = " ,\n    ".join(f"<{_FORMATS[m]}>" for m in [*RESULTS_TYPES, *GRAPH_TYPES] if m in _FORMATS)
    if graphs is None:
        graphs = [graph_iri(g, base=settings.base).value for g in GRAPHS]
    named = " ;\n    ".join(f'sd:namedGraph [ a sd:NamedGraph ; sd:name <{NamedNode(g).value}> ]'
                             for g in sorted(graphs)) or "rdfs:comment \"The store holds no named graph.\""
    update = ", sd:SPARQL11Update " if settings.write_token and settings.store_dir is None else ""
    turtle = _TEMPLATE.format(endpoint=endpoint, posture=posture(settings).replace('"', "'"),
                              update_language=update, formats="sd:resultFormat " + formats, named=named)
    # Canonical blank nodes: the same description gives the same bytes (and length), request after request.
    triples = [q.triple for q in canonical_quads(parse(turtle, format=RdfFormat.TURTLE))]
    if media_type == "text/html":
        return _html(settings, serialize(triples, format=RdfFormat.TURTLE, prefixes=_PREFIXES) or b"")
    return serialize(triples, format=GRAPH_TYPES[media_type],
                     prefixes=_PREFIXES) or b""


_PREFIXES = {"sd": "http://www.w3.org/ns/sparql-service-description#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
             "dcterms": "http://purl.org/dc/terms/"}


def _html(settings: Settings, turtle: bytes) -> bytes:
    """A page for people who open /sparql in a browser: a query form, the posture and the description."""
    page = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>imri-kg SPARQL endpoint</title>
</head><body><h1>imri-kg SPARQL endpoint</h1><p>{escape(posture(settings))}</p>
<form method="get" action=""><textarea name="query" rows="8" cols="90">SELECT ?theme ?label WHERE {{
  ?theme a imri:Theme ; skos:prefLabel ?label }} ORDER BY ?label</textarea><br>
<button type="submit">Run query</button></form>
<h2>Service description</h2><pre>{escape(turtle.decode())}</pre></body></html>"""
    return page.encode()
