"""Full-text search over the store: labels, definitions, excerpts and references in a SQLite FTS5 index.

`to_search_index(store)` reads the text-bearing triples once (one row per resource) into an in-memory FTS5 table;
`SearchIndex.read_hits(text)` answers a query ranked by BM25, labels weighing most. The index is a copy of the
store's text: build a new one when the data change (the server keys it by the data version).
"""

import re
import sqlite3
import threading
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, Store

from imri_kg.namespaces import CITO, DCTERMS, IMRI, PREFIXES, PROV, RDF, RDFS, SKOS

# Where each predicate's text goes: the label column weighs most, then other names, then the body.
LABELS = (SKOS.prefLabel, RDFS.label)
NAMES = (SKOS.altLabel, SKOS.notation, IMRI.citationKey)
BODY = (SKOS.definition, IMRI.text, DCTERMS.title, DCTERMS.bibliographicCitation, SKOS.note, SKOS.scopeNote,
        DCTERMS.creator, DCTERMS.description, RDFS.comment, IMRI.asPrinted)
WEIGHTS = (10.0, 5.0, 1.0)  # bm25 weights of label, names, body
_KIND_ORDER = [IMRI.CodedExcerpt, IMRI.Quote, IMRI.Example, IMRI.Theme, IMRI.InnovationGroup, IMRI.Impact,
               IMRI.Code, IMRI.Case, IMRI.Study, IMRI.Review, IMRI.PrimaryStudy, IMRI.CFIRConstruct]
_WORD = re.compile(r"\w+", re.UNICODE)
OPEN, CLOSE = "\x02", "\x03"  # around a matched word in a snippet (the page turns them into <mark>)


@dataclass(frozen=True)
class Hit:
    iri: str
    kind: str
    label: str
    snippet: str  # plain text; matched words between OPEN and CLOSE
    score: float  # BM25: lower is better


class SearchIndex:
    """An FTS5 table of the store's text, one row per resource; safe to query from several threads."""

    def __init__(self) -> None:
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute("CREATE VIRTUAL TABLE doc USING fts5(iri UNINDEXED, kind UNINDEXED, label, names, body, "
                         "tokenize='unicode61 remove_diacritics 2')")
        weights = ", ".join(str(w) for w in WEIGHTS)
        self._db.execute(f"INSERT INTO doc(doc, rank) VALUES ('rank', 'bm25(0, 0, {weights})')")
        self._lock = threading.Lock()
        self.size = 0

    def add(self, rows: list[tuple[str, str, str, str, str]]) -> None:
        with self._lock:
            self._db.executemany("INSERT INTO doc VALUES (?, ?, ?, ?, ?)", rows)
            self.size += len(rows)

    def read_hits(self, text: str, *, limit: int = 50) -> list[Hit]:
        """The resources matching every word of `text` (each as a prefix), best first; [] for no words."""
        match = to_match(text)
        if not match:
            return []
        # ORDER BY rank (BM25 with the weights set at creation) LIMIT: SQLite makes snippets for the kept rows only.
        sql = ("SELECT iri, kind, label, snippet(doc, 4, ?, ?, '…', 24), rank FROM doc WHERE doc MATCH ? "
               "ORDER BY rank, iri LIMIT ?")
        with self._lock:
            found = self._db.execute(sql, (OPEN, CLOSE, match, limit)).fetchall()
        return [Hit(iri, kind, label, snippet, score) for iri, kind, label, snippet, score in found]


def to_match(text: str) -> str:
    """An FTS5 query from what a person typed: every word must occur, each as a prefix; operators are words."""
    return " ".join(f'"{w}"*' for w in _WORD.findall(text)[:16])


def to_search_index(store: Store) -> SearchIndex:
    """The index of every IRI-named resource with a label or text in the store (all graphs), but a record that
    restates another (`prov:alternateOf`, as the papers' projects restate the knowledge base): that one is found."""
    restating = {q.subject for q in store.quads_for_pattern(None, PROV.alternateOf, None, None)}
    texts: dict[str, tuple[list[str], list[str], list[str]]] = {}
    for column, predicates in enumerate((LABELS, NAMES, BODY)):
        for predicate in predicates:
            for quad in store.quads_for_pattern(None, predicate, None, None):
                if isinstance(quad.subject, NamedNode) and isinstance(quad.object, Literal) \
                        and quad.subject not in restating:
                    texts.setdefault(quad.subject.value, ([], [], []))[column].append(quad.object.value)
    kinds = _kind_labels(store)
    index = SearchIndex()
    rows = []
    for iri, (labels, names, body) in texts.items():
        label = labels[0] if labels else (names[0] if names else _short(iri))
        rows.append((iri, _kind(store, iri, kinds), " ".join(dict.fromkeys(labels)) or label,
                     " ".join(dict.fromkeys(names)), " ".join(dict.fromkeys(body))))
        if len(rows) >= 10_000:
            index.add(rows)
            rows = []
    index.add(rows)
    return index


def _kind_labels(store: Store) -> dict[NamedNode, str]:
    """Class IRI -> its label, for the classes of the imri ontology and a few well-known ones."""
    kinds = {SKOS.ConceptScheme: "concept scheme", SKOS.Concept: "concept", CITO.Citation: "citation"}
    for quad in store.quads_for_pattern(None, RDFS.label, None, None):
        if isinstance(quad.subject, NamedNode) and quad.subject.value.startswith(PREFIXES["imri"]):
            kinds.setdefault(quad.subject, quad.object.value)
    return kinds


def _kind(store: Store, iri: str, kinds: dict[NamedNode, str]) -> str:
    types = [q.object for q in store.quads_for_pattern(NamedNode(iri), RDF.type, None, None)]
    for preferred in _KIND_ORDER:
        if preferred in types:
            return kinds.get(preferred, "record")
    named = sorted(kinds[t] for t in types if t in kinds and t.value.startswith(PREFIXES["imri"]))
    if named:
        return named[0]
    other = sorted(kinds[t] for t in types if t in kinds)
    return other[0] if other else "other record"


def _short(iri: str) -> str:
    return re.split(r"[/#]", iri.rstrip("/#"))[-1]


__all__ = ["CLOSE", "OPEN", "Hit", "SearchIndex", "to_match", "to_search_index"]
