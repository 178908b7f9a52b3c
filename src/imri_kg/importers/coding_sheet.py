"""Coding sheets: reviewers' rows of coded evidence -> a graph of imri:Example/imri:Quote records with PROV.

One row is one example or quote. Labels are read as people write them (preferred or alternative labels, any
case, spaces tidied). A label, study or date that cannot be resolved is kept as a plain literal in the graph,
so that the SHACL shapes report it, located by row and column, next to every other problem of the sheet.
"""

import datetime as dt
import hashlib
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Store, parse

from imri_kg.errors import InputError
from imri_kg.importers.labels import Vocabularies, normalise_doi, to_vocabularies
from imri_kg.importers.rows import Row
from imri_kg.importers.sheets import sheet_rows
from imri_kg.namespaces import DCTERMS, IMRI, PROV, RDF, RDFS, SKOS, XSD
from imri_kg.projects.lookup import slugify
from imri_kg.scratch import Folder
from imri_kg.store import DEFAULT_BASE
from imri_kg.validation.slices import Sliced

REVIEW = "piat2021"

# Column -> what to write in it. The order is the template's.
COLUMNS = {
    "study": "Reference number that the review cites (e.g. 85), or the DOI of a source paper "
             "(10.1186/s13643-021-01646-0 for the review, 10.1186/s13033-022-00559-2 for the IMRI study).",
    "kind": "example (default) or quote.",
    "theme": "Implementation theme, by label (imri-kg list themes). Give a theme or an impact.",
    "impact": "IMRI impact, by label (imri-kg list impacts). Give a theme or an impact.",
    "innovation_group": "Innovation group, by label (imri-kg list groups); several separated by ';'.",
    "stakeholder_group": "Optional. Stakeholder group, by label (e.g. Service providers).",
    "site": "Optional. Site of the IMRI study, by label (imri-kg list sites).",
    "text": "The example or quote, word for word.",
    "language": "Language tag of the text and notes (default en).",
    "coder": "Who coded the row.",
    "date": "Date of coding, ISO (YYYY-MM-DD).",
    "notes": "Optional. The coder's notes.",
}
REQUIRED = ("study", "theme", "impact", "innovation_group", "text", "coder", "date")
OPTIONAL = tuple(c for c in COLUMNS if c not in REQUIRED)  # read when the header names them ("Site" gets a hint)
KINDS = {"example": IMRI.Example, "quote": IMRI.Quote}

# Where a SHACL result path points back to in the sheet.
PATH_COLUMNS = {
    IMRI.theme.value: "theme", IMRI.impact.value: "impact", IMRI.innovationGroup.value: "innovation_group",
    IMRI.stakeholderGroup.value: "stakeholder_group", IMRI.site.value: "site", IMRI.citation.value: "study",
    PROV.wasDerivedFrom.value: "study", IMRI.text.value: "text", PROV.wasAttributedTo.value: "coder",
    DCTERMS.date.value: "date", RDF.type.value: "kind", SKOS.note.value: "notes",
}
_TAGGED = re.compile(r'"@[A-Za-z0-9-]+$')  # a literal in N-Triples with a language tag
# Node-level shapes (no result path) -> the column they are about.
SHAPE_COLUMNS = {"CodedEvidenceShape": "theme", "EvidenceInnovationShape": "innovation_group",
                 "ExampleShape": "study", "EvidenceGroupStudyShape": "study", "ImportedEvidenceShape": "kind"}
# Result path -> kind of label, for near-miss suggestions.
PATH_KINDS = {IMRI.theme.value: "theme", IMRI.impact.value: "impact", IMRI.innovationGroup.value: "innovation group",
              IMRI.stakeholderGroup.value: "stakeholder group", IMRI.site.value: "site"}


SLICE_ROWS = 50_000  # rows per slice file (validation/slices.py checks slices two at a time)
# Stands for the sheet's digest in the lines written before it is known (every row's IRIs hold it); a control
# character, which the N-Triples of a literal always escapes, so no cell can hold it.
TOKEN = "\x01sheet\x01"


class RowNumbers(Mapping):
    """Evidence IRI -> sheet row, for every row (the IRI ends with the row's number: only the numbers are kept)."""

    def __init__(self, prefix: str, numbers: array) -> None:
        self.prefix, self.numbers = prefix, numbers

    def __getitem__(self, iri: str) -> int:
        tail = iri.removeprefix(self.prefix) if iri.startswith(self.prefix) else ""
        if tail.isascii() and tail.isdigit():
            number = int(tail)
            i = bisect_left(self.numbers, number)
            if i < len(self.numbers) and self.numbers[i] == number:
                return number
        raise KeyError(iri)

    def __iter__(self) -> Iterator[str]:
        return (f"{self.prefix}{n}" for n in self.numbers)

    def __len__(self) -> int:
        return len(self.numbers)


@dataclass
class CodingSheet:
    """A sheet read into N-Triples (temporary files) for its own named graph `graph`, with each record's row for
    locating problems. The triples are written as text, not built as Python objects: 100,000 rows are 1.5 million
    triples. The records are in slices of rows (validation/slices.py), next to what the rows share."""

    path: Path
    digest: str
    graph: NamedNode
    activity: NamedNode
    records: Sliced  # N-Triples files of the sheet's records (what is validated)
    inferred: Path  # N-Triples file of what the reasoner infers from them (written on import; validated with the
    # records when the shapes read its predicates: records.inferred)
    added: int  # distinct triples in `records` and `inferred` together
    rows: Mapping[str, int] = field(default_factory=dict)  # evidence IRI -> sheet row
    vocabularies: Vocabularies | None = None
    skipped: int = 0  # example and comment rows (first cell starting with #), not read
    _folder: Folder | None = field(default=None, repr=False)  # removed with the sheet
    _quads: list[Quad] | None = field(default=None, repr=False)
    _inferred: list[Quad] | None = field(default=None, repr=False)

    def __getstate__(self) -> dict:
        """Pickled (the web upload's checker process sends it back), the sheet carries its quads, not its files."""
        state = dict(self.__dict__)
        state.update(_quads=self.quads, _inferred=self.inferred_quads, _folder=None)
        return state

    @property
    def quads(self) -> list[Quad]:
        """The records as Oxigraph quads in `graph` (parsed on first use; validation and import read the files)."""
        if self._quads is None:
            self._quads = [Quad(q.subject, q.predicate, q.object, self.graph) for part in self.records.files
                           for q in parse(path=str(part), format=RdfFormat.N_TRIPLES)]
        return self._quads

    @property
    def inferred_quads(self) -> list[Quad]:
        """What the reasoner infers from the records, as quads in `graph` (parsed on first use)."""
        if self._inferred is None:
            self._inferred = [Quad(q.subject, q.predicate, q.object, self.graph)
                              for q in parse(path=str(self.inferred), format=RdfFormat.N_TRIPLES)]
        return self._inferred

    @property
    def evidence(self) -> list[NamedNode]:
        return [NamedNode(iri) for iri in self.rows]

    def locate(self, focus: str, path: str | None, shape: str,
               value_nt: str | None = None) -> tuple[int, str] | None:
        """The (row, column) a SHACL result points to, when its focus node came from this sheet. `value_nt`: the
        result's value in N-Triples; a text without a language tag is the language cell's (see `_language`)."""
        if focus not in self.rows:
            return None
        column = PATH_COLUMNS.get(path or "") or SHAPE_COLUMNS.get(shape.rsplit("#", 1)[-1], "")
        if column == "text" and value_nt and value_nt.startswith('"') and not _TAGGED.search(value_nt):
            column = "language"
        return self.rows[focus], column


PROGRESS_ROWS = 10_000  # rows read between two progress calls


def read_coding_sheet(path: Path, *, store: Store, base: str = DEFAULT_BASE, slice_rows: int = SLICE_ROWS,
                      progress: Callable[[str, int], None] | None = None) -> CodingSheet:
    """The sheet at `path` as a graph; labels, citation numbers and DOIs are resolved against `store`.
    `progress("reading", rows)` is called every PROGRESS_ROWS rows read.

    The rows are read one at a time and written as N-Triples into files of `slice_rows` rows each. A sheet with a
    header and no rows is an input error (row 2): there is nothing to check or import.
    """
    path = Path(path)
    version = _version(path) if _shared_read(path) else None  # the file this process reads (Helper compares it)
    rows = sheet_rows(path, required=REQUIRED, optional=OPTIONAL)
    first = next(rows, None)
    if first is None:
        raise InputError("has a header but no rows; add one row per example or quote (a row whose first cell "
                         "starts with # is a comment, as the template's example row is).", path=path, row=2)
    base = base if base.endswith("/") else base + "/"
    NamedNode(base)  # a base that is not an IRI fails here, before any text is written
    folder = Folder("imri-sheet-")
    where = Path(folder.name)
    shared, inferred = where / "shared.nt", where / "inferred.nt"
    digest, numbers = _Digest(), array("q")
    activity, source = f"<{base}import/{TOKEN}>", f"<{base}import/{TOKEN}/sheet>"
    vocab = to_vocabularies(store)
    # A big CSV sheet: a second process builds two slices of every three while this one reads every row for the
    # digest and the row numbers (read_worker.py); one core is idle otherwise.
    helper = Helper(path, base, vocab, slice_rows, where, version) if version is not None else None
    try:
        with shared.open("w", encoding="utf-8") as common, inferred.open("w", encoding="utf-8") as more:
            sheet = _Builder(base, vocab, common, more, share=helper is None)

            def each(row: Row) -> None:
                digest.add(row)
                numbers.append(row.number)
                if progress is not None and len(numbers) % PROGRESS_ROWS == 0:
                    progress("reading", len(numbers))

            slices = build_slices(chain([first], rows), sheet, where, slice_rows, activity, source,
                                  mine=None if helper is None else Helper.mine, each=each)
            if helper is not None:
                helper.merge(sheet, len(numbers))
            sheet.out = common
            digest_text = digest.hexdigest()
            sheet.lines += [(activity, TYPE, f"<{PROV.Activity.value}>"),
                            (activity, LABEL, _text(f"Import of coding sheet {path.name}", "en")),
                            (activity, f"<{PROV.used.value}>", source), (source, TYPE, f"<{PROV.Entity.value}>"),
                            (source, LABEL, _text(f"Coding sheet {path.name}", "en")),
                            (source, f"<{DCTERMS.identifier.value}>", _text(f"sha256:{digest_text}"))]
            sheet.flush()
            sheet.drain()
        short = digest_text[:16]
        if helper is not None:
            helper.fill(short)  # its slices, while this process fills the others
        for i, part in enumerate((shared, inferred, *slices)):
            if helper is None or i < 2 or Helper.mine(i - 2):
                _fill(part, short)
        if helper is not None:
            helper.done(inferred)
    except BaseException:
        if helper is not None:
            helper.stop()
        folder.cleanup()
        raise
    graph = NamedNode(f"{base}graph/import/{short}")
    # The rows' and the import's own IRIs: the store holds them when this sheet was imported before.
    records = Sliced(shared, slices, sheet.reached, own=(f"{base}evidence/coded/{short}/", f"{base}import/{short}"),
                     inferred=(inferred, frozenset({IMRI.hasEvidence.value, IMRI.spansGroup.value})), graph=graph.value)
    return CodingSheet(path, digest_text, graph, NamedNode(activity[1:-1].replace(TOKEN, short)), records,
                       inferred, sheet.written, RowNumbers(f"{base}evidence/coded/{short}/", numbers),
                       vocabularies=sheet.vocab, skipped=rows.skipped, _folder=folder)


def build_slices(rows: Iterable[Row], sheet: "_Builder", where: Path, slice_rows: int, activity: str, source: str,
                 *, mine: Callable[[int], bool] | None = None, each: Callable[[Row], None] | None = None) -> list[Path]:
    """Write the rows' lines into files of `slice_rows` rows each (where/slice-I.nt); only the slices I for which
    `mine(I)` holds when given (the others are another process's). `each` is called with every row. Returns every
    slice's path, built here or not."""
    slices: list[Path] = []
    out = None
    count = 0
    try:
        for row in rows:
            if count % slice_rows == 0:
                if out is not None:
                    sheet.drain()
                    out.close()
                    out = None
                slices.append(where / f"slice-{len(slices)}.nt")
                if mine is None or mine(len(slices) - 1):
                    out = sheet.out = slices[-1].open("w", encoding="utf-8")
            if each is not None:
                each(row)
            if out is not None:
                sheet.row(row, f"{sheet.base}evidence/coded/{TOKEN}/{row.number}", activity, source)
            count += 1
        if out is not None:
            sheet.drain()
    finally:
        if out is not None:
            out.close()
    return slices


# A CSV sheet of this many bytes or more (about 40,000 rows) is read by two processes (`Helper`).
SHARED_READ_BYTES = 16 << 20
READ_WORKER = Path(__file__).with_name("read_worker.py")


def _shared_read(path: Path) -> bool:
    return path.suffix.lower() == ".csv" and path.stat().st_size >= SHARED_READ_BYTES


def _version(path: Path) -> tuple[int, int, int, int]:
    """Which file, of what size, last written when: another value means the sheet was saved again."""
    st = os.stat(path)
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


class Helper:
    """The second process of a big CSV sheet's read (read_worker.py, run by path, as validation's workers are).

    Both read every row (the csv module: a tenth of the read's time); this process computes the digest and keeps
    the row numbers, and builds the slices that `mine` gives it (one in three), the other process the rest; then
    the coders' and theme-group lines are written once (`_Builder.write_shared`), and each fills the digest into
    its own files. The same files, line for line but in another order, as one process writes."""

    @staticmethod
    def mine(i: int) -> bool:
        """Whether slice `i` is built by the process that computes the digest (it has more to do per row)."""
        return i % 3 == 0

    def __init__(self, path: Path, base: str, vocab: Vocabularies, slice_rows: int, where: Path,
                 version: tuple[int, int, int, int]) -> None:
        self.where, self.path, self.version = where, path, version
        args = where / "read-args.pickle"
        args.write_bytes(pickle.dumps((str(path), base, vocab, slice_rows, str(where))))
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        # Its stderr, in a file: a pipe that nobody reads could fill and stop it. Closed by `stop` or `done`.
        self.said = tempfile.TemporaryFile()  # noqa: SIM115
        self.process = subprocess.Popen([sys.executable, str(READ_WORKER), str(args), str(os.getpid())],
                                        stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=self.said, env=env)

    def _answer(self) -> tuple:
        try:
            answer = pickle.load(self.process.stdout)
        except (EOFError, pickle.UnpicklingError):
            answer = ("error", "")
        if answer[0] == "error":
            self.process.wait()  # it has stopped answering: what it said is whole
            self.said.seek(0)
            said = answer[1] or self.said.read().decode(errors="replace").strip()[-500:]
            self.stop()
            raise ChildProcessError(f"reading the sheet failed in its second process: {said}")
        return answer

    def merge(self, sheet: "_Builder", count: int) -> None:
        """Take the other process's coders, theme-group pairs and store nodes named, once it has built its slices."""
        _, rows, reached, agents, spans, written, theirs = self._answer()
        if rows != count or theirs != self.version or _version(self.path) != self.version:
            self.stop()
            raise InputError("was saved again while it was read (two processes read it, and found different "
                             "files); import it again once it is saved.", path=self.path)
        sheet.reached |= reached
        sheet.written += written
        sheet.write_shared(agents, spans)

    def fill(self, short: str) -> None:
        pickle.dump(("fill", short), self.process.stdin)
        self.process.stdin.flush()

    def done(self, inferred: Path) -> None:
        """Wait for its files, and add its inferred lines to `inferred`."""
        self._answer()
        self.process.stdin.close()
        self.process.wait()
        self.said.close()
        (self.where / "read-args.pickle").unlink()
        theirs = self.where / "inferred-1.nt"
        with theirs.open("rb") as f, inferred.open("ab") as out:
            shutil.copyfileobj(f, out, 1 << 20)
        theirs.unlink()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.said.close()


def help_read(args: Path, answers, orders) -> None:
    """The second process's part (read_worker.py): build the slices that `Helper.mine` does not give the first
    one, answer with what `Helper.merge` takes, then fill in the digest when told it."""
    path, base, vocab, slice_rows, where = pickle.loads(Path(args).read_bytes())
    path, where = Path(path), Path(where)
    base = base if base.endswith("/") else base + "/"
    activity, source = f"<{base}import/{TOKEN}>", f"<{base}import/{TOKEN}/sheet>"
    count = 0

    def each(row: Row) -> None:
        nonlocal count
        count += 1

    version = _version(path)  # the file this process reads: `Helper.merge` compares it with the first's
    with (where / "inferred-1.nt").open("w", encoding="utf-8") as more:
        sheet = _Builder(base, vocab, None, more, share=False)
        slices = build_slices(sheet_rows(path, required=REQUIRED, optional=OPTIONAL), sheet, where, slice_rows, activity, source,
                              mine=lambda i: not Helper.mine(i), each=each)
    pickle.dump(("built", count, sheet.reached, sheet.agents, list(sheet.spans), sheet.written, version), answers)
    answers.flush()
    _, short = pickle.load(orders)
    for i, part in enumerate(slices):
        if not Helper.mine(i):
            _fill(part, short)
    _fill(where / "inferred-1.nt", short)
    pickle.dump(("filled",), answers)
    answers.flush()


def _fill(path: Path, short: str) -> None:
    """Write the digest where the lines hold TOKEN (4 MB at a time, cut after a line's end: a token is never cut)."""
    token, done, rest = TOKEN.encode(), path.with_suffix(".tmp"), b""
    with path.open("rb") as f, done.open("wb") as out:
        while block := f.read(1 << 22):
            block = rest + block
            cut = block.rfind(b"\n") + 1
            out.write(block[:cut].replace(token, short.encode()))
            rest = block[cut:]
        out.write(rest.replace(token, short.encode()))
    done.replace(path)


class _Digest:
    """The hash of the cells, not of the bytes: the same sheet saved as CSV or XLSX is the same import.

    It is the SHA-256 of json.dumps([[number, sorted (column, value) pairs], ...]), fed one row at a time (the
    same bytes: json.dumps separates list items by ", "), so that a million rows are not held twice.
    """

    def __init__(self) -> None:
        self.hash, self.first = hashlib.sha256(b"["), True

    def add(self, r: Row) -> None:
        item = [r.number, sorted((k, v.strip()) for k, v in r.values.items() if v.strip())]
        self.hash.update((b"" if self.first else b", ") + _JSON.encode(item).encode())
        self.first = False

    def hexdigest(self) -> str:
        done = self.hash.copy()
        done.update(b"]")
        return done.hexdigest()


_JSON = json.JSONEncoder(ensure_ascii=False)  # what json.dumps(..., ensure_ascii=False) makes on every call


TYPE, LABEL = f"<{RDF.type.value}>", f"<{RDFS.label.value}>"
_P = {name: f"<{term.value}>" for name, term in (
    ("theme", IMRI.theme), ("impact", IMRI.impact), ("stakeholder_group", IMRI.stakeholderGroup),
    ("site", IMRI.site), ("innovation_group", IMRI.innovationGroup), ("citation", IMRI.citation),
    ("derived", PROV.wasDerivedFrom), ("text", IMRI.text), ("note", SKOS.note), ("agent", PROV.Agent),
    ("attributed", PROV.wasAttributedTo), ("date", DCTERMS.date), ("entity", PROV.Entity), ("order", IMRI.order),
    ("part", DCTERMS.isPartOf), ("generated", PROV.wasGeneratedBy), ("evidence", IMRI.hasEvidence),
    ("spans", IMRI.spansGroup))}
_KINDS = {k: f"<{v.value}>" for k, v in KINDS.items()}
_CODED = f"<{IMRI.CodedEvidence.value}>"
# N-Triples string escapes (RDF 1.1 N-Triples, ECHAR and UCHAR) for every character that needs one.
_ESCAPES = {**{c: f"\\u{c:04X}" for c in [*range(0x20), 0x7F]}, 0x22: '\\"', 0x5C: "\\\\", 0x0A: "\\n",
            0x0D: "\\r", 0x09: "\\t", 0x08: "\\b", 0x0C: "\\f"}


def _text(value: str, language: str | None = None, datatype: str | None = None) -> str:
    """A literal in N-Triples."""
    # isprintable() is False for every character _ESCAPES holds but the quote and the backslash (and for some that
    # need no escape, which translate() then leaves alone).
    plain = value.isprintable() and '"' not in value and "\\" not in value
    quoted = f'"{value}"' if plain else f'"{value.translate(_ESCAPES)}"'
    if language:
        return f"{quoted}@{language}"
    return f"{quoted}^^<{datatype}>" if datatype else quoted


_LANGUAGES: dict[str, str | None] = {}


def _language(tag: str) -> str | None:
    """The tag as Oxigraph keeps it (lower case), or None when it is not BCP 47 (the text is then kept untagged,
    so that the shapes report it)."""
    if tag not in _LANGUAGES:
        try:
            _LANGUAGES[tag] = Literal("", language=tag).language
        except ValueError:
            _LANGUAGES[tag] = None
    return _LANGUAGES[tag]


class _Builder:
    """Writes each row's triples as N-Triples lines: duplicates within a row and repeated coders and theme-group
    pairs are written once, so that the number of lines is the number of distinct triples."""

    def __init__(self, base: str, vocab: Vocabularies, shared, inferred, *, share: bool = True) -> None:
        self.base, self.vocab, self.out, self.shared, self.inferred = base, vocab, shared, shared, inferred
        # False when the rows are built by two processes (Helper): the coders' and the theme-group lines are then
        # written once both are done (`write_shared`), each once, a coder's with the label of its first row.
        self.share = share
        self.lines: list[tuple[str, str, str]] = []
        self.pending: list[str] = []  # rows' lines not yet written to `out`
        self.pending_more: list[str] = []  # and to `inferred`
        self.reached: set[str] = {k[1:-1] for k in (*_KINDS.values(), _CODED, _P["agent"], _P["entity"],
                                                       f"<{PROV.Activity.value}>")}
        self.agents: dict[str, tuple[int, str]] = {}  # agent -> (first row, coder as written there)
        self.spans: dict[tuple[str, str], None] = {}  # theme-group pairs, in the order first seen
        self.written = 0
        self.found: dict[tuple[str, str], str] = {}
        self.coders: dict[str, str] = {}

    def flush(self, inferred: list[tuple[str, str, str]] = ()) -> None:
        """One row's lines (each once) kept for `drain`, which writes a thousand rows' at a time."""
        lines = dict.fromkeys(f"{s} {p} {o} .\n" for s, p, o in self.lines)
        self.pending.append("".join(lines))
        if inferred:
            more = dict.fromkeys(f"{s} {p} {o} .\n" for s, p, o in inferred)
            self.pending_more.append("".join(more))
            self.written += len(more)
        self.written += len(lines)
        self.lines = []
        if len(self.pending) >= 1000:
            self.drain()

    def drain(self) -> None:
        """Write the kept lines to `out` (records) and `inferred`; before `out` changes, and at the end."""
        self.out.write("".join(self.pending))
        self.inferred.write("".join(self.pending_more))
        self.pending, self.pending_more = [], []

    def row(self, row: Row, iri: str, activity: str, source: str) -> None:
        ev, add, P = f"<{iri}>", self.lines.append, _P
        kind = row.get("kind").casefold() or "example"
        add((ev, TYPE, _KINDS.get(kind, _CODED)))
        add((ev, LABEL, _text(f"Coded evidence, {row.path.name} row {row.number}", "en")))
        themes: list[str] = []
        groups: list[str] = []
        for column in ("theme", "impact", "stakeholder_group", "site"):
            found = self._label(ev, column, row.get(column))
            if column == "theme" and found:
                themes.append(found)
        for group in row.get("innovation_group").split(";"):
            found = self._label(ev, "innovation_group", group.strip())
            if found:
                groups.append(found)
        self._study(ev, row.get("study"))
        language = _language(row.get("language") or "en")
        for column, p in (("text", P["text"]), ("notes", P["note"])):
            text = row.get(column)
            if text:
                add((ev, p, _text(text, language)))
        coder = row.get("coder")
        if coder:
            agent = self.coders.get(coder) or self.coders.setdefault(
                coder, f"<{self.base}coder/{slugify(coder) or 'unnamed'}>")
            if agent not in self.agents:  # a coder's own triples go with what the rows share
                self.agents[agent] = (row.number, coder)
                self.reached.add(agent[1:-1])  # the store may describe the coder already (an earlier sheet)
                if self.share:
                    self.shared.write(_agent_lines(agent, coder))
                    self.written += 2
            add((ev, P["attributed"], agent))
        date = row.get("date")
        if date:
            try:
                add((ev, P["date"], _text(dt.date.fromisoformat(date).isoformat(), datatype=XSD.date.value)))
            except ValueError:
                add((ev, P["date"], _text(date)))
        record = f"<{source[1:-1].removesuffix('/sheet')}/row/{row.number}>"
        add((record, TYPE, P["entity"]))
        add((record, LABEL, _text(f"{row.path.name} row {row.number}", "en")))
        add((record, P["order"], _text(str(row.number), datatype=XSD.integer.value)))
        add((record, P["part"], source))
        add((ev, P["derived"], record))
        add((ev, P["generated"], activity))
        # What HermiT infers from the row (theme hasEvidence, theme spansGroup): kept in the import's graph.
        inferred = []
        for t in themes:
            inferred.append((t, P["evidence"], ev))
            for g in groups:
                if (t, g) not in self.spans:
                    self.spans[(t, g)] = None
                    if self.share:
                        inferred.append((t, P["spans"], g))
        self.flush(inferred)

    def write_shared(self, agents: dict[str, tuple[int, str]], spans: Iterable[tuple[str, str]]) -> None:
        """The coders' and theme-group lines of rows built by two processes (this one's and `agents`, `spans` of
        the other), each once: the lines one process reading every row writes."""
        for agent, (number, coder) in agents.items():
            if agent not in self.agents or number < self.agents[agent][0]:
                self.agents[agent] = (number, coder)
        for agent, (_, coder) in sorted(self.agents.items(), key=lambda item: item[1][0]):
            self.reached.add(agent[1:-1])
            self.shared.write(_agent_lines(agent, coder))
            self.written += 2
        for t, g in [*self.spans, *spans]:
            self.spans[(t, g)] = None
        for t, g in self.spans:
            self.inferred.write(f"{t} {_P['spans']} {g} .\n")
            self.written += 1

    def _label(self, ev: str, column: str, text: str) -> str | None:
        """Adds the cell's term; returns the IRI (N-Triples) when the label is known."""
        if not text:
            return None
        key = (column, text)
        if key not in self.found:
            iri = self.vocab.kinds[column.replace("_", " ")].find(text)
            self.found[key] = f"<{iri}>" if iri else ""
            if iri:
                self.reached.add(iri)
        found = self.found[key]
        self.lines.append((ev, _P[column], found or _text(text)))
        return found or None

    def _study(self, ev: str, text: str) -> None:
        if not text:
            return
        if is_reference_number(text):
            found = self.vocab.citations.get((f"{self.base}study/{REVIEW}", int(text)))
            if found:
                self.reached.add(found)
            self.lines.append((ev, _P["citation"], f"<{found}>" if found else _text(text)))
            return
        study = self.vocab.dois.get(normalise_doi(text))
        if study:
            self.reached.add(study)
        self.lines.append((ev, _P["derived"], f"<{study}>") if study else (ev, _P["citation"], _text(text)))


def _agent_lines(agent: str, coder: str) -> str:
    return f"{agent} {TYPE} {_P['agent']} .\n{agent} {LABEL} {_text(coder)} .\n"


def is_reference_number(text: str) -> bool:
    """ASCII digits only, and few of them: "²".isdigit() holds but int("²") fails, and int() refuses 4,300 digits."""
    return text.isascii() and text.isdigit() and len(text) <= 9


def study_message(value: str) -> str:
    """The reviewer-facing message for a study cell that resolves to nothing."""
    if is_reference_number(value):
        return f'"{value}" is not a reference number that the review cites.'
    return f'"{value}" is neither a reference number of the review nor the DOI of a source paper.'


def label_message(sheet: CodingSheet, path: str | None, value: str) -> str | None:
    """A near-miss message for an unresolved label in column of `path`, or None when `path` takes no label."""
    if sheet.vocabularies is None:
        return None
    if path == IMRI.citation.value:
        return study_message(value)
    kind = PATH_KINDS.get(path or "")
    return sheet.vocabularies.kinds[kind].unknown(value) if kind else None
