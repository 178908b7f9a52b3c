"""Loading crosswalks into the store: the shipped frameworks and mapping sets, and user imports (all-or-nothing).

Frameworks live in named graphs <base/graph/frameworks> (shipped) and <base/graph/frameworks/NAME> (imported);
each mapping set in <base/graph/mappings/NAME>, NAME coming from its mapping_set_id. Imports are checked against
shapes/crosswalk.ttl before the store is touched.
"""

from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import NamedNode, Quad, RdfFormat, Store, parse, serialize

from imri_kg.crosswalk.frameworks import read_frameworks
from imri_kg.crosswalk.mapping_graph import mapping_graph_iri, read_mapping_set, set_slug
from imri_kg.crosswalk.sssom import MappingSet, SssomErrors, read_sssom
from imri_kg.errors import InputError
from imri_kg.namespaces import OWL, RDF, SKOS
from imri_kg.projects.lookup import slugify
from imri_kg.resources import MAPPINGS_DIR, SHAPES_DIR
from imri_kg.store import DEFAULT_BASE, FORMATS

SHAPES_FILE = SHAPES_DIR / "crosswalk.ttl"
SHAPE_COLUMNS = {OWL.annotatedSource.value: "subject_id", OWL.annotatedTarget.value: "object_id",
                 OWL.annotatedProperty.value: "predicate_id"}


@dataclass(frozen=True)
class Imported:
    graph: NamedNode
    name: str
    count: int  # mappings, or concepts


def frameworks_graph(*, base: str, name: str | None = None) -> NamedNode:
    return NamedNode(f"{base.rstrip('/')}/graph/frameworks" + (f"/{name}" if name else ""))


def read_crosswalks(data: Path, *, base: str, mappings: Path = MAPPINGS_DIR) -> dict[NamedNode, list[Quad]]:
    """The shipped frameworks and mapping sets, by named graph; raises InputError, located, on a bad file."""
    graphs = {frameworks_graph(base=base): read_frameworks(data, base=base, graph=frameworks_graph(base=base))}
    for path in sorted(Path(mappings).glob("*.sssom.tsv")):
        mset = rebase(read_sssom(path), base=base)
        graph = mapping_graph_iri(mset.set_id, base=base)
        if graph in graphs:
            raise InputError(f"has the same set name as another file ({set_slug(mset.set_id)}).", path=path)
        graphs[graph] = read_mapping_set(mset, base=base, graph=graph)[0]
    return graphs


def rebase(mset: MappingSet, *, base: str) -> MappingSet:
    """Point the curie_map (and set id) at `base` when the data are built under another base IRI."""
    base = base if base.endswith("/") else base + "/"
    if base == DEFAULT_BASE:
        return mset
    mset.curie_map = {p: base + ns.removeprefix(DEFAULT_BASE) if ns.startswith(DEFAULT_BASE) else ns
                      for p, ns in mset.curie_map.items()}
    if mset.set_id.startswith(DEFAULT_BASE):
        mset.metadata["mapping_set_id"] = base + mset.set_id.removeprefix(DEFAULT_BASE)
    return mset


def import_mapping_set(store: Store, path: Path, *, base: str = DEFAULT_BASE) -> Imported:
    """Check an SSSOM/TSV file (format, then shapes against what the store holds) and load it, replacing any
    earlier version of the same set. Nothing is written unless every check passes."""
    mset = read_sssom(path)
    graph = mapping_graph_iri(mset.set_id, base=base)
    quads, lines = read_mapping_set(mset, base=base, graph=graph)
    context = _context(store, quads, skip=graph)
    problems = shape_problems(quads + context)
    if problems:
        errors = [InputError(message, path=path, row=lines.get(focus), column=SHAPE_COLUMNS.get(where, where or None),
                             unit="line") for focus, where, message in problems]
        raise SssomErrors(errors)
    _replace(store, graph, quads)
    return Imported(graph, set_slug(mset.set_id), len(mset.rows))


def import_framework(store: Store, path: Path, *, base: str = DEFAULT_BASE) -> Imported:
    """Check an RDF file holding SKOS concept schemes against the shapes and load it into its own graph."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"unknown extension; use one of {', '.join(FORMATS)}.", path=path)
    try:
        triples = list(parse(path=str(path), format=fmt))
    except (SyntaxError, OSError) as exc:
        raise InputError(f"cannot be read as RDF: {exc}", path=path) from None
    schemes = sorted({t.subject.value for t in triples
                      if t.predicate == RDF.type and t.object == SKOS.ConceptScheme})
    if not schemes:
        raise InputError("holds no skos:ConceptScheme; a framework file declares its scheme.", path=path)
    name = slugify(schemes[0].rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]) or "framework"
    graph = frameworks_graph(base=base, name=name)
    quads = [Quad(t.subject, t.predicate, t.object, graph) for t in triples]
    problems = shape_problems(quads)
    if problems:
        raise InputError("does not conform to shapes/crosswalk.ttl:\n" + "\n".join(
            f"  {focus}{' ' + where if where else ''}: {message}" for focus, where, message in problems), path=path)
    concepts = {q.subject for q in quads if q.predicate == SKOS.inScheme}
    _replace(store, graph, quads)
    return Imported(graph, name, len(concepts))


def shape_problems(quads: list[Quad]) -> list[tuple[str, str, str]]:
    """(focus node, property path, message) for each SHACL violation of shapes/crosswalk.ttl."""
    import pyshacl
    import rdflib

    data = rdflib.Graph()
    data.parse(data=(serialize([q.triple for q in quads], format=RdfFormat.N_TRIPLES) or b"").decode(),
               format="nt")
    shapes = rdflib.Graph().parse(SHAPES_FILE, format="turtle")
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, advanced=True)
    if conforms:
        return []
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    problems = []
    for result in report.objects(None, sh.result):  # top-level results, not nested sh:detail ones
        focus = str(report.value(result, sh.focusNode))
        path = report.value(result, sh.resultPath)
        message = str(report.value(result, sh.resultMessage) or "violates a shape")
        problems.append((focus, str(path) if isinstance(path, rdflib.URIRef) else "", message))
    return sorted(set(problems))


def _context(store: Store, quads: list[Quad], *, skip: NamedNode) -> list[Quad]:
    """What the shapes need to know from the store about the concepts a mapping set names."""
    refs = {q.object for q in quads if q.predicate in (OWL.annotatedSource, OWL.annotatedTarget)}
    out = []
    for ref in refs:
        for p in (SKOS.prefLabel, SKOS.inScheme):
            for q in store.quads_for_pattern(ref, p, None, None):
                if q.graph_name != skip:
                    out.append(q)
                    if p == SKOS.inScheme:
                        out.extend(store.quads_for_pattern(q.object, None, None, None))
    return out


def _replace(store: Store, graph: NamedNode, quads: list[Quad]) -> None:
    from imri_kg.store import replace_graphs

    replace_graphs(store, [graph], quads)  # one request on a remote engine


def mapping_graphs(store: Store, *, base: str = DEFAULT_BASE) -> dict[str, NamedNode]:
    """The mapping-set graphs in the store, by set name."""
    prefix = f"{base.rstrip('/')}/graph/mappings/"
    return {g.value.removeprefix(prefix): g for g in sorted(store.named_graphs(), key=lambda g: g.value)
            if isinstance(g, NamedNode) and g.value.startswith(prefix)}


def find_mapping_graph(store: Store, name: str, *, base: str = DEFAULT_BASE) -> NamedNode:
    graphs = mapping_graphs(store, base=base)
    if name not in graphs:
        raise InputError(f'no mapping set named "{name}"; the store has: {", ".join(graphs) or "none"}.')
    return graphs[name]


def to_mappings_turtle(store: Store, graphs: list[NamedNode]) -> bytes:
    """The mapping triples and their reified metadata of the given graphs, as one Turtle document."""
    from imri_kg.questions import PREFIXES

    triples = dict.fromkeys(q.triple for g in graphs for q in store.quads_for_pattern(None, None, None, g))
    prefixes = {**PREFIXES, "sssom": "https://w3id.org/sssom/", "pav": "http://purl.org/pav/",
                "semapv": "https://w3id.org/semapv/vocab/", "sh": "http://www.w3.org/ns/shacl#"}
    return serialize(triples, format=RdfFormat.TURTLE, prefixes=prefixes) or b""
