"""framework_additions.csv: concepts a project adds to a framework of the store (a review that adds constructs to
CFIR), each under a parent concept of that framework or under another addition of the file (`addition:<id>`); the
project's mappings.csv can then map codes to them (`addition:<id>`)."""

from dataclasses import dataclass, replace
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, Store, Variable

from imri_kg.namespaces import DCTERMS, IMRI, PROV, RDF, RDFS, SKOS
from imri_kg.projects.lookup import label_key
from imri_kg.projects.model import Origin
from imri_kg.projects.problems import Problems, suggest
from imri_kg.projects.tables import read_rows

FILE = "framework_additions.csv"
REQUIRED = ("id", "label", "framework", "parent")
SLUG_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-")
MAX_DEPTH = 64

SCHEMES = """SELECT ?s ?l WHERE { ?s a <http://www.w3.org/2004/02/skos/core#ConceptScheme>
    OPTIONAL { ?s <http://www.w3.org/2004/02/skos/core#prefLabel>|<http://www.w3.org/2000/01/rdf-schema#label> ?l } }"""
MEMBERS = """SELECT ?scheme ?c ?n ?l ?b WHERE { ?c <http://www.w3.org/2004/02/skos/core#inScheme> ?scheme
    OPTIONAL { ?c <http://www.w3.org/2004/02/skos/core#notation> ?n }
    OPTIONAL { ?c <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }
    OPTIONAL { ?c <http://www.w3.org/2004/02/skos/core#broader> ?b } }"""


@dataclass(frozen=True)
class Addition:
    id: str
    label: str
    framework: str  # the scheme's IRI
    parent: str  # IRI of the framework concept it sits under, "" when its parent is another addition
    top: str  # IRI of the framework's top concept above it (the parent itself when that is a top concept)
    origin: Origin
    definition: str = ""
    source: str = ""
    parent_id: str = ""  # the id of the addition it sits under (parent = addition:<id>)


def addition_iri(base: str, slug: str, id_: str) -> str:
    return f"{base}project/{slug}/addition/{id_}"


def read_additions(folder: Path, store: Store | None, problems: Problems, *, base: str) -> list[Addition]:
    """The rows of framework_additions.csv, each framework and parent resolved against `store`; a located problem
    for a bad id, a duplicate id, an unknown framework or an unknown parent."""
    path = Path(folder) / FILE
    if not path.is_file():
        return []
    rows = read_rows(path, problems, required=REQUIRED) or []
    schemes = _schemes(store, base) if rows else {}
    members: dict[str, tuple[dict[str, str], dict[str, str], dict[str, str]]] = {}
    found: dict[str, Addition] = {}
    nested: list[Addition] = []  # parent = addition:<id>, resolved once every row is read
    for row in rows:
        missing = [c for c in REQUIRED if not row.get(c)]
        if missing:
            problems.add(path, "is empty; this column is required.", row=row.number, column=missing[0])
            continue
        id_ = row.get("id")
        if not set(id_) <= SLUG_CHARS or id_.startswith("-") or id_.endswith("-"):
            problems.add(path, f'"{id_}" must be lowercase letters, digits and hyphens (it is used in IRIs).',
                         row=row.number, column="id")
            continue
        if id_ in found:
            problems.add(path, f'duplicate id "{id_}" (first in row {found[id_].origin.row}).', row=row.number,
                         column="id")
            continue
        framework = _find(schemes, row.get("framework"))
        if framework is None:
            problems.add(path, f'"{row.get("framework")}" is not a framework (concept scheme) in the store.'
                         + suggest(label_key(row.get("framework")), {k: k for k in schemes if "/" not in k}),
                         row=row.number, column="framework")
            continue
        if framework not in members:
            members[framework] = _members(store, framework)
        index, broader, names = members[framework]
        text = row.get("parent")
        if text.casefold().startswith("addition:"):
            found[id_] = Addition(id_, row.get("label"), framework, "", "", Origin(path, row.number),
                                  definition=row.get("definition"), source=row.get("source"),
                                  parent_id=text.split(":", 1)[1].strip())
            nested.append(found[id_])
            continue
        parent = _find(index, text.split(":", 1)[1] if ":" in text and not text.startswith("http") else text)
        if parent is None:
            problems.add(path, f'"{text}" is not a concept of {row.get("framework")} (by notation, label or IRI).'
                         + suggest(label_key(text), names),
                         row=row.number, column="parent")
            continue
        top = parent
        for _ in range(MAX_DEPTH):
            if top not in broader:
                break
            top = broader[top]
        found[id_] = Addition(id_, row.get("label"), framework, parent, top, Origin(path, row.number),
                              definition=row.get("definition"), source=row.get("source"))
    return _nest(nested, found, path, problems) if nested else list(found.values())


def _nest(nested: list[Addition], found: dict[str, Addition], path: Path, problems: Problems) -> list[Addition]:
    """Resolve `addition:<id or label>` parents within the file: each nested addition gets its parent's id and the
    framework's top concept above the chain; a located problem for an unknown parent, another framework's
    addition, a cycle, or a parent that has a problem itself (such rows are left out)."""
    read = dict(found)
    by_label = {label_key(a.label): a.id for a in read.values()}
    for a in nested:
        parent = a.parent_id if a.parent_id in read else by_label.get(label_key(a.parent_id))
        if parent is None:
            problems.add(path, f'"addition:{a.parent_id}" is not an id or label of this file.'
                         + suggest(label_key(a.parent_id), {b.id: b.id for b in read.values()}),
                         row=a.origin.row, column="parent")
        elif read[parent].framework != a.framework:
            problems.add(path, f'"addition:{a.parent_id}" (row {read[parent].origin.row}) is added to another '
                         "framework; a parent must be in the same framework.", row=a.origin.row, column="parent")
        else:
            found[a.id] = replace(a, parent_id=parent)
            continue
        del found[a.id]
    for a in nested:
        chain = [a.id]
        while chain[-1] in found and found[chain[-1]].parent_id:  # ends: a repeat is a cycle
            up = found[chain[-1]].parent_id
            if up in chain:
                problems.add(path, "its parents go round in a cycle (rows " + ", ".join(
                    str(found[i].origin.row) for i in chain[chain.index(up):]) + "); give one of them a framework "
                    "concept as its parent.", row=a.origin.row, column="parent")
                break
            chain.append(up)
        top = found[chain[-1]].top if chain[-1] in found else ""
        if a.id in found and top:
            found[a.id] = replace(found[a.id], top=top)
        elif a.id in found and chain[-1] not in found:
            problems.add(path, f'its parent "addition:{found[a.id].parent_id}" has a problem of its own; fix that '
                         "row first.", row=a.origin.row, column="parent")
    return [a for a in found.values() if a.top]


def _find(index: dict[str, str], text: str) -> str | None:
    text = text.strip()
    for key in (text, text.casefold(), label_key(text)):
        if key in index:
            return index[key]
    return None


def _schemes(store: Store | None, base: str) -> dict[str, str]:
    """The store's concept schemes by IRI, slug (<base>scheme/<slug>) and label."""
    index: dict[str, str] = {}
    if store is None:
        return index
    for r in store.query(SCHEMES, use_default_graph_as_union=True):  # type: ignore[union-attr]
        iri = r["s"].value
        index[iri] = iri
        if iri.startswith(base + "scheme/"):
            index.setdefault(iri[len(base + "scheme/"):].casefold(), iri)
        if r["l"] is not None:
            index.setdefault(label_key(r["l"].value), iri)
    return index


def _members(store: Store | None, scheme: str) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """The scheme's concepts by IRI, notation, label and last IRI segment; each one's broader concept; and the
    notations and labels as written (for suggestions)."""
    index: dict[str, str] = {}
    broader: dict[str, str] = {}
    names: dict[str, str] = {}
    if store is None:
        return index, broader, names
    for r in store.query(MEMBERS, use_default_graph_as_union=True,  # type: ignore[union-attr]
                         substitutions={Variable("scheme"): NamedNode(scheme)}):
        iri = r["c"].value
        index[iri] = iri
        for name in (r["n"], r["l"]):
            if name is not None:
                index.setdefault(name.value.casefold(), iri)
                index.setdefault(label_key(name.value), iri)
                names.setdefault(label_key(name.value), name.value)
        index.setdefault(iri.rstrip("/").rsplit("/", 1)[-1].casefold(), iri)
        if r["b"] is not None and r["b"].value != iri:
            broader[iri] = r["b"].value
    return index, broader, names


def addition_quads(additions: list[Addition], *, root: str, title: str, graph: NamedNode,
                   source_of) -> list[Quad]:  # type: ignore[no-untyped-def]
    """Each addition as a skos:Concept of the project (`root` is its IRI) in `graph`, in the project's scheme
    <root/additions> (so that a mapping to it has a scheme): label, definition, imri:addedUnder its parent,
    imri:addedTo the framework, imri:underTopConcept the framework's top concept above it, dcterms:source;
    `source_of(origin)` gives the file's or row's IRI."""
    if not additions:
        return []
    project = NamedNode(root)
    scheme = NamedNode(f"{root}/additions")
    label = f"{title}: concepts added to frameworks"
    out = [Quad(scheme, RDF.type, SKOS.ConceptScheme, graph), Quad(scheme, RDFS.label, Literal(label), graph),
           Quad(scheme, SKOS.prefLabel, Literal(label, language="en"), graph),
           Quad(scheme, IMRI.project, project, graph),
           Quad(scheme, PROV.wasDerivedFrom, source_of(Origin(additions[0].origin.path, 0)), graph)]
    for a in additions:
        c = NamedNode(f"{root}/addition/{a.id}")
        out += [Quad(c, SKOS.inScheme, scheme, graph), Quad(c, SKOS.topConceptOf, scheme, graph),
                Quad(scheme, SKOS.hasTopConcept, c, graph)]
        out += [Quad(c, RDF.type, SKOS.Concept, graph), Quad(c, RDFS.label, Literal(a.label), graph),
                Quad(c, SKOS.prefLabel, Literal(a.label, language="en"), graph),
                Quad(c, IMRI.addedUnder, NamedNode(a.parent or f"{root}/addition/{a.parent_id}"), graph),
                Quad(c, IMRI.addedTo, NamedNode(a.framework), graph),
                Quad(c, IMRI.underTopConcept, NamedNode(a.top), graph),
                Quad(c, DCTERMS.identifier, Literal(a.id), graph),
                Quad(c, IMRI.project, project, graph),
                Quad(c, PROV.wasDerivedFrom, source_of(a.origin), graph)]
        if a.definition:
            out.append(Quad(c, SKOS.definition, Literal(a.definition, language="en"), graph))
        if a.source:
            out.append(Quad(c, DCTERMS.source, Literal(a.source), graph))
    return out
