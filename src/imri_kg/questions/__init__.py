"""SPARQL questions: loading .rq files with their metadata, running them on Oxigraph, and writing results."""

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import (
    Literal,
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    Variable,
    serialize,
)

from imri_kg.errors import InputError
from imri_kg.namespaces import PREFIXES
from imri_kg.resources import QUERIES_DIR
from imri_kg.store.remote import with_values

LIBRARY_DIR = QUERIES_DIR / "library"
# The topics of the library, in the order its pages list them (queries/library/README.md).
TOPICS = ("evidence", "themes and groups", "impacts", "study setting", "crosswalks", "quality checks")
QC_DIR = QUERIES_DIR / "qc"

SELECT_FORMATS = {"csv": QueryResultsFormat.CSV, "tsv": QueryResultsFormat.TSV, "json": QueryResultsFormat.JSON,
                  "xml": QueryResultsFormat.XML}
GRAPH_FORMATS = {"turtle": RdfFormat.TURTLE, "nt": RdfFormat.N_TRIPLES, "jsonld": RdfFormat.JSON_LD,
                 "rdfxml": RdfFormat.RDF_XML}


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None
    description: str
    required: bool = False  # "(type, required)": a missing value is an error, never "all"
    label: str = ""  # "# label: ?name Words": how a form names the parameter for people


@dataclass(frozen=True)
class Column:
    """A result column as people read it: `# column: ?var Title — what it holds`."""

    name: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class Question:
    """A named SPARQL question; its metadata come from the `# key: value` lines at the top of the file."""

    name: str
    path: Path
    sparql: str
    title: str
    description: str
    params: tuple[Param, ...] = field(default=())
    columns: tuple[Column, ...] = field(default=())
    topic: str = ""  # "# topic: ..." one of TOPICS: where the library pages list the question


def read_question(path: Path, *, text: str | None = None) -> Question:
    """The question in the file `path` (or in `text`, read from `path` already)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8") if text is None else text
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the query: {exc}", path=path) from None
    meta: dict[str, str] = {}
    params: list[Param] = []
    columns: list[Column] = []
    labels: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        m = re.match(r"#\s*(\w+):\s*(.*)", line)
        if not line.startswith("#"):
            break
        if not m:
            continue
        key, value = m.group(1), m.group(2).strip()
        if key == "param":
            p = re.fullmatch(r"\?(\w+)\s+\((\w+)(?:,\s*(?:default\s+(.+?)|(required)))?\)\s*(.*)", value)
            if not p:
                raise InputError('a param line reads "# param: ?name (type[, default VALUE | , required]) '
                                 'description".', path=path, row=number, unit="line")
            params.append(Param(p.group(1), p.group(2), p.group(3), p.group(5), required=bool(p.group(4))))
        elif key == "column":
            c = re.fullmatch(r"\?(\w+)\s+(.+?)(?:\s+—\s+(.*))?", value)
            if not c:
                raise InputError('a column line reads "# column: ?name Title — description".', path=path,
                                 row=number, unit="line")
            columns.append(Column(c.group(1), c.group(2), c.group(3) or ""))
        elif key == "label":
            c = re.fullmatch(r"\?(\w+)\s+(.+)", value)
            if not c:
                raise InputError('a label line reads "# label: ?name Words".', path=path, row=number, unit="line")
            labels[c.group(1)] = c.group(2)
        else:
            meta[key] = value
    name = path.stem.removesuffix("-violation")
    params = [Param(p.name, p.type, p.default, p.description, p.required, labels.get(p.name, "")) for p in params]
    return Question(name, path, text, meta.get("title", name), meta.get("description", ""), tuple(params),
                    tuple(columns), meta.get("topic", ""))


def library(directory: Path = LIBRARY_DIR) -> dict[str, Question]:
    """The reviewer questions of queries/library, by name."""
    return {q.name: q for q in map(read_question, sorted(Path(directory).glob("*.rq")))}


def find_question(name_or_path: str) -> Question:
    """A library question by name, or a SPARQL file by path: FILE.rq, any other file that is not a question's name
    (such as the pipe of `<(echo ...)`), or `-` for standard input."""
    if name_or_path == "-":
        return read_question(Path("<stdin>"), text=sys.stdin.read())
    path = Path(name_or_path)
    if path.suffix == ".rq" and path.exists():
        return read_question(path)
    questions = library()
    if name_or_path not in questions and path.exists() and not path.is_dir():
        return read_question(path)
    if name_or_path not in questions:
        raise InputError(f'"{name_or_path}" is neither a .rq file nor a library question; known questions: '
                         f'{", ".join(questions) or "none"}.')
    return questions[name_or_path]


def run(store: Store, sparql: str, *, bindings: dict[str, NamedNode | Literal] | None = None
        ) -> QuerySolutions | QueryTriples | QueryBoolean:
    """Run a query over the union of all graphs, with `bindings` as a VALUES block of Oxigraph-serialised terms.

    Never user text: each value is an RDF term already parsed, written back as N-Triples. A VALUES block rather than
    Oxigraph's `substitutions`, because Oxigraph plans with VALUES and not with substitutions: 15 ms against 73 ms
    for a parameterised library question at 100k triples (bench/README.md).
    """
    try:
        sparql = with_values(sparql, {Variable(k): v for k, v in (bindings or {}).items()})
        return store.query(sparql, use_default_graph_as_union=True, prefixes=PREFIXES)
    except SyntaxError as exc:
        raise InputError(f"is not valid SPARQL: {exc}") from None


def rows(result: QuerySolutions) -> list[dict[str, str]]:
    """SELECT results as plain dicts of strings (a missing binding is '')."""
    names = [v.value for v in result.variables]
    return [{n: (s[n].value if s[n] is not None else "") for n in names} for s in result]


def write_result(result: QuerySolutions | QueryTriples | QueryBoolean, fmt: str, *, width: int | None = None) -> bytes:
    """Serialise a result with Oxigraph's own writers; 'table' gives aligned text for people, fitted to `width`
    characters when given (a terminal's width)."""
    if isinstance(result, QueryTriples):
        if fmt not in GRAPH_FORMATS:
            raise InputError(f'"{fmt}" is not a graph format; use one of {", ".join(GRAPH_FORMATS)}.')
        return serialize(result, format=GRAPH_FORMATS[fmt], prefixes=PREFIXES) or b""
    if isinstance(result, QueryBoolean) and fmt == "table":
        return b"true\n" if bool(result) else b"false\n"
    if fmt == "table":
        return _table(rows(result), [v.value for v in result.variables], width=width).encode()
    if fmt not in SELECT_FORMATS:
        raise InputError(f'"{fmt}" is not a result format; use table or one of {", ".join(SELECT_FORMATS)}.')
    return result.serialize(format=SELECT_FORMATS[fmt]) or b""


def _table(data: list[dict[str, str]], names: list[str], *, width: int | None = None) -> str:
    cells = [[_short(r[n]) for n in names] for r in data]
    widths = [max([len(n)] + [len(c[i]) for c in cells]) for i, n in enumerate(names)]
    if width:  # narrow the widest column, one character at a time, until the table fits (columns keep 8)
        while sum(widths) + 2 * (len(widths) - 1) > width and max(widths) > 8:
            widths[widths.index(max(widths))] -= 1
    names = [_short(n, w) for n, w in zip(names, widths)]
    cells = [[_short(c, w) for c, w in zip(row, widths)] for row in cells]
    lines = ["  ".join(n.ljust(w) for n, w in zip(names, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.append(f"({len(data)} row{'s' if len(data) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _short(value: str, limit: int = 70) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def default_format(result: QuerySolutions | QueryTriples | QueryBoolean) -> str:
    return "turtle" if isinstance(result, QueryTriples) else "table"
