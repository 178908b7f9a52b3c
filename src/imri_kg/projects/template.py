"""`imri-kg init DIR`: an empty review project, every file saying what it is for, with one example row each,
marked with `#` so that it is never imported."""

from pathlib import Path

from imri_kg.errors import InputError
from imri_kg.findings.records import TEMPLATES
from imri_kg.projects.lookup import slugify

PROJECT_YAML = """\
# project.yaml: what this review is. slug is used in the IRIs of everything in the project
# (https://w3id.org/imri/project/SLUG/...): lowercase letters, digits and hyphens; keep it once published.
# Format of the whole folder: examples/README.md of imri-kg. Every other file here is optional but the codebook;
# delete the ones you do not need. Also optional, not written here: documents/*.md or *.txt (project documentation,
# such as a protocol, imported as they are) and views/*.rq, SPARQL CONSTRUCT queries that state your records again
# in a vocabulary of your own (graph project/SLUG/view; see "Views" there).
slug: {slug}
title: {title}
authors: []          # e.g. [Ana Author, Ben Author]
year:                # e.g. 2024
doi:                 # the review's DOI, once published
licence: CC-BY-4.0   # an SPDX id or a licence IRI
version: "0.1"
description:
fictional: false     # true for made-up test data
"""

PLACEHOLDER_TITLE = "My review (edit this title)"  # validate warns while it is left as it is

# file -> (comment lines, header, example row). The example row starts with '#', so it is never imported.
FILES = {
    "codebook.csv": (
        ["codebook.csv: one row per code. code = an id unique in the project (letters, digits, . _ - ~);",
         "parent = the id of the code above it; level = a word such as theme or category; lists use ;",
         "codable false = a code that only groups others; order = its place in your source's own listing;",
         "guid = its REFI-QDA GUID; source = where it comes from (e.g. a part of parts.csv). Required: code, label."],
        ["code", "label", "alt_labels", "definition", "parent", "level", "notation", "color", "codable", "notes",
         "order", "guid", "source"],
        ["#T1", "Example theme", "Example;Sample theme", "What the code means.", "", "theme", "1", "#1F77B4",
         "true", "Example row: it starts with # and is never imported.", "1", "", ""]),
    "code_attributes.csv": (
        ["code_attributes.csv: one value of an attribute of a code (several rows = several possible values).",
         "Required: code, attribute, value. confidence: high, medium or low; basis: why."],
        ["code", "attribute", "value", "confidence", "basis", "source"],
        ["#T1", "scope", "innovation", "medium", "Example row, never imported.", ""]),
    "attribute_values.csv": (
        ["attribute_values.csv: the values a code attribute may take (its vocabulary), one row each. When an",
         "attribute has values here, every code_attributes.csv row of it must give one of them (by value or label).",
         "value = letters, digits, . _ ~ -. Required: attribute, value, label."],
        ["attribute", "value", "label", "definition", "source", "order"],
        ["#scope", "innovation", "Innovation", "Example row, never imported: what the value means.", "", "1"]),
    "mappings.csv": (
        ["mappings.csv: a code mapped to a framework concept in the store, e.g. cfir2009:III.E.1 (a CURIE:",
         "prefix = the framework, then its notation, slug or label) or an IRI; predicate skos:exactMatch,",
         "closeMatch, broadMatch, narrowMatch or relatedMatch. Required: code, predicate, target, justification."],
        ["code", "predicate", "target", "justification", "confidence", "author", "comment", "target_as_printed"],
        ["#T1", "skos:relatedMatch", "cfir2009:III.E.1", "Why the code maps to the construct.", "0.8", "", "", ""]),
    "framework_additions.csv": (
        ["framework_additions.csv: a concept your review adds to a framework in the store (e.g. a construct added",
         "to CFIR 2009). id = lowercase letters, digits and hyphens; framework = the scheme's slug (cfir2009), label",
         "or IRI; parent = the framework's concept it sits under, by notation (III.D), label or IRI, or another row",
         "as addition:ID. Map codes to it in mappings.csv as addition:ID. Required: id, label, framework, parent."],
        ["id", "label", "framework", "parent", "definition", "source"],
        ["#example-construct", "Example construct", "cfir2009", "III.D",
         "Example row, never imported: what the added construct covers.", ""]),
    "dimensions.csv": (
        ["dimensions.csv: one row per case dimension (innovation group, site, stakeholder group, country, ...).",
         "dimension = an id, also the name of the evidence column that gives cases of it. Required: dimension, label."],
        ["dimension", "label", "definition"],
        ["#site", "Site", "Where the innovation was implemented."]),
    "cases.csv": (
        ["cases.csv: one row per case of a dimension; case = an id unique within its dimension; order = its place",
         "in your source's own listing. Required: dimension, case, label."],
        ["dimension", "case", "label", "alt_labels", "definition", "parent", "notes", "source", "order"],
        ["#site", "site-a", "Site A", "", "", "", "Example row, never imported.", "", "1"]),
    "case_studies.csv": (
        ["case_studies.csv: the studies of one case (a review's Table 2). studies = citation keys, DOIs or",
         "reference numbers: 85;88 or [85, 88]. Required: dimension, case, studies."],
        ["dimension", "case", "studies"],
        ["#site", "site-a", "smith2019;10.5555/example"]),
    "case_attributes.csv": (
        ["case_attributes.csv: one value of a case or of a combination of cases, e.g. participants of one site",
         "and stakeholder group. cases = dimension:case;dimension:case; value N/A = does not apply; datatype:",
         "integer, count, decimal, string, boolean or date; footnotes = ids of notes.csv; basis and confidence",
         "(high, medium, low) where the source does not state the value; id = a stable id.",
         "Required: cases, attribute, value."],
        ["cases", "attribute", "value", "datatype", "notes", "source", "footnotes", "basis", "confidence", "id"],
        ["#site:site-a", "participants", "6", "count", "Example row, never imported.", "", "", "", "", ""]),
    "notes.csv": (
        ["notes.csv: notes and memos. about = project, code:ID, case:DIMENSION:ID, study:KEY, excerpt:ID or",
         "part:ID (parts.csv). kind = note, memo, uncertainty or footnote; id = a stable id; mark = a footnote's",
         "mark as printed. Required: about, text."],
        ["about", "text", "author", "date", "kind", "id", "mark", "source"],
        ["#project", "Example note, never imported.", "", "2024-01-31", "note", "", "", ""]),
    "evidence/evidence.csv": (
        ["evidence/*.csv or *.xlsx: one coded excerpt per row. Add one column per dimension id of dimensions.csv",
         "(its cases by id or label). codes = code ids or labels; studies = citation keys, DOIs or reference",
         "numbers (85;88;89, 85, 88 or [85, 88]). id = a stable row id: editing the row and importing again",
         "updates it. start, end = code-point positions in source_document; codes_as_printed = the codes as the",
         "source names them there. Required: codes, studies, text."],
        ["id", "codes", "studies", "text", "language", "location", "coder", "date", "notes", "attribution",
         "start", "end", "source_document", "codes_as_printed"],
        ["#e1", "T1", "smith2019", "The words of the excerpt.", "en", "p. 4", "Your name", "2024-01-31",
         "Example row, never imported.", "", "", "", "", ""]),
    "parts.csv": (
        ["parts.csv: the parts of a published source (a table, a section) that source columns name, e.g.",
         "SLUG#table-2. Required: part, label."],
        ["part", "label"],
        ["#{slug}#table-1", "Table 1: an example table (example row, never imported)"]),
    "references.csv": (
        ["references.csv: the numbered references of the project's own publication, when the project is itself a",
         "published paper. source = the part that cites it; named_as = how the text names the work; identifier",
         "e.g. doi:10.5555/example, with its basis. Required: number, source."],
        ["number", "source", "named_as", "named_in", "identifier", "basis"],
        ["#1", "{slug}#table-1", "Smith et al.", "", "doi:10.5555/example", "Example row, never imported."]),
    "questions.csv": (
        ["questions.csv: the questions of the project's interview guide or questionnaire, in order. number = a",
         "whole number of 1 or more; note = to whom or how it was asked. Required: number, text."],
        ["number", "text", "note", "source"],
        ["#1", "What changed for you since the programme began?", "Example row, never imported.", ""]),
    "appraisal_tools.csv": (
        ["appraisal_tools.csv: your own appraisal tools (MMAT 2018, mmat2018, is built in); each needs its",
         "criteria in appraisal_criteria.csv. Required: tool, label."],
        ["tool", "label", "citation", "doi"],
        ["#my-tool", "My appraisal tool (example row, never imported)", "", ""]),
    "appraisal_criteria.csv": (
        ["appraisal_criteria.csv: the criteria of the tools of appraisal_tools.csv. scale = the answers, separated",
         "by ;. category = the study design it applies to. Required: tool, criterion, question, scale."],
        ["tool", "criterion", "question", "scale", "category", "order"],
        ["#my-tool", "1", "Is the question of the study clear?", "Yes;No;Can't tell", "", "1"]),
    **TEMPLATES,  # findings.csv, appraisals.csv, cerqual.csv
}

NUMBERS = (["bibliography/numbers.csv: the review's own reference number of a study, where the bibliography does not",
            "carry it (BibTeX refnumber, RIS N1 refnumber: 85, CSL-JSON citation-number). Required: key, number."],
           ["key", "number"], ["#smith2019", "1"])

BIBTEX = """\
% bibliography/: the included studies as a reference manager exports them: BibTeX (.bib), RIS (.ris) or
% CSL-JSON (.json). The review's own reference number: BibTeX refnumber, RIS N1 "refnumber: 85",
% CSL-JSON citation-number, or bibliography/numbers.csv (key,number). Replace this file with your reference
% manager's export. An example entry (it starts with an at sign, left out here so that it is never imported):
%   article{smith2019, author = {Smith, Jane and Doe, Alex}, title = {An example study},
%     journal = {Example Journal}, year = {2019}, doi = {10.5555/example}, refnumber = {1}}
"""


def write_project_template(folder: Path, *, slug: str | None = None, title: str | None = None) -> list[Path]:
    """Write the empty project; refuses a folder that already has files, so nothing is overwritten."""
    import csv
    import io

    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise InputError("already has files; init writes a new project into an empty or new folder.", path=folder)
    slug = slug or slugify(folder.resolve().name) or "my-review"
    written = []
    (folder / "evidence").mkdir(parents=True, exist_ok=True)
    (folder / "bibliography").mkdir(exist_ok=True)
    path = folder / "project.yaml"
    path.write_text(PROJECT_YAML.format(slug=slug, title=title or PLACEHOLDER_TITLE), encoding="utf-8")
    written.append(path)
    for name, (comments, header, example) in {**FILES, "bibliography/numbers.csv": NUMBERS}.items():
        example = [cell.replace("{slug}", slug) for cell in example]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        for line in comments:
            out.write(f"# {line}\n")
        writer.writerow(header)
        writer.writerow(example)
        path = folder / name
        path.write_text(out.getvalue(), encoding="utf-8")
        written.append(path)
    path = folder / "bibliography" / "studies.bib"
    path.write_text(BIBTEX, encoding="utf-8")
    written.append(path)
    return written
