"""Full-text search over the store: labels, definitions, excerpts and references in a Tantivy index.

`to_search_index(store)` reads the text-bearing triples once (one document per resource) into an in-memory Tantivy
index (a maintained Rust search library: it scores matches in compiled code and keeps the best in a top-k
collector, so that common words answer within 100 ms at 1M triples, where SQLite FTS5 took 120-180 ms; bench/README.md); `SearchIndex.read_hits(text)` answers a query ranked
by BM25, labels weighing most. Words are folded (case, accents) here, in Python, and the index holds those folded
words, so that a word typed matches every indexed word it starts. The index is a copy of the store's text: build a
new one when the data change (the server keys it by the data version).
"""

import bisect
import re
import threading
import unicodedata
from dataclasses import dataclass

import tantivy
from pyoxigraph import Literal, NamedNode, Store

from imri_kg.namespaces import CITO, DCTERMS, IMRI, PREFIXES, PROV, RDF, RDFS, SKOS

# Where each predicate's text goes: the label field weighs most, then other names, then the body.
LABELS = (SKOS.prefLabel, RDFS.label)
NAMES = (SKOS.altLabel, SKOS.notation, IMRI.citationKey)
BODY = (SKOS.definition, IMRI.text, DCTERMS.title, DCTERMS.bibliographicCitation, SKOS.note, SKOS.scopeNote,
        DCTERMS.creator, DCTERMS.description, RDFS.comment, IMRI.asPrinted)
FIELDS = ("label", "names", "body")
WEIGHTS = (10.0, 5.0, 1.0)  # BM25 boosts of label, names, body
MAX_WORDS = 16
SNIPPET_WORDS = 24
_KIND_ORDER = [IMRI.CodedExcerpt, IMRI.Quote, IMRI.Example, IMRI.Theme, IMRI.InnovationGroup, IMRI.Impact,
               IMRI.Code, IMRI.Case, IMRI.Study, IMRI.Review, IMRI.PrimaryStudy, IMRI.CFIRConstruct]
_WORD = re.compile(r"[^\W_]+", re.UNICODE)  # letters and digits, as SQLite's unicode61 tokenizer split them
OPEN, CLOSE = "\x02", "\x03"  # around a matched word in a snippet (the page turns them into <mark>)


@dataclass(frozen=True)
class Hit:
    iri: str
    kind: str
    label: str
    snippet: str  # plain text; matched words between OPEN and CLOSE
    score: float  # BM25, negated: lower is better


def fold(word: str) -> str:
    """A word as the index holds it: accents removed, case folded."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c)).casefold()


def to_words(text: str) -> list[str]:
    """The folded words of `text`; punctuation and operators are separators or plain words."""
    return [fold(w) for w in _WORD.findall(text)]


def to_clauses(text: str) -> list[list[str]]:
    """The folded words of `text` as clauses that must all occur, each met by any one of its words: `OR` in
    capitals between two words joins them into one clause ("staff peer OR worker" -> [["staff"], ["peer",
    "worker"]]); an OR with no word on one side, or "or" in small letters, is a plain word. At most MAX_WORDS
    words; repeated clauses once."""
    tokens = _WORD.findall(text)
    clauses: list[list[str]] = []
    joining = False
    for i, token in enumerate(tokens):
        if token == "OR" and clauses and i + 1 < len(tokens) and tokens[i + 1] != "OR" and not joining:
            joining = True
            continue
        if joining:
            clauses[-1].append(fold(token))
        else:
            clauses.append([fold(token)])
        joining = False
    out, taken = [], 0
    for clause in dict.fromkeys(tuple(dict.fromkeys(c)) for c in clauses):
        clause = list(clause)[:MAX_WORDS - taken]
        if not clause:
            break
        out.append(clause)
        taken += len(clause)
    return out


class SearchIndex:
    """A Tantivy index of the store's text, one document per resource; safe to query from several threads."""

    def __init__(self) -> None:
        builder = tantivy.SchemaBuilder()
        for name in FIELDS:  # words folded here; whitespace splits them as they were joined
            builder.add_text_field(name, tokenizer_name="whitespace", index_option="position")
        builder.add_unsigned_field("n", stored=True)
        self._schema = builder.build()
        self._index = tantivy.Index(self._schema)
        self._writer = self._index.writer(heap_size=200_000_000, num_threads=1)  # one segment: doc ids in order
        self._records: list[tuple[str, str, str, str]] = []  # n -> (iri, kind, label, body as written)
        self._vocabulary: set[str] = set()
        self._words: list[str] = []  # sorted, for prefix look-ups
        self._searcher = None
        self._lock = threading.Lock()
        self.size = 0

    def add(self, rows: list[tuple[str, str, str, str, str]]) -> None:
        """Append rows (iri, kind, label, names, body); rows come in IRI order, across calls too (ties of rank
        go by that order)."""
        with self._lock:
            for iri, kind, label, names, body in rows:
                texts = {f: to_words(t) for f, t in zip(FIELDS, (label, names, body), strict=True)}
                for words in texts.values():
                    self._vocabulary.update(words)
                self._writer.add_document(tantivy.Document(n=len(self._records),
                                                           **{f: " ".join(w) for f, w in texts.items()}))
                self._records.append((iri, kind, label, body))
            self.size += len(rows)
            self._searcher = None

    def commit(self) -> None:
        """Make what was added searchable (read_hits does it too, on first use after an add)."""
        with self._lock:
            self._ready()

    def _ready(self):
        if self._searcher is None:
            self._writer.commit()
            self._writer.wait_merging_threads()
            self._writer = self._index.writer(heap_size=15_000_000, num_threads=1)
            self._index.reload()
            self._words = sorted(self._vocabulary)
            self._searcher = self._index.searcher()
        return self._searcher

    def read_hits(self, text: str, *, limit: int = 50) -> list[Hit]:
        """The resources holding every word of `text` (each as the start of a word), where words joined by OR
        (in capitals) need only one of them, best first; [] for no words (see to_clauses)."""
        clauses = to_clauses(text)
        words = list(dict.fromkeys(w for clause in clauses for w in clause))
        if not words:
            return []
        with self._lock:
            searcher = self._ready()
            must = []
            for clause in clauses:
                starts = [term for word in clause for term in self._starting(word)]
                if not starts:
                    return []
                must.append((tantivy.Occur.Must, tantivy.Query.boolean_query([
                    (tantivy.Occur.Should, tantivy.Query.boost_query(
                        tantivy.Query.term_query(self._schema, field, term), weight))
                    for term in dict.fromkeys(starts) for field, weight in zip(FIELDS, WEIGHTS, strict=True)])))
            found = searcher.search(tantivy.Query.boolean_query(must), limit).hits
            numbered = sorted((-score, searcher.doc(address)["n"][0]) for score, address in found)
        hits = []
        for score, n in numbered:
            iri, kind, label, body = self._records[n]
            hits.append(Hit(iri, kind, label, to_snippet(body, words), score))
        return hits

    def _starting(self, word: str) -> list[str]:
        """Every indexed word that starts with `word`."""
        at = bisect.bisect_left(self._words, word)
        end = at
        while end < len(self._words) and self._words[end].startswith(word):
            end += 1
        return self._words[at:end]


def to_snippet(body: str, words: list[str]) -> str:
    """At most SNIPPET_WORDS words of `body` around the most query words, matched words between OPEN and CLOSE,
    "…" where the text goes on."""
    tokens = list(_WORD.finditer(body))
    matched = [i for i, t in enumerate(tokens) if any(fold(t.group()).startswith(w) for w in words)]
    if not matched:
        return body[:200]

    def covered(start: int) -> int:
        return len({w for i in matched if start <= i < start + SNIPPET_WORDS
                    for w in words if fold(tokens[i].group()).startswith(w)})
    start = max((max(0, i - 2) for i in matched), key=lambda s: (covered(s), -s))
    end = min(len(tokens), start + SNIPPET_WORDS)
    out, at = [], tokens[start].start()
    for i in (i for i in matched if start <= i < end):
        out += [body[at:tokens[i].start()], OPEN, tokens[i].group(), CLOSE]
        at = tokens[i].end()
    out.append(body[at:] if end == len(tokens) else body[at:tokens[end - 1].end()])
    return ("…" if start > 0 else "") + "".join(out) + ("…" if end < len(tokens) else "")


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
    for iri, (labels, names, body) in sorted(texts.items()):
        label = labels[0] if labels else (names[0] if names else _short(iri))
        rows.append((iri, _kind(store, iri, kinds), " ".join(dict.fromkeys(labels)) or label,
                     " ".join(dict.fromkeys(names)), " ".join(dict.fromkeys(body))))
        if len(rows) >= 10_000:
            index.add(rows)
            rows = []
    index.add(rows)
    index.commit()
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


__all__ = ["CLOSE", "OPEN", "Hit", "SearchIndex", "fold", "to_search_index", "to_snippet", "to_words"]
