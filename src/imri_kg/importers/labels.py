"""Vocabularies of the store as people write them: labels -> IRIs per kind, and near-miss suggestions."""

import difflib
import unicodedata
from dataclasses import dataclass, field

from pyoxigraph import Store

from imri_kg.namespaces import IMRI
from imri_kg.projects.lookup import label_key
from imri_kg.questions import rows, run

# kind -> (class, the `imri-kg list` view that shows its members, or None)
KINDS = {
    "theme": (IMRI.Theme, "themes"),
    "impact": (IMRI.Impact, "impacts"),
    "innovation group": (IMRI.InnovationGroup, "groups"),
    "stakeholder group": (IMRI.StakeholderGroup, None),
    "site": (IMRI.Site, "sites"),
}

LABELS = """SELECT ?class ?c ?p ?l WHERE { ?c a ?class ; ?p ?l . VALUES ?p { skos:prefLabel skos:altLabel rdfs:label } }"""
CITATIONS = """SELECT ?study ?n ?c WHERE { ?c a imri:Citation ; imri:referenceNumber ?n ; cito:hasCitingEntity ?study }"""
DOIS = """SELECT ?study ?doi (EXISTS { ?study a/rdfs:subClassOf* imri:Study } AS ?isStudy)
WHERE { ?study bibo:doi ?doi }"""


@dataclass
class Vocabulary:
    """The members of one kind: every label key (prefLabel, altLabel, rdfs:label) -> IRI, and each IRI's name."""

    kind: str
    listing: str | None
    iris: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    def find(self, text: str) -> str | None:
        return self.iris.get(label_key(text))

    def suggest(self, text: str, *, n: int = 3) -> list[str]:
        """The preferred labels of the closest known labels (difflib), best first, without repeats."""
        folded = {_fold(key): key for key in self.iris}
        close = difflib.get_close_matches(_fold(label_key(text)), list(folded), n=n * 2, cutoff=0.6)
        names = [self.names[self.iris[folded[key]]] for key in close]
        return list(dict.fromkeys(names))[:n]

    def unknown(self, text: str) -> str:
        """The reviewer-facing message for a label that is not known."""
        message = f'"{text}" is not a known {self.kind}'
        hints = self.suggest(text)
        if hints:
            message += "; did you mean " + " or ".join(f'"{h}"' for h in hints) + "?"
        else:
            message += "."
        if self.listing:
            message += f" Known {self.kind}s: imri-kg list {self.listing}"
        return message


def _fold(key: str) -> str:
    """A label key without accents, so that "Quebec" finds "Québec" among the suggestions."""
    return "".join(c for c in unicodedata.normalize("NFKD", key) if not unicodedata.combining(c))


@dataclass
class Vocabularies:
    kinds: dict[str, Vocabulary]
    citations: dict[tuple[str, int], str]  # (citing study IRI, reference number) -> citation IRI
    dois: dict[str, str]  # normalised DOI -> study IRI


def normalise_doi(text: str) -> str:
    text = text.strip().lower()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:"):
        text = text.removeprefix(prefix)
    return text.strip()


def to_vocabularies(store: Store) -> Vocabularies:
    """Every kind's labels, the review's and the IMRI paper's citation numbers and the papers' DOIs."""
    kinds: dict[str, Vocabulary] = {}
    for kind, (cls, listing) in KINDS.items():
        vocab = Vocabulary(kind, listing)
        preferred: dict[str, str] = {}
        for r in rows(run(store, LABELS, bindings={"class": cls})):
            vocab.iris.setdefault(label_key(r["l"]), r["c"])
            if r["p"].endswith("prefLabel") or r["c"] not in preferred:
                preferred[r["c"]] = r["l"]
        vocab.names = preferred
        kinds[kind] = vocab
    citations = {(r["study"], int(r["n"])): r["c"] for r in rows(run(store, CITATIONS))}
    # A DOI that several records carry (a paper in the knowledge base and in a review project's own data) is the
    # same one whatever the store's order: a study first, then the shortest IRI, then the first IRI.
    dois: dict[str, str] = {}
    for r in sorted(rows(run(store, DOIS)), key=lambda r: (r["isStudy"] != "true", len(r["study"]), r["study"])):
        dois.setdefault(normalise_doi(r["doi"]), r["study"])
    return Vocabularies(kinds, citations, dois)
