"""Building the store: the ontology, the crosswalks, the two papers as review projects, the knowledge base (graph kb:
the union of the projects' views' triples, plus what kb/ still builds from data/), what it infers, and the links from
project records to the kb records they restate."""

from pathlib import Path

from pyoxigraph import NamedNode, Quad, Store

from imri_kg.crosswalk.loading import frameworks_graph, read_crosswalks
from imri_kg.errors import InputError
from imri_kg.kb import read_kb
from imri_kg.namespaces import SKOS
from imri_kg.projects.loading import import_project, project_graphs
from imri_kg.resources import DATA_DIR, EXAMPLES_DIR, QUERIES_DIR
from imri_kg.store import DEFAULT_BASE, graph_iri, read_ontology, replace_graphs

GRAPHS = ("ontology", "kb", "inferred", "restated")
OBJECT_SOURCE = NamedNode("https://w3id.org/sssom/object_source")
IN_SCHEME = (SKOS.inScheme, SKOS.topConceptOf)

# Which record of the papers' projects restates which record of the knowledge base (prov:alternateOf).
RESTATED = QUERIES_DIR / "kb" / "projects-restating-papers.rq"

# The property chain of imri:spansGroup, run as SPARQL so that the store holds what a reasoner infers.
SPANS_CHAIN = """
PREFIX imri: <https://w3id.org/imri/ontology#>
CONSTRUCT { ?theme imri:spansGroup ?group . ?theme imri:hasEvidence ?evidence }
WHERE { ?evidence imri:theme ?theme ; imri:innovationGroup ?group }
"""

def build_store(store: Store | None = None, *, base: str = DEFAULT_BASE, data: Path = DATA_DIR,
                examples: Path = EXAMPLES_DIR) -> Store:
    """Build the ontology, the knowledge base, the crosswalks and the two papers as review projects (the folders
    of `examples`, imported through the project reader as a reviewer's folder is) into `store` (a new in-memory one
    by default). The projects' view graphs are not kept under their own names: their union is graph kb.

    Every source is read and checked before the store is touched, so a bad source leaves it as it was.
    The graphs are then replaced in one transaction.
    """
    store = store if store is not None else Store()
    kb = graph_iri("kb", base=base)
    quads = read_ontology(base=base) + read_kb(data, base=base, graph=kb)
    crosswalks = read_crosswalks(data, base=base)
    crosswalk_quads = [q for graph in crosswalks.values() for q in graph]
    scratch = Store()
    scratch.extend(quads + crosswalk_quads)
    projects = read_examples(scratch, examples, base=base)
    # The examples' views state the papers again in the knowledge base's vocabulary: their union is graph kb, but
    # for the concept schemes that shipped mapping sets map to (a paper's additions to a framework), which join the
    # frameworks in graph frameworks.
    views = [g for g in projects if g.value.endswith("/view")]
    frameworks = frameworks_graph(base=base)
    schemes = {q.object for graph in crosswalks.values() for q in graph if q.predicate == OBJECT_SOURCE}
    kb_quads = [Quad(q.subject, q.predicate, q.object, frameworks if q.subject in schemes or (
        q.predicate in IN_SCHEME and q.object in schemes) else kb) for g in views for q in projects.pop(g)]
    kb_quads = [q for q in dict.fromkeys(kb_quads) if q not in scratch]
    scratch.extend(kb_quads)
    quads += kb_quads
    inferred = graph_iri("inferred", base=base)
    quads += [Quad(t.subject, t.predicate, t.object, inferred) for t in scratch.query(
        SPANS_CHAIN, default_graph=kb)]
    restated = graph_iri("restated", base=base)
    quads += [Quad(t.subject, t.predicate, t.object, restated)
              for t in scratch.query(RESTATED.read_text(encoding="utf-8"), use_default_graph_as_union=True)]
    drops = [graph_iri(name, base=base) for name in GRAPHS] + list(crosswalks) + list(projects)
    replace_graphs(store, drops, quads + crosswalk_quads + [q for graph in projects.values() for q in graph])
    return store


def read_examples(store: Store, examples: Path = EXAMPLES_DIR, *, base: str = DEFAULT_BASE) -> dict[NamedNode, list[Quad]]:
    """The quads of the example projects (`examples`/*/), imported into `store` (which holds the frameworks their
    mappings target) as a reviewer's folder is, by graph; their data, mappings and view graphs.

    The shapes are skipped (their tests validate them whole) and no history record is written, so that a build
    gives the same graph on every machine and run."""
    graphs: dict[NamedNode, list[Quad]] = {}
    for folder in sorted(p for p in examples.iterdir() if (p / "project.yaml").is_file()):
        imported = import_project(store, folder, base=base, shapes=False, history=False)
        if not imported.slug:
            raise InputError("the example project does not read cleanly:\n" + "\n".join(
                str(p) for p in imported.check.problems.items), path=folder)
        for g in project_graphs(store, imported.slug, base=base):
            graphs[g] = list(store.quads_for_pattern(None, None, None, g))
    return graphs


def is_built(store: Store, *, base: str = DEFAULT_BASE) -> bool:
    return store.contains_named_graph(graph_iri("kb", base=base))
