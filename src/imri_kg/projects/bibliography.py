"""The included studies: bibliography/*.bib (bibtexparser), *.ris (rispy), *.json (CSL-JSON), with the review's
reference numbers, and an index that finds a study by citation key, DOI or reference number."""

import json
import logging
import re
from collections.abc import Callable
from pathlib import Path

from imri_kg.importers.labels import normalise_doi
from imri_kg.projects.lookup import slugify
from imri_kg.projects.model import Origin, Study
from imri_kg.projects.problems import Problems, suggest
from imri_kg.projects.tables import read_rows

REFNUMBER = re.compile(r"refnumber\s*:\s*([0-9]+)", re.IGNORECASE)
YEAR = re.compile(r"[0-9]{4}")
DOI = re.compile(r"10\.[0-9]{4,9}/\S+")


class StudyIndex:
    """Studies by key, with the keys of each DOI and reference number."""

    def __init__(self) -> None:
        self.studies: dict[str, Study] = {}
        self.keys: dict[str, str] = {}  # casefolded key -> key
        self.dois: dict[str, str] = {}
        self.numbers: dict[int, str] = {}

    def find(self, ref: str) -> str | None:
        """The key of the study that `ref` names: a citation key, a DOI or a reference number."""
        ref = ref.strip()
        if ref.isdigit():
            return self.numbers.get(int(ref))
        return self.keys.get(ref.casefold()) or self.dois.get(normalise_doi(ref))

    def unknown(self, ref: str) -> str:
        if ref.isdigit():
            what = f'"{ref}" is not the reference number of a study in the bibliography'
            known = ", ".join(str(n) for n in sorted(self.numbers)[:12])
            return what + (f" (numbers: {known}{' ...' if len(self.numbers) > 12 else ''})." if known else
                           "; no study has a number (BibTeX refnumber, RIS N1 refnumber:, CSL-JSON citation-number "
                           "or bibliography/numbers.csv).")
        hint = suggest(ref.casefold(), {k: v for k, v in self.keys.items()})
        return f'"{ref}" is neither a citation key nor a DOI of the bibliography.' + hint


def read_bibliography(folder: Path, problems: Problems) -> StudyIndex:
    """Every study of bibliography/, then the numbers of bibliography/numbers.csv. Keys must be unique."""
    index = StudyIndex()
    directory = Path(folder) / "bibliography"
    if not directory.is_dir():
        return index
    slugs: dict[str, str] = {}
    for path in sorted(directory.iterdir()):
        reader = READERS.get(path.suffix.lower())
        if reader is None:
            if path.name != "numbers.csv" and not path.name.startswith(".") and path.is_file():
                problems.add(path, "is not a bibliography file; give .bib, .ris or .json (CSL-JSON).",
                             severity="Warning")
            continue
        for study in reader(path, problems):
            _add(index, study, slugs, problems)
    numbers = directory / "numbers.csv"
    if numbers.is_file():
        for row in read_rows(numbers, problems, required=("key", "number")) or []:
            key = index.keys.get(row.get("key").casefold())
            if key is None:
                problems.add(numbers, index.unknown(row.get("key")), row=row.number, column="key")
            elif not row.get("number").isdigit():
                problems.add(numbers, f'"{row.get("number")}" is not a whole number.', row=row.number, column="number")
            else:
                study = index.studies[key]
                study.number = int(row.get("number"))
                _number(index, study, problems, where=(numbers, row.number, "number"))
    for study in index.studies.values():
        if not (study.authors or study.title or study.year or study.doi) and study.number is None:
            problems.add(study.origin.path, f"{study.key} has no author, title, year, DOI or reference number, so it "
                         "is cited by its key alone; check the entry's field names.", row=study.origin.row,
                         severity="Warning", unit="line")
    return index


def _add(index: StudyIndex, study: Study, slugs: dict[str, str], problems: Problems) -> None:
    where = study.origin
    if not study.key:
        problems.add(where.path, "an entry without a citation key; give each study a key (BibTeX key, RIS ID, "
                     "CSL-JSON id).", row=where.row, unit="line")
        return
    slug = slugify(study.key)
    if study.key.casefold() in index.keys or slug in slugs:
        other = index.studies[index.keys.get(study.key.casefold()) or slugs[slug]].origin
        problems.add(where.path, f'duplicate citation key "{study.key}" (also {problems.name(other.path)} line '
                     f"{other.row}); give each study its own key.", row=where.row, unit="line")
        return
    if not slug:
        problems.add(where.path, f'citation key "{study.key}" needs a letter or digit.', row=where.row, unit="line")
        return
    if study.doi:
        study.doi = normalise_doi(study.doi)
        if not DOI.fullmatch(study.doi):
            problems.add(where.path, f'"{study.doi}" of {study.key} is not a DOI (10.NNNN/...).', row=where.row,
                         unit="line")
            study.doi = ""
        elif study.doi in index.dois:
            problems.add(where.path, f"{study.key} has the DOI of {index.dois[study.doi]} ({study.doi}); "
                         "each study once.", row=where.row, unit="line")
    index.studies[study.key] = study
    index.keys[study.key.casefold()] = study.key
    slugs[slug] = study.key
    if study.doi:
        index.dois.setdefault(study.doi, study.key)
    if study.number is not None:
        _number(index, study, problems, where=(where.path, where.row, ""))


def _number(index: StudyIndex, study: Study, problems: Problems, *, where: tuple[Path, int, str]) -> None:
    assert study.number is not None
    other = index.numbers.get(study.number)
    if other is not None and other != study.key:
        problems.add(where[0], f"{study.key} has reference number {study.number}, already {other}'s.", row=where[1],
                     column=where[2], unit="row" if where[2] else "line")
    else:
        index.numbers[study.number] = study.key


def _utf8(path: Path, problems: Problems) -> str | None:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        guess = "UTF-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "Latin-1 or Windows-1252"
        problems.input(path, f"is not UTF-8 (byte {exc.start}; it looks like {guess}); export it from the "
                       "reference manager as UTF-8.", row=line, unit="line")
        return None


def _initials(given: str) -> str:
    return "".join(p[0] for p in re.split(r"[\s.\-]+", given) if p and p[0].isalpha()).upper()


def _name(family: str, given: str) -> str:
    return f"{family} {_initials(given)}".strip()


def read_bibtex(path: Path, problems: Problems) -> list[Study]:
    """A BibTeX file; a block that does not parse is a problem at its line, with bibtexparser's reason."""
    text = _utf8(path, problems)
    if text is None:
        return []
    import bibtexparser
    from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts

    messages: list[str] = []
    handler = _Collect(messages)
    logger = logging.getLogger("bibtexparser")
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    try:
        library = bibtexparser.parse_string(text, append_middleware=[
            LatexDecodingMiddleware(), SeparateCoAuthors(), SplitNameParts()])
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
    for block in library.failed_blocks:
        line = block.start_line + 1
        reason = next((m.split("error in bibtex:", 1)[-1].strip() for m in messages if f"(line {block.start_line})"
                       in m), "") or str(getattr(block, "error", "") or "")
        first = block.raw.strip().splitlines()[0][:60] if block.raw.strip() else ""
        problems.input(path, f"BibTeX syntax error in the entry starting here ({first}): {reason or 'unreadable'}; "
                       "check for an unclosed brace or quote, or a missing comma.", row=line, unit="line")
    studies = []
    for entry in library.entries:
        fields = {k.casefold(): entry.fields_dict[k].value for k in entry.fields_dict}
        authors = [_name(" ".join([*p.von, *p.last]), " ".join(p.first)) if hasattr(p, "last") else str(p)
                   for p in fields.get("author", []) or []]
        year = YEAR.search(str(fields.get("year") or fields.get("date") or ""))
        number = str(fields.get("refnumber", "")).strip()
        studies.append(Study(entry.key, Origin(path, entry.start_line + 1), authors=authors,
                             year=year.group() if year else "", title=_flat(fields.get("title")),
                             venue=_flat(fields.get("journal") or fields.get("booktitle") or fields.get("publisher")),
                             doi=_flat(fields.get("doi")), number=int(number) if number.isdigit() else None))
    return studies


def _flat(value: object) -> str:
    return re.sub(r"\s+", " ", str(value or "")).replace("{", "").replace("}", "").strip()


class _Collect(logging.Handler):
    def __init__(self, messages: list[str]) -> None:
        super().__init__()
        self.messages = messages

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def read_ris(path: Path, problems: Problems) -> list[Study]:
    """A RIS file (rispy): key from ID, else first author and year; number from N1 'refnumber: 85'."""
    text = _utf8(path, problems)
    if text is None:
        return []
    import rispy

    starts = [i + 1 for i, line in enumerate(text.splitlines()) if line.startswith("TY  -")]
    try:
        entries = rispy.loads(text)
    except (OSError, ValueError, KeyError, TypeError) as exc:  # what rispy raises on a malformed file
        problems.input(path, f"is not a valid RIS file: {exc}.")
        return []
    if not entries and text.strip():
        problems.input(path, "holds no RIS record (each starts with 'TY  - ' and ends with 'ER  - ').", row=1,
                       unit="line")
    studies = []
    for entry, line in zip(entries, starts + [0] * len(entries)):
        authors = []
        for name in entry.get("authors") or entry.get("first_authors") or []:
            family, _, given = name.partition(",")
            authors.append(_name(family.strip(), given.strip()))
        year = YEAR.search(str(entry.get("year") or entry.get("publication_year") or entry.get("date") or ""))
        notes = " ".join(entry.get("notes") or [])
        number = REFNUMBER.search(notes)
        key = str(entry.get("id") or "").strip()
        if not key and authors:
            key = slugify(authors[0].split(" ")[0]) + (year.group() if year else "")
        venue = entry.get("journal_name") or entry.get("secondary_title") or entry.get("alternate_title3") or ""
        studies.append(Study(key, Origin(path, line), authors=authors, year=year.group() if year else "",
                             title=_flat(entry.get("title") or entry.get("primary_title")), venue=_flat(venue),
                             doi=_flat(entry.get("doi")), number=int(number.group(1)) if number else None))
    return studies


def read_csl_json(path: Path, problems: Problems) -> list[Study]:
    """A CSL-JSON file: a list of items (id, author, issued, title, container-title, DOI, citation-number)."""
    text = _utf8(path, problems)
    if text is None:
        return []
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.input(path, f"is not valid JSON: {exc.msg} (column {exc.colno}).", row=exc.lineno, unit="line")
        return []
    if isinstance(items, dict) and isinstance(items.get("items"), list):
        items = items["items"]
    if not isinstance(items, list):
        problems.input(path, "must be a CSL-JSON list of items, as reference managers export it.")
        return []
    studies = []
    for item in items:
        if not isinstance(item, dict):
            problems.input(path, "holds something other than a CSL-JSON item (an object with an id).")
            continue
        key = str(item.get("id") or "").strip()
        line = _line_of(text, key)
        authors = [_name(str(a.get("family") or a.get("literal") or ""), str(a.get("given") or ""))
                   for a in item.get("author") or [] if isinstance(a, dict)]
        issued = item.get("issued") or {}
        parts = issued.get("date-parts") if isinstance(issued, dict) else None
        year = str(parts[0][0]) if parts and parts[0] else str(issued.get("raw", ""))[:4] if isinstance(issued, dict) \
            else ""
        number = item.get("citation-number")
        studies.append(Study(key, Origin(path, line), authors=authors, year=year if YEAR.fullmatch(year) else "",
                             title=_flat(item.get("title")), venue=_flat(item.get("container-title")),
                             doi=_flat(item.get("DOI") or item.get("doi")),
                             number=int(number) if str(number or "").isdigit() else None))
    return studies


def _line_of(text: str, key: str) -> int:
    found = re.search(r'"id"\s*:\s*"' + re.escape(key) + '"', text) if key else None
    return text[:found.start()].count("\n") + 1 if found else 0


READERS: dict[str, Callable[[Path, Problems], list[Study]]] = {
    ".bib": read_bibtex, ".ris": read_ris, ".json": read_csl_json}
