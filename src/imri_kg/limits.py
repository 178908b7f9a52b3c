"""Size and nesting limits checked before any parser sees untrusted input, so that no input can crash a process.

Oxigraph's SPARQL parser and its JSON-LD parser recurse once per nesting level and overflow the stack (a segfault,
not an exception) between 1,000 and 4,000 levels; rdflib's SPARQL parser raises RecursionError from about 50.
So every query, update and uploaded file is scanned first, in linear time and without recursion: text that cannot
hold structure (comments, IRIs, strings) is skipped and the depth of the brackets that remain is measured.
RDF/XML is walked with expat (a streaming C parser that keeps no stack of its own) counting element depth, and
its DTD (entity declarations: the "billion laughs") is refused. An XLSX archive is refused when it would unpack
to more than a bound, whatever its size on disk, or when a worksheet would hand its reader more cells than a bound
(openpyxl pads every row to the used range the sheet declares).
"""

import re
import zipfile
import zlib
from pathlib import Path
from xml.parsers import expat

from imri_kg.errors import InputError

MAX_DEPTH = 64              # brackets, braces or XML elements inside one another
MAX_QUERY_CHARS = 200_000   # a SPARQL query or update
MAX_OPERATORS = 1_000       # operators of one query (!, +, -, *, /, |, ^, &&, ||, =, <, >): chains of them nest
                            # like brackets in the parsed query, and 10,000 overflow the engine's stack
MAX_UPLOAD_BYTES = 5_000_000
MAX_UNPACKED_BYTES = 50_000_000  # all members of an XLSX archive, unpacked
MAX_ARCHIVE_MEMBERS = 1_000
MAX_SHEET_CELLS = 10_000_000  # cells of one worksheet a reader is handed, empty ones included (openpyxl pads each
                              # row to the used range the sheet declares: A1:XFD1048576 is 17 billion)
MAX_SHEET_ROW = 1_048_576     # Excel's last row

# Text that cannot open a bracket: comments, IRIs and the four string forms (SPARQL 1.1 Query section 19.8,
# Turtle section 6.5). An unterminated string or IRI is skipped to the end of its line, as its parser would fail.
_SPARQL_OPAQUE = re.compile(r"""
    \#[^\n\r]*
  | <[^<>"{}|^`\\\x00-\x20]*>
  | '''(?:[^'\\]|\\.|'(?!''))*(?:'''|$)
  | \"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"|$)
  | '(?:[^'\\\n\r]|\\.)*'?
  | "(?:[^"\\\n\r]|\\.)*"?
  | \\.
""", re.VERBOSE | re.DOTALL)
# Names, numbers and prefixed names (ex:a-b, 1.5e-3), whose hyphens, dots and signs are not operators.
_SPARQL_WORDS = re.compile(r"[?$]?[\w.:%\-]*\w[\w.:%\-]*(?:[eE][+\-]?\d+)?")
_OPERATORS = re.compile(r"&&|\|\||[!+\-*/|^=<>]")
_JSON_OPAQUE = re.compile(r'"(?:[^"\\]|\\.)*"?', re.DOTALL)
_OPEN, _CLOSE = "([{", ")]}"
_BRACKETS = re.compile(r"[()\[\]{}]")


def nesting_depth(text: str, *, kind: str = "sparql") -> int:
    """The deepest nesting of ( [ { in `text`, outside comments, IRIs and strings (kind: sparql, turtle, json)."""
    opaque = _JSON_OPAQUE if kind == "json" else _SPARQL_OPAQUE
    depth = deepest = 0
    for bracket in _BRACKETS.findall(opaque.sub(" ", text)):
        if bracket in _OPEN:
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth = max(0, depth - 1)
    return deepest


def check_sparql(text: str, *, what: str = "query") -> None:
    """Refuse a query or update too long or too deeply nested to parse safely."""
    if len(text) > MAX_QUERY_CHARS:
        raise InputError(f"The {what} is {len(text):,} characters long; this server takes at most "
                         f"{MAX_QUERY_CHARS:,}.")
    depth = nesting_depth(text)
    if depth > MAX_DEPTH:
        raise InputError(f"The {what} nests brackets or braces {depth} deep; this server takes at most "
                         f"{MAX_DEPTH} levels. Flatten the groups.")
    operators = operator_count(text)
    if operators > MAX_OPERATORS:
        raise InputError(f"The {what} has {operators:,} operators (!, +, /, |, ...); at most {MAX_OPERATORS:,} are "
                         "taken, as long chains of them crash the query engine. Use VALUES or split the " + what + ".")


def operator_count(text: str) -> int:
    """How many SPARQL operators `text` holds outside comments, IRIs, strings, names and numbers."""
    return len(_OPERATORS.findall(_SPARQL_WORDS.sub(" ", _SPARQL_OPAQUE.sub(" ", text))))


def check_xml_depth(data: bytes, *, path: Path | str | None = None) -> None:
    """Refuse XML nested deeper than MAX_DEPTH, or declaring a DTD (entities), before an RDF/XML parser reads it."""
    parser = expat.ParserCreate()
    depth = [0]

    def start(name: str, attrs: object) -> None:
        depth[0] += 1
        if depth[0] > MAX_DEPTH:
            raise InputError(f"XML elements are nested more than {MAX_DEPTH} deep; this server refuses it.",
                             path=path, row=parser.CurrentLineNumber, unit="line")

    def end(name: str) -> None:
        depth[0] -= 1

    def doctype(*args: object) -> None:
        raise InputError("declares a DTD (<!DOCTYPE ...>); RDF/XML with a DTD is refused (entity expansion).",
                         path=path, row=parser.CurrentLineNumber, unit="line")

    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.StartDoctypeDeclHandler = doctype
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise InputError(f"is not well-formed XML: {expat.ErrorString(exc.code)}", path=path, row=exc.lineno,
                         unit="line") from None


def check_rdf_file(path: Path, *, suffix: str | None = None, max_bytes: int | None = MAX_UPLOAD_BYTES) -> None:
    """Refuse an RDF file too large or too deeply nested for its parser (format from its extension)."""
    path = Path(path)
    suffix = (suffix or path.suffix).lower()
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise InputError(f"is {size:,} bytes; at most {max_bytes:,} are taken here.", path=path)
    if suffix in (".rdf", ".owl", ".xml"):
        check_xml_depth(path.read_bytes(), path=path)
        return
    kind = "json" if suffix in (".jsonld", ".json") else "turtle"
    if kind == "turtle" and suffix in (".nt", ".nq"):
        kind = "turtle"  # N-Triples-star nests quoted triples with << >>; brackets are counted the same way
    text = path.read_bytes().decode("utf-8", "replace")
    depth = nesting_depth(text, kind=kind) if kind == "json" else max(nesting_depth(text), _quoted_depth(text))
    if depth > MAX_DEPTH:
        raise InputError(f"nests brackets {depth} deep; at most {MAX_DEPTH} levels are taken.", path=path)


def _quoted_depth(text: str) -> int:
    """The deepest nesting of RDF-star quoted triples << ... >>."""
    depth = deepest = 0
    for token in re.findall(r"<<|>>", _SPARQL_OPAQUE.sub(" ", text)):
        depth = depth + 1 if token == "<<" else max(0, depth - 1)
        deepest = max(deepest, depth)
    return deepest


_SMALLER = "Save the sheet as CSV (UTF-8), or split it into smaller workbooks."


def check_xlsx(path: Path) -> None:
    """Refuse a workbook whose archive is broken, has too many members or unpacks to more than the bound.

    Every workbook a reader opens passes here first: a coding sheet (importers/sheets.py), a project's tables
    (projects/tables.py) and a web upload (api/uploads.py)."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_ARCHIVE_MEMBERS:
                raise InputError(f"holds {len(members):,} files; a workbook has far fewer. {_SMALLER}", path=path)
            unpacked = sum(m.file_size for m in members)
            if unpacked > MAX_UNPACKED_BYTES:
                raise InputError(f"would unpack to {unpacked:,} bytes; at most {MAX_UNPACKED_BYTES:,} are taken. "
                                 + _SMALLER, path=path)
            for member in members:
                if member.filename.endswith(".xml"):
                    data = archive.read(member)
                    check_xml_depth(data, path=f"{path}:{member.filename}")
                    if member.filename.startswith("xl/worksheets/"):
                        check_sheet_cells(data, path=f"{path}:{member.filename}")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, NotImplementedError, EOFError, OSError,
            ValueError) as exc:
        raise InputError(f"is not a readable Excel workbook (.xlsx) ({type(exc).__name__}: {exc}); "
                         "save the sheet as XLSX or CSV (UTF-8).", path=path) from None
    except RuntimeError as exc:  # an encrypted member
        raise InputError(f"cannot be read: {exc}", path=path) from None


def _column(ref: str) -> int:
    """The column number of a cell reference (B7 -> 2); 0 when it names none."""
    number = 0
    for letter in re.match(r"[A-Za-z]*", ref).group(0).upper():  # type: ignore[union-attr]
        number = number * 26 + ord(letter) - 64
    return number


def check_sheet_cells(data: bytes, *, path: str) -> None:
    """Refuse a worksheet whose readers would be handed more than MAX_SHEET_CELLS cells: its declared used range
    (<dimension ref="A1:XFD1048576"/>, which openpyxl pads every row to), or, without one, its rows each as wide
    as their last cell; and row numbers past Excel's last row. A streaming pass (expat), nothing kept."""
    parser = expat.ParserCreate()
    seen = {"declared": 0, "padded": 0, "last": 0}

    def refuse(what: str) -> None:
        raise InputError(f"{what}; at most {MAX_SHEET_CELLS:,} cells are read. Open the file in Excel and save it "
                         "again, or save the sheet as CSV (UTF-8).", path=path)

    def start(name: str, attrs: dict[str, str]) -> None:
        local = name.rsplit(":", 1)[-1]
        if local == "dimension":
            first, _, last = attrs.get("ref", "").partition(":")
            last = last or first
            rows = int(re.sub(r"\D", "", last) or 1) - int(re.sub(r"\D", "", first) or 1) + 1
            area = max(rows, 1) * max(_column(last) - _column(first) + 1, 1)
            if area > MAX_SHEET_CELLS:
                refuse(f"declares a used range of {area:,} cells ({attrs.get('ref')})")
            seen["declared"] = area
        elif local == "row":
            seen["padded"] += seen["last"]
            seen["last"] = 0
            if int(attrs.get("r", "0") or 0) > MAX_SHEET_ROW:
                raise InputError(f"has row {attrs['r']}, past Excel's last row ({MAX_SHEET_ROW:,}). "
                                 "Save the sheet as CSV (UTF-8).", path=path)
        elif local == "c":
            seen["last"] = max(seen["last"] + 1, _column(attrs.get("r", "")))

    parser.StartElementHandler = start
    parser.Parse(data, True)  # well-formed: check_xml_depth parsed it first
    padded = seen["padded"] + seen["last"]
    if not seen["declared"] and padded > MAX_SHEET_CELLS:
        refuse(f"has rows as wide as {padded:,} cells together")
