"""Linked data: what the server says about one IRI, as triples and as an HTML page with links and evidence."""

import re
from dataclasses import dataclass
from html import escape
from urllib.parse import quote

from pyoxigraph import Literal, NamedNode, Store, Triple, Variable

from imri_kg.api.ui.layout import local_href, page_html, table
from imri_kg.namespaces import (
    BIBO,
    CITO,
    DCTERMS,
    IMRI,
    OWL,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    SKOS,
    XSD,
    _Namespace,
)

SD = _Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = _Namespace("http://rdfs.org/ns/void#")

# The resource's own triples, the triples that point at it, and (for a document IRI such as the ontology's)
# the triples of the hash IRIs it holds, e.g. <.../ontology#Theme> under <.../ontology>.
_HASH = """SELECT ?s ?p ?o ?iri WHERE { ?s ?p ?o FILTER (STRSTARTS(STR(?s), CONCAT(STR(?iri), "#"))) }"""
# Coded evidence tied to the resource either way, with its kind, text and the works it cites (through a numbered
# citation of a paper, or directly for a review project's excerpt); not the excerpt of a paper's project that restates
# this very record (prov:alternateOf, graph restated).
_EVIDENCE = """
SELECT DISTINCT ?iri ?evidence ?kind ?label ?text ?work WHERE {
  { ?iri ?p ?evidence } UNION { ?evidence ?p ?iri }
  FILTER(?p != prov:alternateOf)
  ?evidence a ?kind . ?kind rdfs:subClassOf* imri:CodedEvidence . ?evidence imri:text ?text .
  OPTIONAL { ?evidence rdfs:label ?label }
  OPTIONAL { { ?evidence imri:citation/cito:hasCitedEntity ?work } UNION { ?evidence cito:cites ?work } }
}
"""
# Where a record sits: its scheme, parents, category, framework constructs and mappings (shown in this order).
_SITS = [SKOS.inScheme, SKOS.topConceptOf, SKOS.broader, IMRI.codeLevel, IMRI.category, IMRI.scope,
         IMRI.possibleScope, IMRI.theme, IMRI.impact, IMRI.code, IMRI.case, IMRI.innovationType,
         IMRI.stakeholderGroup, IMRI.site, IMRI.cfirDomain, IMRI.codedToConstruct, IMRI.innovationGroup, IMRI.spansGroup,
         SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch]
_MAPPED_FROM = [SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch,
                IMRI.codedToConstruct]
# Records that point here and say where it sits: the themes found in a group, the narrower concepts.
_POINTING_HERE = {IMRI.spansGroup: "Themes found in this group", SKOS.broader: "Narrower"}
# Links to works that are listed as references (sorted by reference number), not as plain related records.
_CITING = [IMRI.includedStudy, CITO.cites, CITO.hasCitedEntity]
_WORDS = {SKOS.inScheme: "In scheme", SKOS.topConceptOf: "Top concept of", SKOS.broader: "Broader",
          SKOS.exactMatch: "Exact match", SKOS.closeMatch: "Close match", SKOS.broadMatch: "Broader match",
          SKOS.narrowMatch: "Narrower match", SKOS.relatedMatch: "Related match", SKOS.hasTopConcept: "top concept",
          RDF.type: "Type", SKOS.member: "Member", PROV.wasDerivedFrom: "Source",
          OWL.annotatedSource: "Mapping record", OWL.annotatedTarget: "Mapping record"}
# How a record that points here is listed ("concept in this scheme"), where the plain inverse would read badly.
_INVERSE = {SKOS.inScheme: "concept in this scheme", SKOS.topConceptOf: "top concept",
            PROV.wasDerivedFrom: "derived from it", OWL.annotatedSource: "mapping record",
            OWL.annotatedTarget: "mapping record", IMRI.spansGroup: "theme spanning this group",
            IMRI.innovationGroup: "in this group", IMRI.theme: "coded to it", IMRI.impact: "coded to it",
            CITO.hasCitedEntity: "numbered citation of it", IMRI.includedStudy: "includes it"}
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


def _text_key(markup: str) -> tuple:
    """Sort key of a link or text: its visible words, numbers compared as numbers ([9] before [85])."""
    words = re.sub(r"<[^>]+>", "", markup).casefold()
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", words))


def _values(store: Store, node, predicate: NamedNode) -> list[str]:
    return sorted(q.object.value for q in store.quads_for_pattern(node, predicate, None, None))


def _predicate_words(store: Store, predicate: NamedNode) -> str:
    if predicate in _WORDS:
        return _WORDS[predicate]
    label = _label(store, predicate)
    return label[:1].upper() + label[1:] if label else _curie(predicate.value)


def _lower(words: str) -> str:
    return words[:1].lower() + words[1:] if words[1:2].islower() else words


def _doi_link(doi: str) -> str:
    doi = doi.removeprefix("doi:").removeprefix("https://doi.org/")
    return f'<a class="doi" href="https://doi.org/{escape(quote(doi, safe="/:;()._-"))}">doi:{escape(doi)}</a>'


def to_reference_html(store: Store, work: NamedNode, *, base: str) -> str:
    """A work as a reader cites it: authors, year, title, venue and DOI link where the graph has them. A work the
    papers know only by its number says so: "Reference [85] of Piat et al. 2021; the seeds do not give its details"."""
    _label(store, work) or _curie(work.value)
    link = _link(store, work, base=base)
    dois = _values(store, work, BIBO.doi) or [v for v in _values(store, work, DCTERMS.identifier)
                                                  if v.startswith("doi:")]
    citation = _values(store, work, DCTERMS.bibliographicCitation)
    title = _values(store, work, DCTERMS.title)
    doi = " " + _doi_link(dois[0]) if dois else ""
    if citation and (not title or title[0] in citation[0]):  # a review project's study: the full citation
        return f"{link}: {escape(citation[0])}{doi}"
    if title:  # a source paper: its label names the first author and year (dcterms:creator keeps no order)
        venue = f" {escape(citation[0])}." if citation else ""
        return f"{link}. {escape(title[0])}.{venue}{doi}"
    for q in store.quads_for_pattern(None, CITO.hasCitedEntity, work, None):  # a paper's numbered reference
        numbers = _values(store, q.subject, IMRI.referenceNumber)
        citing = [c.object for c in store.quads_for_pattern(q.subject, CITO.hasCitingEntity, None, None)]
        if numbers and citing:
            by = escape(_label(store, citing[0]) or _curie(citing[0].value))
            named = [n.removeprefix("Named in the text as: ") for n in _values(store, work, SKOS.note)]
            said = f" Named in the text as “{escape(named[0])}”." if named else ""
            details = "" if dois else "; the seeds do not give its details"
            return (f'<a href="{escape(local_href(work.value, base=base))}">Reference [{escape(numbers[0])}] of '
                    f"{by}</a>{details}.{said}{doi}")
    return f"{link}{doi}" if doi else link


def _sits(store: Store, node: NamedNode, own: list[Triple], inbound: list[Triple], *, base: str,
          shown: set[str]) -> str:
    rows = []
    for predicate in _SITS:
        links = sorted({_link(store, t.object, base=base) for t in own if t.predicate == predicate}, key=_text_key)
        shown |= {t.object.value for t in own if t.predicate == predicate}
        if links:
            rows.append(f"<dt>{escape(_predicate_words(store, predicate))}</dt><dd>{', '.join(links)}</dd>")
    for predicate, words in _POINTING_HERE.items():
        subjects = {t.subject for t in inbound if t.predicate == predicate}
        shown |= {s.value for s in subjects}
        links = sorted({_link(store, s, base=base) for s in subjects}, key=_text_key)
        if links:
            rows.append(f"<dt>{escape(words)}</dt><dd>{', '.join(links)}</dd>")
    for predicate in _MAPPED_FROM:
        subjects = {t.subject for t in inbound if t.predicate == predicate}
        shown |= {s.value for s in subjects}
        links = sorted({_link(store, s, base=base) for s in subjects}, key=_text_key)
        if links:
            words = _lower(_predicate_words(store, predicate))
            rows.append(f"<dt>Mapped here ({escape(words)}) from</dt><dd>{', '.join(links)}</dd>")
    return '<h2>Where it sits</h2><dl class="sits">' + "".join(rows) + "</dl>" if rows else ""


def _evidence(store: Store, node: NamedNode, *, base: str) -> list[tuple[str, str]]:
    """(evidence IRI, its markup) sorted by kind then label; each excerpt once, with its references sorted."""
    found: dict[str, dict] = {}
    for row in store.query(_EVIDENCE, prefixes=PREFIXES, use_default_graph_as_union=True,
                           substitutions={Variable("iri"): node}):
        entry = found.setdefault(row["evidence"].value, {
            "node": row["evidence"], "kind": _label(store, row["kind"]) or _curie(row["kind"].value),
            "label": row["label"].value if row["label"] else row["evidence"].value, "text": row["text"].value,
            "works": set()})
        if row["kind"] != IMRI.CodedEvidence and entry["kind"] in ("coded evidence",):
            entry["kind"] = _label(store, row["kind"]) or entry["kind"]
        if row["work"] is not None:
            entry["works"].add(row["work"])
    items = []
    for iri, e in found.items():
        refs = sorted((to_reference_html(store, w, base=base) for w in e["works"]), key=_text_key)
        cites = ('<p class="refs">Cites:</p><ul class="refs">' + "".join(f"<li>{r}</li>" for r in refs) + "</ul>"
                 if refs else "")
        items.append((e["kind"], e["label"], iri,
                      (f'<li class="evidence"><p class="evidence-label">{_link(store, e["node"], base=base)}</p>'
                      f"<blockquote><p>{escape(e['text'])}</p></blockquote>{cites}</li>")))
    items.sort(key=lambda i: (i[0].casefold(), _text_key(i[1])))
    return [(iri, (kind, markup)) for kind, _, iri, markup in items]


def _evidence_html(store: Store, evidence: list, *, base: str) -> str:
    if not evidence:
        return ""
    parts, kind = [f"<h2>Evidence ({len(evidence)})</h2>"], None
    for _, (k, markup) in evidence:
        if k != kind:
            parts.append(("</ul>" if kind else "") + f'<h3>{escape(k[:1].upper() + k[1:])}s</h3><ul class="evidence">')
            kind = k
        parts.append(markup)
    return "".join(parts) + "</ul>"


def _references(store: Store, own: list[Triple], inbound: list[Triple], *, base: str, shown: set[str]) -> str:
    works = {t.object for t in own if t.predicate in _CITING and isinstance(t.object, NamedNode)}
    works |= {q.object for t in own if t.predicate == IMRI.citation  # evidence citing numbered references
              for q in store.quads_for_pattern(t.object, CITO.hasCitedEntity, None, None)}
    # Works tied to this record by another property (e.g. a group's included studies point at the group).
    works |= {t.subject for t in inbound if t.predicate == IMRI.innovationGroup
              and any(True for _ in store.quads_for_pattern(None, CITO.hasCitedEntity, t.subject, None))}
    shown |= {t.object.value for t in own if t.predicate == IMRI.citation}  # listed as the works they cite
    works = {w for w in works if w.value not in shown}
    if not works:
        return ""
    shown |= {w.value for w in works}
    refs = sorted((to_reference_html(store, w, base=base) for w in works), key=_text_key)
    return (f"<h2>Studies and references ({len(refs)})</h2><ol class=\"refs\">"
            + "".join(f"<li>{r}</li>" for r in refs) + "</ol>")


def _related(store: Store, own: list[Triple], inbound: list[Triple], *, base: str, shown: set[str]) -> str:
    """Every other record linked either way, once each, grouped by how it is linked, sorted by label."""
    how: dict[NamedNode, set[str]] = {}
    for t in inbound:
        if isinstance(t.subject, NamedNode) and t.subject.value not in shown:
            words = _INVERSE.get(t.predicate) or _lower(_predicate_words(store, t.predicate)) + " (pointing here)"
            how.setdefault(t.subject, set()).add(words)
    for t in own:
        if (isinstance(t.object, NamedNode) and t.object.value not in shown and t.predicate != RDF.type
                and t.predicate not in _SITS):
            how.setdefault(t.object, set()).add(_lower(_predicate_words(store, t.predicate)))
    if not how:
        return ""
    groups: dict[str, list[str]] = {}
    for record, ways in how.items():
        groups.setdefault(", ".join(sorted(ways)), []).append(_link(store, record, base=base))
    parts = [f"<h2>Related records ({len(how)})</h2>"]
    for ways in sorted(groups):
        links = sorted(groups[ways], key=_text_key)
        parts.append(f"<h3>{escape(ways[:1].upper() + ways[1:])} ({len(links)})</h3><ul class=\"related\">"
                     + "".join(f"<li>{link}</li>" for link in links) + "</ul>")
    return "".join(parts)


def _raw(store: Store, node: NamedNode, own: list[Triple], inbound: list[Triple], *, base: str) -> str:
    props = [[_link(store, t.predicate, base=base), _link(store, t.object, base=base)]
             for t in sorted(own, key=lambda t: (t.predicate != RDF.type, _curie(t.predicate.value), t.object.value))]
    refs = [[_link(store, t.subject, base=base), _link(store, t.predicate, base=base)]
            for t in sorted(inbound, key=lambda t: (_curie(t.predicate.value), t.subject.value))]
    parts = ['<details class="raw"><summary>All properties, IRI and other formats</summary>',
             f'<p class="iri"><code>{escape(node.value)}</code></p>',
             ('<p>Other formats: <a href="?format=turtle">Turtle</a>, <a href="?format=jsonld">JSON-LD</a>, '
             '<a href="?format=nt">N-Triples</a>.</p>')]
    if props:
        parts.append(table(["Property", "Value"], props, label="Properties", sortable=False))
    if refs:
        parts.append(table(["Resource", "Refers to it by"], refs, label="Resources that refer to this one",
                           sortable=False))
    return "".join(parts) + "</details>"


def to_not_found_html(iri: str, *, base: str) -> str:
    """The 404 page of an IRI the store knows nothing about: in the layout, with a search for its last words."""
    words = re.sub(r"[-_/#]+", " ", iri.removeprefix(base)).strip()
    body = (f"<h1>Not found</h1><p>Nothing is known about <code>{escape(iri)}</code>.</p>"
            '<form class="search-page" role="search" action="/ui/search"><label for="not-found-q">Search for '
            f'</label> <input type="search" id="not-found-q" name="q" value="{escape(words[-80:])}"> '
            '<button type="submit">Search</button></form>'
            '<p>Or start from the <a href="/ui/">home page</a>, the <a href="/scheme/themes">themes</a> or the '
            '<a href="/ui/questions">question library</a>.</p>')
    return page_html("Not found", body)


def _html(store: Store, node: NamedNode, own: list[Triple], inbound: list[Triple], hashed: list[Triple], *,
          base: str) -> str:
    """Meaning first (label, definition, where it sits), then the evidence with its references, then related
    records; every property and the other formats last, folded."""
    title = _label(store, node) or _curie(node.value)
    parts = ['<p class="crumb"><a href="/ui/">Home</a></p>', f"<h1>{escape(title)}</h1>"]
    alt = sorted({t.object.value for t in own if t.predicate == SKOS.altLabel})
    if alt:
        parts.append(f'<p class="alt">Also called: {escape("; ".join(alt))}</p>')
    types = sorted((_link(store, t.object, base=base) for t in own if t.predicate == RDF.type), key=_text_key)
    if types:
        parts.append('<p class="kind">Kind: ' + ", ".join(types) + "</p>")
    parts += [f"<p><strong>Definition.</strong> {escape(t.object.value)}</p>" for t in own
              if t.predicate == SKOS.definition]
    parts += [f'<p class="note"><strong>Note.</strong> {escape(t.object.value)}</p>' for t in own
              if t.predicate in (SKOS.note, SKOS.scopeNote)]
    parts += [f'<blockquote class="excerpt"><p>{escape(t.object.value)}</p></blockquote>' for t in own
              if t.predicate == IMRI.text]
    parts += [f'<p class="attribution">As printed: {escape(t.object.value)}</p>' for t in own
              if t.predicate == IMRI.asPrinted and Triple(node, RDF.type, IMRI.Quote) in own]
    reference = to_reference_html(store, node, base=base)
    if reference != _link(store, node, base=base):
        parts.append(f'<p class="reference"><strong>Reference.</strong> {reference}</p>')
    shown: set[str] = set()
    parts.append(_sits(store, node, own, inbound, base=base, shown=shown))
    evidence = _evidence(store, node, base=base)
    shown |= {e for e, _ in evidence}
    parts.append(_evidence_html(store, evidence, base=base))
    parts.append(_references(store, own, inbound, base=base, shown=shown))
    parts.append(_related(store, own, inbound, base=base, shown=shown))
    if hashed:
        terms = sorted({t.subject.value for t in hashed if isinstance(t.subject, NamedNode)})
        parts.append(f"<h2>Terms defined here ({len(terms)})</h2><ul>")
        parts += [f"<li>{_link(store, NamedNode(t), base=base)}</li>" for t in terms]
        parts.append("</ul>")
    parts.append(_raw(store, node, own, inbound, base=base))
    return page_html(title, "\n".join(p for p in parts if p))


__all__ = ["IMRI", "Page", "describe", "to_not_found_html", "to_reference_html"]
