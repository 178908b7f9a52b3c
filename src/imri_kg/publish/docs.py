"""HTML documentation of the ontology (pyLODE), the concept schemes and the SHACL shapes, built offline."""

import html
import logging
from pathlib import Path

from pyoxigraph import Store
from rdflib import BNode, Graph
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from imri_kg.questions import rows, run
from imri_kg.resources import SHAPES_DIR
from imri_kg.store import ONTOLOGY_FILE

STYLE = ("body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}"
         "table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{border:1px solid #ccc;padding:.3rem .5rem;"
         "text-align:left;vertical-align:top}th{background:#eef2f5}.uncertain{background:#fff4d6}"
         ".badge{font-size:.8em;background:#8a5a00;color:#fff;border-radius:.3rem;padding:0 .3rem}code{font-size:.9em}")

CONCEPTS = """
SELECT ?scheme ?schemeLabel ?concept ?label ?notation ?definition ?broader ?status ?confidence WHERE {
  ?scheme a skos:ConceptScheme ; rdfs:label ?schemeLabel .
  ?concept skos:inScheme ?scheme ; skos:prefLabel ?label .
  OPTIONAL { ?concept skos:notation ?notation } OPTIONAL { ?concept skos:definition ?definition }
  OPTIONAL { ?concept skos:broader/skos:prefLabel ?broader }
  OPTIONAL { ?concept imri:status ?status } OPTIONAL { ?concept imri:confidence ?confidence }
} ORDER BY ?schemeLabel ?notation ?label
"""


def _page(title: str, body: str) -> str:
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{html.escape(title)}</title>"
            f"<style>{STYLE}</style></head>\n<body>\n<h1>{html.escape(title)}</h1>\n{body}\n</body></html>\n")


def _uncertain(status: str, confidence: str) -> bool:
    return status.startswith("recalled") or status == "inferred" or confidence.startswith("low")


def to_schemes_html(store: Store) -> str:
    """Every concept scheme with its concepts; recalled or low-confidence items are shaded and badged."""
    parts: list[str] = []
    current = None
    for r in rows(run(store, CONCEPTS)):  # type: ignore[arg-type]
        if r["scheme"] != current:
            if current is not None:
                parts.append("</tbody></table>")
            current = r["scheme"]
            parts.append(f"<h2 id=\"{html.escape(current.rsplit('/', 1)[-1])}\">{html.escape(r['schemeLabel'])}</h2>"
                         f"<p><code>{html.escape(current)}</code></p><table><thead><tr><th scope=\"col\">Concept</th>"
                         "<th scope=\"col\">Code</th><th scope=\"col\">Broader</th><th scope=\"col\">Definition</th>"
                         "<th scope=\"col\">Status</th></tr></thead><tbody>")
        flag = _uncertain(r["status"], r["confidence"])
        badge = f" <span class=\"badge\">{html.escape(r['status'])}, {html.escape(r['confidence'])} confidence</span>" \
            if flag else ""
        status = f"{r['status']} ({r['confidence']})" if r["status"] else "from the papers"
        row_class = ' class="uncertain"' if flag else ""
        parts.append(f"<tr{row_class}><td><a href=\"{html.escape(r['concept'])}\">"
                     f"{html.escape(r['label'])}</a>{badge}</td><td>{html.escape(r['notation'])}</td>"
                     f"<td>{html.escape(r['broader'])}</td><td>{html.escape(r['definition'])}</td>"
                     f"<td>{html.escape(status)}</td></tr>")
    if current is not None:
        parts.append("</tbody></table>")
    return _page("imri-kg concept schemes", "\n".join(parts))


def _term(graph: Graph, node: Node) -> str:
    """A SHACL path or value as text, spelling out RDF lists and path expressions instead of blank-node ids."""
    if isinstance(node, BNode):
        if graph.value(node, RDF.first) is not None:
            return "(" + " ".join(_term(graph, item) for item in Collection(graph, node)) + ")"
        for predicate, template in ((SH.alternativePath, "{}|"), (SH.inversePath, "^{}"),
                                    (SH.zeroOrMorePath, "{}*"), (SH.oneOrMorePath, "{}+"), (SH.zeroOrOnePath, "{}?")):
            inner = graph.value(node, predicate)
            if inner is not None:
                if predicate == SH.alternativePath:
                    return "|".join(_term(graph, item) for item in Collection(graph, inner))
                return template.format(_term(graph, inner))
        return "[" + "; ".join(sorted(f"{graph.qname(p)} {_term(graph, o)}" for p, o in graph.predicate_objects(node))) + "]"
    return node.n3(graph.namespace_manager)


def to_shapes_html(directory: Path = SHAPES_DIR) -> str:
    """Each SHACL node shape of shapes/*.ttl: its target, and per property its path, constraints and message."""
    graph = Graph()
    for path in sorted(Path(directory).glob("*.ttl")):
        graph.parse(path, format="turtle")
    parts = []
    for shape in sorted(set(graph.subjects(RDF.type, SH.NodeShape)), key=str):
        targets = ", ".join(sorted(graph.qname(t) for t in graph.objects(shape, SH.targetClass)))
        props = []
        for prop in graph.objects(shape, SH.property):
            path = graph.value(prop, SH.path)
            rules = sorted(f"{graph.qname(p).split(':')[-1]} {_term(graph, o)}"
                           for p, o in graph.predicate_objects(prop)
                           if p not in (SH.path, SH.message, SH.name, SH.description))
            message = graph.value(prop, SH.message) or ""
            props.append((_term(graph, path) if path is not None else "", "; ".join(rules), str(message)))
        rows_html = "".join(f"<tr><td><code>{html.escape(p)}</code></td><td><code>{html.escape(r)}</code></td>"
                            f"<td>{html.escape(m)}</td></tr>" for p, r, m in sorted(props))
        anchor = f' id="{html.escape(str(shape).rsplit("#", 1)[1])}"' if "#" in str(shape) else ""  # shapes#X
        parts.append(f"<h2{anchor}>{html.escape(graph.qname(shape) if ':' in graph.qname(shape) else str(shape))}</h2>"
                     f"<p>Targets: <code>{html.escape(targets or 'see SPARQL target')}</code></p>"
                     f"<table><thead><tr><th scope=\"col\">Path</th><th scope=\"col\">Constraints</th>"
                     f"<th scope=\"col\">Message</th></tr></thead><tbody>{rows_html}</tbody></table>")
    return _page("imri-kg SHACL shapes", "\n".join(parts) or "<p>No shapes.</p>")


def to_ontology_html(path: Path = ONTOLOGY_FILE) -> str:
    from pylode import OntPub  # heavy; only the release needs it

    logging.getLogger().setLevel(max(logging.getLogger().level, logging.WARNING))
    return OntPub(ontology=str(path)).make_html()


def write_docs(store: Store, directory: Path) -> list[Path]:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    pages = {"ontology.html": to_ontology_html(), "schemes.html": to_schemes_html(store),
             "shapes.html": to_shapes_html()}
    index = "<ul>" + "".join(f"<li><a href=\"{name}\">{name.removesuffix('.html')}</a></li>" for name in pages) + "</ul>"
    pages["index.html"] = _page("imri-kg documentation", index)
    written = []
    for name, text in pages.items():
        (directory / name).write_text(text, encoding="utf-8")
        written.append(directory / name)
    return written
