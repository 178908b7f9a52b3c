"""One description per record for static hosting: records/<path>.ttl and records/<path>.html for every IRI
<base><path> the store describes, so that the w3id rules can send each record IRI to its own description.

A record's description is what the server's linked-data page gives without a server: the triples about it and the
triples that point at it. Blank nodes it points to are not followed; the whole dataset is in data/.
"""

import html
import re
from pathlib import Path

from pyoxigraph import Literal, NamedNode, RdfFormat, Store, Triple, serialize

from imri_kg.namespaces import PREFIXES, RDF, RDFS, SKOS
from imri_kg.publish.docs import _page

SAFE_PATH = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]*(?:/[A-Za-z0-9][A-Za-z0-9._~-]*)*")  # no '..', no '#'
_NAMES = {ns: prefix for prefix, ns in PREFIXES.items()}


def to_record_paths(store: Store, *, base: str) -> list[str]:
    """The paths (after `base`) of every record the store has triples about, sorted; hash IRIs belong to their
    document (ontology#Theme to ontology), which has its own rule."""
    paths = {q.subject.value[len(base):] for q in store
             if isinstance(q.subject, NamedNode) and q.subject.value.startswith(base)}
    return sorted(p for p in paths if SAFE_PATH.fullmatch(p) and p not in ("ontology", "dataset"))


def write_records(store: Store, directory: Path, *, base: str) -> list[Path]:
    """Write records/<path>.ttl and .html for every record; returns the files written."""
    written = []
    for path in to_record_paths(store, base=base):
        node = NamedNode(base + path)
        own = sorted({q.triple for q in store.quads_for_pattern(node, None, None, None)}, key=str)
        inbound = sorted({q.triple for q in store.quads_for_pattern(None, None, node, None)}, key=str)
        target = Path(directory) / path
        target.parent.mkdir(parents=True, exist_ok=True)
        turtle = target.with_name(target.name + ".ttl")
        turtle.write_bytes(serialize(own + inbound, format=RdfFormat.TURTLE, prefixes=PREFIXES) or b"")
        page = target.with_name(target.name + ".html")
        page.write_text(_html(store, node, own, inbound), encoding="utf-8")
        written += [turtle, page]
    return written


def _label(store: Store, node: NamedNode) -> str | None:
    for predicate in (SKOS.prefLabel, RDFS.label):
        for quad in store.quads_for_pattern(node, predicate, None, None):
            return quad.object.value
    return None


def _curie(iri: str) -> str:
    for ns, prefix in sorted(_NAMES.items(), key=lambda kv: -len(kv[0])):
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _term(store: Store, term) -> str:
    if isinstance(term, Literal):
        return html.escape(term.value) + (f" <small>@{html.escape(term.language)}</small>" if term.language else "")
    if isinstance(term, NamedNode):
        text = _label(store, term) or _curie(term.value)
        return f'<a href="{html.escape(term.value)}">{html.escape(text)}</a>'
    return html.escape(str(term))


def _html(store: Store, node: NamedNode, own: list[Triple], inbound: list[Triple]) -> str:
    rows = "".join(f"<tr><td>{_term(store, t.predicate)}</td><td>{_term(store, t.object)}</td></tr>"
                   for t in sorted(own, key=lambda t: (t.predicate != RDF.type, _curie(t.predicate.value), str(t))))
    body = (f"<p><code>{html.escape(node.value)}</code></p>"
            f"<table><thead><tr><th scope=\"col\">Property</th><th scope=\"col\">Value</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")
    if inbound:
        refs = "".join(f"<tr><td>{_term(store, t.subject)}</td><td>{_term(store, t.predicate)}</td></tr>"
                       for t in inbound)
        body += ("<h2>Resources that refer to this one</h2><table><thead><tr><th scope=\"col\">Resource</th>"
                 f"<th scope=\"col\">Refers to it by</th></tr></thead><tbody>{refs}</tbody></table>")
    return _page(_label(store, node) or _curie(node.value), body)
