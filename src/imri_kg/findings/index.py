"""What the findings files refer to, looked up in the project's graph: codes, cases, excerpts and their studies.

Built from the graph that the project reader writes (examples/README.md, "The graph"), not from its Python objects,
so it serves a folder read just now and a project already in a store alike.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, Quad, Store

Term = NamedNode | Literal

from imri_kg.namespaces import IMRI
from imri_kg.projects.lookup import label_key

PROJECT = IMRI.project


@dataclass
class ProjectIndex:
    """The project's records by the words a reviewer uses for them (ids, labels, keys, DOIs, numbers)."""

    project: NamedNode
    codes: dict[str, NamedNode] = field(default_factory=dict)
    cases: dict[str, set[NamedNode]] = field(default_factory=dict)
    excerpts: dict[str, NamedNode] = field(default_factory=dict)
    studies: dict[str, NamedNode] = field(default_factory=dict)
    excerpt_studies: dict[NamedNode, set[NamedNode]] = field(default_factory=dict)
    study_keys: dict[NamedNode, str] = field(default_factory=dict)

    @property
    def prefix(self) -> str:
        return self.project.value + "/"

    def code(self, text: str) -> NamedNode | None:
        return self.codes.get(label_key(text))

    def case(self, text: str) -> set[NamedNode]:
        """Cases named `dimension:case`, or by id or label when that is unique across dimensions."""
        return self.cases.get(label_key(text), set())

    def excerpt(self, text: str) -> NamedNode | None:
        return self.excerpts.get(text.strip())

    def study(self, text: str) -> NamedNode | None:
        key = text.strip().strip("[]").strip()
        key = key.removeprefix("https://doi.org/").removeprefix("doi:")
        return self.studies.get(key.casefold())


_QUERY = """
PREFIX imri: <https://w3id.org/imri/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX bibo: <http://purl.org/ontology/bibo/>
PREFIX cito: <http://purl.org/spar/cito/>
SELECT ?kind ?s ?word ?other WHERE {
  ?s imri:project $project .
  { ?s a imri:Code . BIND("code" AS ?kind) OPTIONAL { ?s skos:prefLabel|skos:altLabel ?word } }
  UNION { ?s a imri:Case ; skos:inScheme ?other . BIND("case" AS ?kind) OPTIONAL { ?s skos:prefLabel|skos:altLabel ?word } }
  UNION { ?s a imri:CodedExcerpt . BIND("excerpt" AS ?kind) OPTIONAL { ?s cito:cites ?other } }
  UNION { ?s a imri:Study . BIND("study" AS ?kind) OPTIONAL { ?s imri:citationKey|bibo:doi|imri:referenceNumber ?word }
          OPTIONAL { ?s imri:citationKey ?other } }
}"""


def to_index(quads: Iterable[Quad] | Store, project: NamedNode) -> ProjectIndex:
    """The index of `project`'s records in `quads` (or a store: its union graph)."""
    store = quads if isinstance(quads, Store) else _store(quads)
    index = ProjectIndex(project)
    results = store.query(_QUERY.replace("$project", f"<{project.value}>"), use_default_graph_as_union=True)
    for kind, s, word, other in results:  # type: ignore[misc]
        for text in ([word.value] if word is not None else []) + [s.value.rsplit("/", 1)[-1]]:  # words, then id
            _add(index, kind.value, s, text, other)
    for s in set(index.studies.values()):
        index.study_keys.setdefault(s, s.value.rsplit("/", 1)[-1])
    return index


def _add(index: ProjectIndex, kind: str, s: NamedNode, text: str, other: Term | None) -> None:
    if kind == "code":
        index.codes.setdefault(label_key(text), s)
    elif kind == "case":
        dimension = other.value.rsplit("/", 1)[-1]
        for key in (label_key(text), label_key(f"{dimension}:{text}")):
            index.cases.setdefault(key, set()).add(s)
    elif kind == "excerpt":
        index.excerpts[text] = s
        studies = index.excerpt_studies.setdefault(s, set())
        if other is not None:
            studies.add(other)
    else:
        index.studies.setdefault(text.casefold(), s)
        if other is not None:
            index.study_keys[s] = other.value


def _store(quads: Iterable[Quad]) -> Store:
    store = Store()
    store.extend(quads)
    return store
