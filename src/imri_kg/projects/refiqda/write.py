"""Write a review project folder as REFI-QDA: write_qdc (its codebook) and write_qdpx (the project), both
checked against the vendored schemas before the file is written."""

import io
import re
import zipfile
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from xml.etree import ElementTree as ET

from imri_kg import __version__
from imri_kg.errors import InputError
from imri_kg.projects.refiqda._bibliography import read_studies
from imri_kg.projects.refiqda._ids import derived_guid, excerpt_id, note_key, slug
from imri_kg.projects.refiqda._xml import CODEBOOK_NS, GUID_RE, PROJECT_NS, norm_guid
from imri_kg.projects.refiqda.folder import read_project_yaml, read_table, split_list
from imri_kg.projects.refiqda.model import ReportItem

ORIGIN = f"imri-kg {__version__}"
TYPES = {"string": "Text", "boolean": "Boolean", "integer": "Integer", "decimal": "Float", "date": "Date"}
VALUE_TAGS = {"Text": "TextValue", "Boolean": "BooleanValue", "Integer": "IntegerValue", "Float": "FloatValue",
              "Date": "DateValue"}
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)        # fixed, so that the same project gives the same bytes


@dataclass
class ExportReport:
    path: Path
    counts: dict[str, int] = field(default_factory=dict)
    report: list[ReportItem] = field(default_factory=list)


def schema(name: str):  # -> xmlschema.XMLSchema
    import xmlschema
    return xmlschema.XMLSchema(str(files("imri_kg.projects.refiqda") / "schemas" / f"{name}.xsd"))


def write_qdc(folder: Path, path: Path, *, base: str = "https://w3id.org/imri/") -> ExportReport:
    """The project's codebook as a .qdc file (REFI-QDA 1.5 section 5.2)."""
    project = _Folder(folder, base)
    out = ExportReport(path)
    root = ET.Element(f"{{{CODEBOOK_NS}}}CodeBook", origin=ORIGIN)
    _codes(ET.SubElement(root, f"{{{CODEBOOK_NS}}}Codes"), project, CODEBOOK_NS, notes=None)
    out.counts["codes"] = len(project.codes.data())
    data = _serialise(root, "Codebook", path)
    path.write_bytes(data)
    return out


def write_qdpx(folder: Path, path: Path, *, base: str = "https://w3id.org/imri/") -> ExportReport:
    """The project as a .qdpx archive (REFI-QDA 1.5 sections 5.3 and 8): project.qde and sources/*.txt."""
    p = _Folder(folder, base)
    out = ExportReport(path)
    ns = PROJECT_NS
    q = lambda tag: f"{{{ns}}}{tag}"
    root = ET.Element(q("Project"), name=str(p.meta.get("title") or p.slug), origin=ORIGIN)
    notes = p.notes_by_about()
    users = p.users()
    if users:
        users_el = ET.SubElement(root, q("Users"))
        for name, guid in users.items():
            ET.SubElement(users_el, q("User"), guid=guid, name=name)
    if p.codes.data():
        _codes(ET.SubElement(ET.SubElement(root, q("CodeBook")), q("Codes")), p, ns, notes=notes)
    sources, selection_of = p.sources(out)
    variables = p.variables(out)
    if variables:
        vars_el = ET.SubElement(root, q("Variables"))
        for name, (guid, type_) in variables.items():
            ET.SubElement(vars_el, q("Variable"), guid=guid, name=name, typeOfVariable=type_)
    links: list[tuple[str, str]] = []
    if p.cases.data():
        cases_el = ET.SubElement(root, q("Cases"))
        for row in p.cases.data():
            guid = p.case_guid(row)
            case_el = ET.SubElement(cases_el, q("Case"), guid=guid, name=row.get("label") or row["case"])
            if row.get("definition"):
                ET.SubElement(case_el, q("Description")).text = row["definition"]
            for attribute, value in p.values_of(row):
                value_el = ET.SubElement(case_el, q("VariableValue"))
                ET.SubElement(value_el, q("VariableRef"), targetGUID=variables[attribute][0])
                ET.SubElement(value_el, q(VALUE_TAGS[variables[attribute][1]])).text = value
            for sel_guid in selection_of.get((row["dimension"], row["case"]), []):
                ET.SubElement(case_el, q("SelectionRef"), targetGUID=sel_guid)
            links += [(n, guid) for n in notes.pop(f"case:{row['dimension']}:{row['case']}", [])]
    if sources:
        sources_el = ET.SubElement(root, q("Sources"))
        for source in sources:
            _source(sources_el, source, q, users, notes, p)
    note_rows = p.notes.data()
    if note_rows:
        notes_el = ET.SubElement(root, q("Notes"))
        for row in note_rows:
            guid = p.note_guid(row)
            first = (row.get("text") or "").strip().split("\n", 1)[0]
            attrs = {"guid": guid, "name": first[:60] + ("…" if len(first) > 60 else "")}
            if row.get("author"):
                attrs["creatingUser"] = users[row["author"]]
            if _date(row.get("date")):
                attrs["creationDateTime"] = _date(row.get("date"))
            ET.SubElement(ET.SubElement(notes_el, q("Note"), attrs), q("PlainTextContent")).text = row.get("text", "")
    for about, guids in notes.items():          # notes whose target holds no NoteRef: studies without a source
        if about != "project":
            out.report.append(ReportItem("warning", f"notes.csv, about {about}", "no exported element stands for "
                                         "it; the note is attached to the project"))
            links += [(n, "") for n in guids]
    if links and any(target for _, target in links):
        links_el = ET.SubElement(root, q("Links"))
        for note_guid, target in links:
            if target:
                ET.SubElement(links_el, q("Link"), guid=derived_guid(base, p.slug, "link", note_guid, target),
                              name="note", direction="OneWay", originGUID=note_guid, targetGUID=target)
    if p.meta.get("description"):
        ET.SubElement(root, q("Description")).text = str(p.meta["description"])
    for guid in notes.get("project", []) + [n for n, t in links if not t]:
        ET.SubElement(root, q("NoteRef"), targetGUID=guid)
    out.report += p.unexported()
    out.counts.update(codes=len(p.codes.data()), cases=len(p.cases.data()), sources=len(sources),
                      excerpts=sum(len(s["rows"]) for s in sources), notes=len(note_rows))
    qde = _serialise(root, "Project", path)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("project.qde", _ZIP_TIME), qde, zipfile.ZIP_DEFLATED)
        for source in sources:
            info = zipfile.ZipInfo(f"sources/{norm_guid(source['guid'])}.txt", _ZIP_TIME)
            archive.writestr(info, source["text"].encode("utf-8"), zipfile.ZIP_DEFLATED)
    path.write_bytes(buffer.getvalue())
    return out


def _serialise(root: ET.Element, schema_name: str, path: Path) -> bytes:
    ET.register_namespace("", PROJECT_NS if schema_name == "Project" else CODEBOOK_NS)
    ET.indent(root)
    data = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    errors = list(schema(schema_name).iter_errors(data.decode("utf-8")))
    if errors:       # a bug of the exporter, not of the project: never write an invalid file
        raise InputError(f"the export does not validate against {schema_name}.xsd: {errors[0].reason} at "
                         f"{errors[0].path}; nothing written.", path=path)
    return data


def _codes(parent_el: ET.Element, p: "_Folder", ns: str, *, notes: dict[str, list[str]] | None) -> None:
    rows = p.codes.data()
    ids = {r["code"] for r in rows}
    kids: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        parent = row.get("parent") or ""
        kids.setdefault(parent if parent in ids else "", []).append(row)

    def add(el: ET.Element, row: dict[str, str]) -> None:
        attrs = {"guid": p.code_guid(row), "name": row.get("label") or row["code"],
                 "isCodable": "false" if (row.get("codable") or "").strip().lower() in ("false", "no", "0") else "true"}
        if re.fullmatch(r"#([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})", (row.get("color") or "").strip()):
            attrs["color"] = row["color"].strip()
        code_el = ET.SubElement(el, f"{{{ns}}}Code", attrs)
        if row.get("definition"):
            ET.SubElement(code_el, f"{{{ns}}}Description").text = row["definition"]
        for guid in (notes or {}).pop(f"code:{row['code']}", []):
            ET.SubElement(code_el, f"{{{ns}}}NoteRef", targetGUID=guid)
        for sub in kids.get(row["code"], []):
            add(code_el, sub)
    for row in kids.get("", []):
        add(parent_el, row)


def _source(sources_el: ET.Element, source: dict, q, users: dict[str, str], notes: dict[str, list[str]],
            p: "_Folder") -> None:
    el = ET.SubElement(sources_el, q("TextSource"), guid=source["guid"], name=source["name"],
                       plainTextPath=f"internal://{norm_guid(source['guid'])}.txt")
    if source["doi"]:       # lets an import match the source to its study by DOI
        ET.SubElement(el, q("Description")).text = f"doi:{source['doi']}"
    for row, start, end, guid in source["rows"]:
        text = row.get("text", "")
        attrs = {"guid": guid, "name": text[:60] + ("…" if len(text) > 60 else ""), "startPosition": str(start),
                 "endPosition": str(end)}
        coder = users.get(row.get("coder") or "")
        if coder:
            attrs["creatingUser"] = coder
        if _date(row.get("date")):
            attrs["creationDateTime"] = _date(row.get("date"))
        sel = ET.SubElement(el, q("PlainTextSelection"), attrs)
        if row.get("notes"):
            ET.SubElement(sel, q("Description")).text = row["notes"]
        for code in split_list(row.get("codes", "")):
            coding_attrs = {"guid": derived_guid(p.base, p.slug, "coding", guid, code)}
            if coder:
                coding_attrs["creatingUser"] = coder
            coding = ET.SubElement(sel, q("Coding"), coding_attrs)
            ET.SubElement(coding, q("CodeRef"), targetGUID=p.code_guid(p.code_row(code, row)))
        for note in notes.pop(f"excerpt:{excerpt_id(row)}", []):
            ET.SubElement(sel, q("NoteRef"), targetGUID=note)
    if source["study"]:
        for note in notes.pop(f"study:{source['study']}", []):
            ET.SubElement(el, q("NoteRef"), targetGUID=note)


def _date(value: str | None) -> str:
    value = (value or "").strip()
    return f"{value}T00:00:00Z" if re.fullmatch(r"\d{4}-\d\d-\d\d", value) else ""


class _Folder:
    """The parts of a project folder that REFI-QDA can hold."""

    def __init__(self, folder: Path, base: str) -> None:
        if not folder.is_dir():
            raise InputError("no such project folder.", path=folder)
        self.folder, self.base = folder, base
        self.meta = read_project_yaml(folder)
        if not self.meta.get("slug"):
            raise InputError("project.yaml is missing or has no slug.", path=folder / "project.yaml")
        self.slug = str(self.meta["slug"])
        self.codes = read_table(folder / "codebook.csv", columns=["code", "label"])
        if not (folder / "codebook.csv").exists():
            raise InputError("no codebook.csv.", path=folder)
        self.cases = read_table(folder / "cases.csv", columns=["dimension", "case", "label"])
        self.attributes = read_table(folder / "case_attributes.csv", columns=["cases", "attribute", "value"])
        self.notes = read_table(folder / "notes.csv", columns=["about", "text"])
        self.source_table = read_table(folder / "sources.csv", columns=["source_document", "guid", "file"])
        self.evidence: list[tuple[str, dict[str, str]]] = []
        for path in sorted((folder / "evidence").glob("*")):
            if path.suffix.lower() == ".csv":
                self.evidence += [(path.name, r) for r in read_table(path, columns=[]).data()]
            elif path.suffix.lower() == ".xlsx":
                self.evidence += [(path.name, r) for r in _xlsx_rows(path)]
        self._label_index = {}
        for row in self.codes.data():
            for key in [row["code"], row.get("label", "")] + split_list(row.get("alt_labels", "")):
                self._label_index.setdefault(" ".join(key.lower().split()), row)
        self.dois = {s.key: s.doi for s in read_studies(folder) if s.doi}
        self.dims = sorted({r["dimension"] for r in self.cases.data()})

    def code_row(self, ref: str, row: dict[str, str]) -> dict[str, str]:
        found = self._label_index.get(" ".join(ref.lower().split()))
        if found is None:
            raise InputError(f"code {ref!r} is not in codebook.csv.", path=self.folder / "evidence")
        return found

    def code_guid(self, row: dict[str, str]) -> str:
        return row.get("guid", "").strip() or derived_guid(self.base, self.slug, "code", row["code"])

    def case_guid(self, row: dict[str, str]) -> str:
        return row.get("guid", "").strip() or derived_guid(self.base, self.slug, "case", row["dimension"], row["case"])

    def note_guid(self, row: dict[str, str]) -> str:
        return row.get("guid", "").strip() or derived_guid(self.base, self.slug, "note", note_key(row))

    def users(self) -> dict[str, str]:
        names = [r.get("coder", "") for _, r in self.evidence] + [r.get("author", "") for r in self.notes.data()]
        return {n: derived_guid(self.base, self.slug, "coder", slug(n) or n) for n in sorted(set(names)) if n}

    def notes_by_about(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for row in self.notes.data():
            out.setdefault(row.get("about", "").strip() or "project", []).append(self.note_guid(row))
        return out

    def variables(self, out: ExportReport) -> dict[str, tuple[str, str]]:
        found: dict[str, tuple[str, str]] = {}
        for row in self.attributes.data():
            if len(split_list(row.get("cases", ""))) != 1:
                out.report.append(ReportItem("not exported", f"case_attributes.csv, {row.get('cases')!r} "
                                             f"{row.get('attribute')!r}", "a value of a combination of cases: a "
                                             "REFI-QDA variable belongs to one case"))
                continue
            type_ = TYPES.get((row.get("datatype") or "").strip()) or (
                "Integer" if re.fullmatch(r"-?\d+", row.get("value", "").strip()) else "Text")
            found.setdefault(row["attribute"], (derived_guid(self.base, self.slug, "variable", row["attribute"]),
                                                type_))
        return found

    def values_of(self, case_row: dict[str, str]) -> list[tuple[str, str]]:
        me = f"{case_row['dimension']}:{case_row['case']}"
        return [(r["attribute"], r.get("value", "")) for r in self.attributes.data()
                if split_list(r.get("cases", "")) == [me]]

    def sources(self, out: ExportReport) -> tuple[list[dict], dict[tuple[str, str], list[str]]]:
        """One text source per source document (else per study): its own text where the folder keeps it and
        every excerpt is found at its positions, else the excerpts themselves, one paragraph each."""
        groups: dict[str, list[dict[str, str]]] = {}
        for _, row in self.evidence:
            name = (row.get("source_document") or "").strip() or (row.get("studies") or "").strip() or "excerpts"
            groups.setdefault(name, []).append(row)
        kept = {r.get("source_document", ""): r for r in self.source_table.data()}
        selection_of: dict[tuple[str, str], list[str]] = {}
        sources = []
        for name, rows in groups.items():
            srow = kept.get(name, {})
            text = self._source_text(srow, rows)
            placed = []
            if text is not None:
                placed = [(r, int(r["start"]), int(r["end"])) for r in rows]
            else:
                parts, pos = [], 0
                for r in rows:
                    t = r.get("text", "")
                    placed.append((r, pos, pos + len(t)))
                    parts.append(t)
                    pos += len(t) + 2
                text = "\n\n".join(parts)
            guid = srow["guid"].strip() if GUID_RE.fullmatch(srow.get("guid", "").strip()) else derived_guid(self.base, self.slug, "source",
                                                                               slug(name) or name)
            entries = []
            for r, start, end in placed:
                rid = excerpt_id(r)
                sel_guid = rid if GUID_RE.fullmatch(rid) else derived_guid(self.base, self.slug, "excerpt", rid)
                entries.append((r, start, end, sel_guid))
                for dim in self.dims:
                    for case in split_list(r.get(dim, "")):
                        selection_of.setdefault((dim, self._case_id(dim, case)), []).append(sel_guid)
            studies = split_list(rows[0].get("studies", ""))
            study = srow.get("study") or (studies[0] if len(studies) == 1 else "")
            sources.append({"guid": guid, "name": name, "text": text, "rows": entries, "study": study,
                            "doi": srow.get("doi") or self.dois.get(study, "")})
        return sources, selection_of

    def _case_id(self, dim: str, ref: str) -> str:
        for row in self.cases.data():
            if row["dimension"] == dim and ref.lower() in (row["case"].lower(), row.get("label", "").lower()):
                return row["case"]
        return ref

    def _source_text(self, srow: dict[str, str], rows: list[dict[str, str]]) -> str | None:
        file = (srow.get("file") or "").strip()
        if not file or "/" in file.removeprefix("sources/") or ".." in file:
            return None
        path = self.folder / file
        if not path.is_file():
            return None
        text = path.read_bytes().decode("utf-8")
        for r in rows:
            try:
                start, end = int(r.get("start", "")), int(r.get("end", ""))
            except ValueError:
                return None
            if not 0 <= start <= end <= len(text) or text[start:end] != r.get("text", ""):
                return None
        return text

    def unexported(self) -> list[ReportItem]:
        out = []
        for name, what in (("code_attributes.csv", "code attributes"), ("mappings.csv", "mappings to frameworks"),
                           ("case_studies.csv", "the studies of each case"), ("findings.csv", "findings"),
                           ("appraisals.csv", "appraisals"), ("cerqual.csv", "CERQual assessments")):
            if (self.folder / name).exists():
                out.append(ReportItem("not exported", name, f"REFI-QDA has no place for {what}"))
        if any((self.folder / "bibliography").glob("*")):
            out.append(ReportItem("not exported", "bibliography/", "REFI-QDA has no place for bibliographic "
                                  "records; sources are named after their studies"))
        return out


def _xlsx_rows(path: Path) -> list[dict[str, str]]:
    from openpyxl import load_workbook
    sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
    rows = [["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    rows = [r for r in rows if any(c.strip() for c in r) and not r[0].startswith("#")]
    if not rows:
        return []
    header = [h.strip() for h in rows[0]]
    return [dict(zip(header, r)) for r in rows[1:]]
