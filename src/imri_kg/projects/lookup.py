"""Finding a code, case or study as people write it (id, preferred or alternative label), with near-miss hints; how
labels are compared (`label_key`) and turned into IRI segments (`slugify`)."""

import re
import unicodedata
from dataclasses import dataclass, field

from imri_kg.projects.problems import suggest


def label_key(label: str) -> str:
    """How labels are compared: case, dashes, punctuation spacing and runs of spaces do not matter."""
    text = unicodedata.normalize("NFKC", label).casefold()
    text = re.sub(r"[\u2010-\u2015-]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def slugify(label: str) -> str:
    """A label as an IRI segment: lower-case letters, digits and single hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", label_key(label).replace("&", "and")).strip("-")

ID = re.compile(r"[A-Za-z0-9._~-]+")  # IRI-safe (RFC 3987 unreserved), so an id is its IRI's last segment


@dataclass
class Lookup:
    """Ids and labels of one kind of record -> id."""

    kind: str  # "code", "case of dimension site", ...
    ids: dict[str, str] = field(default_factory=dict)  # casefolded id -> id
    labels: dict[str, str] = field(default_factory=dict)  # label key -> id
    names: dict[str, str] = field(default_factory=dict)  # id -> preferred label
    shared: dict[str, list[str]] = field(default_factory=dict)  # label key of several records -> their ids

    def add(self, id_: str, label: str, alt_labels: list[str] = ()) -> None:  # type: ignore[assignment]
        self.ids.setdefault(id_.casefold(), id_)
        self.names.setdefault(id_, label)
        for text in (label, *alt_labels):
            key = label_key(text)
            first = self.labels.setdefault(key, id_)
            if first != id_ and id_ not in self.shared.setdefault(key, [first]):
                self.shared[key].append(id_)

    def find(self, text: str) -> str | None:
        """The id that `text` names: an id, else a label of exactly one record (a shared label names none)."""
        found = self.ids.get(text.strip().casefold())
        if found is None and label_key(text) not in self.shared:
            found = self.labels.get(label_key(text))
        return found

    def unknown(self, text: str) -> str:
        if label_key(text) in self.shared and text.strip().casefold() not in self.ids:
            ids = ", ".join(sorted(self.shared[label_key(text)]))
            word, _, rest = self.kind.partition(" ")  # "case of dimension site": "cases of dimension site"
            return f'"{text}" is a label of several {word}s{" " * bool(rest)}{rest} ({ids}); write the id of the one meant.'
        known = {k: self.names.get(v, v) for k, v in self.labels.items()}
        known.update({k: self.names.get(v, v) for k, v in self.ids.items()})
        hint = suggest(label_key(text), known)
        return f'"{text}" is not a known {self.kind}.' + (hint or f" Known: {self.listing()}.")

    def listing(self, n: int = 8) -> str:
        ids = sorted(self.names)
        return ", ".join(ids[:n]) + (f" and {len(ids) - n} more" if len(ids) > n else "") if ids else "none"
