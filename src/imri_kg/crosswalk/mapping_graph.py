"""SSSOM mapping sets in RDF: each set as SKOS mapping triples plus one reified owl:Axiom per mapping.

The reification follows SSSOM's RDF/OWL serialisation: the mapping set is its mapping_set_id, typed
sssom:MappingSet and linked by sssom:mappings to each mapping; a mapping is an owl:Axiom with
owl:annotatedSource/annotatedProperty/annotatedTarget, sssom:mapping_justification, sssom:confidence
(xsd:decimal), pav:authoredBy (author_id), rdfs:comment and sssom:<slot> for the other slots. The curie_map is kept
as SHACL prefix declarations (sh:prefix, sh:namespace), so that a set exported from the graph is the set imported.
"""

import hashlib

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Store

from imri_kg.crosswalk.sssom import ENTITY_SLOTS, LIST_SLOTS, MappingSet
from imri_kg.namespaces import DCTERMS, OWL, RDF, RDFS, XSD, _Namespace
from imri_kg.projects.lookup import slugify

SSSOM = _Namespace("https://w3id.org/sssom/")
PAV = _Namespace("http://purl.org/pav/")
SH = _Namespace("http://www.w3.org/ns/shacl#")

# Slots with a standard property of their own (as in SSSOM's JSON-LD context); the rest become sssom:<slot>.
SLOT_PROPERTIES = {
    "subject_id": OWL.annotatedSource, "predicate_id": OWL.annotatedProperty, "object_id": OWL.annotatedTarget,
    "author_id": PAV.authoredBy, "creator_id": DCTERMS.creator, "comment": RDFS.comment,
    "license": DCTERMS.license, "mapping_set_title": DCTERMS.title, "mapping_set_description": DCTERMS.description,
    "mapping_set_version": OWL.versionInfo, "see_also": RDFS.seeAlso,
}
IRI_SLOTS = (*ENTITY_SLOTS, "license")
SLOT_OF = {p.value: slot for slot, p in SLOT_PROPERTIES.items()}


def set_slug(set_id: str) -> str:
    """A short name for a mapping set, from the last segment of its id: 'imri-impacts-chime'."""
    last = set_id.rstrip("/").rsplit("/", 1)[-1]
    for suffix in (".sssom.tsv", ".tsv", ".sssom"):
        last = last.removesuffix(suffix)
    return slugify(last) or "mappings"


def mapping_graph_iri(set_id: str, *, base: str) -> NamedNode:
    return NamedNode(f"{base.rstrip('/')}/graph/mappings/{set_slug(set_id)}")


def read_mapping_set(mset: MappingSet, *, base: str, graph: NamedNode) -> tuple[list[Quad], dict[str, int]]:
    """The quads of one mapping set, and the file line of each mapping resource (for locating shape errors)."""
    quads: list[Quad] = []

    def add(s: NamedNode | BlankNode, p: NamedNode, o: NamedNode | Literal | BlankNode) -> None:
        quads.append(Quad(s, p, o, graph))

    s = NamedNode(mset.set_id)
    add(s, RDF.type, SSSOM.MappingSet)
    add(s, RDFS.label, Literal(str(mset.metadata.get("mapping_set_title") or set_slug(mset.set_id))))
    for key, value in mset.metadata.items():
        if key != "mapping_set_id":
            for v in value if isinstance(value, list) else [value]:
                add(s, _property(key), _term(mset, key, v))
    slug = set_slug(mset.set_id)
    for prefix, ns in sorted(mset.curie_map.items()):
        # An IRI, not a blank node: a remote SPARQL engine relabels blank nodes in every answer, so a later request
        # could not ask for the declaration's prefix and namespace.
        decl = NamedNode(f"{base.rstrip('/')}/mapping/{slug}/prefix/{prefix}")
        add(s, SSSOM.curie_map, decl)
        add(decl, SH.prefix, Literal(prefix))
        add(decl, SH.namespace, Literal(ns, datatype=XSD.anyURI))
    lines: dict[str, int] = {}
    for row, line in zip(mset.rows, mset.lines or [0] * len(mset.rows)):
        subject, predicate, obj = (NamedNode(mset.expand(row[c])) for c in ("subject_id", "predicate_id", "object_id"))
        digest = hashlib.sha1(f"{subject.value} {predicate.value} {obj.value}".encode()).hexdigest()[:12]
        m = NamedNode(f"{base.rstrip('/')}/mapping/{slug}/{digest}")
        add(subject, predicate, obj)
        add(s, SSSOM.mappings, m)
        add(m, RDF.type, OWL.Axiom)
        add(m, RDFS.label, Literal(f"{row.get('subject_label') or row['subject_id']} "
                                   f"{row['predicate_id'].split(':')[-1]} {row.get('object_label') or row['object_id']}"))
        for column, cell in row.items():
            if not cell:
                continue
            for v in [x.strip() for x in cell.split("|")] if column in LIST_SLOTS else [cell]:
                add(m, _property(column), _term(mset, column, v))
        lines[m.value] = line
    return quads, lines


def _property(slot: str) -> NamedNode:
    return SLOT_PROPERTIES.get(slot) or SSSOM.__getattr__(slot)


def _term(mset: MappingSet, slot: str, value: str) -> NamedNode | Literal:
    if slot in ENTITY_SLOTS:
        return NamedNode(mset.expand(value))
    if slot == "license":
        return NamedNode(value)
    if slot == "confidence":
        return Literal(value, datatype=XSD.decimal)
    return Literal(value)


def to_mapping_sets(store: Store, *, graph: NamedNode | None = None) -> list[MappingSet]:
    """Every mapping set in the store (or in one graph), rebuilt from its triples, ordered by id."""
    sets = sorted({q.subject.value for q in store.quads_for_pattern(None, RDF.type, SSSOM.MappingSet, graph)})
    return [_to_mapping_set(store, NamedNode(s), graph) for s in sets]


def _to_mapping_set(store: Store, s: NamedNode, graph: NamedNode | None) -> MappingSet:
    curie_map: dict[str, str] = {}
    for q in store.quads_for_pattern(s, SSSOM.curie_map, None, graph):
        decl = {d.predicate.value: d.object.value for d in store.quads_for_pattern(q.object, None, None, graph)}
        curie_map[decl[SH.prefix.value]] = decl[SH.namespace.value]
    mset = MappingSet({"mapping_set_id": s.value}, curie_map, [])
    skip = {RDF.type.value, RDFS.label.value, SSSOM.curie_map.value, SSSOM.mappings.value}
    for q in store.quads_for_pattern(s, None, None, graph):
        if q.predicate.value not in skip:
            _put(mset.metadata, _slot(q.predicate.value), _text(mset, q.object))
    for key in list(mset.metadata):
        if key in LIST_SLOTS:
            mset.metadata[key] = sorted(mset.metadata[key].split("|"))
    mappings = {q.object for q in store.quads_for_pattern(s, SSSOM.mappings, None, graph)}
    for m in sorted(mappings, key=lambda n: n.value):
        row: dict[str, str] = {}
        for q in store.quads_for_pattern(m, None, None, graph):
            if q.predicate.value not in skip:
                _put(row, _slot(q.predicate.value), _text(mset, q.object))
        mset.rows.append({k: "|".join(sorted(v.split("|"))) if k in LIST_SLOTS else v for k, v in row.items()})
    return mset


def _slot(predicate: str) -> str:
    return SLOT_OF.get(predicate) or predicate.removeprefix(SSSOM.iri)


def _put(target: dict, key: str, value: str) -> None:
    target[key] = f"{target[key]}|{value}" if key in target else value


def _text(mset: MappingSet, term: NamedNode | Literal | BlankNode) -> str:
    """A term as SSSOM writes it: IRIs as CURIEs (longest matching namespace), literals as their text."""
    if isinstance(term, NamedNode):
        best = max(((p, ns) for p, ns in mset.prefixes().items() if term.value.startswith(ns)),
                   key=lambda pn: len(pn[1]), default=None)
        if best is not None and term.value != best[1]:
            return f"{best[0]}:{term.value[len(best[1]):]}"
    return term.value
