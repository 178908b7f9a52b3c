"""`imri-kg init DIR`: an empty review project, every file saying what it is for, with one example row each,
marked with `#` so that it is never imported."""

from pathlib import Path

from imri_kg.errors import InputError
from imri_kg.findings.records import TEMPLATES
from imri_kg.projects.lookup import slugify

PROJECT_YAML = """\
# project.yaml: what this review is. slug is used in the IRIs of everything in the project
# (https://w3id.org/imri/project/SLUG/...): lowercase letters, digits and hyphens; keep it once published.
# Format of the whole folder: examples/README.md of imri-kg. Optional: views/*.rq, SPARQL CONSTRUCT queries that
# state your records again in a vocabulary of your own (graph project/SLUG/view; see "Views" there).
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
         "codable false = a code that only groups others. Required: code, label."],
        ["code", "label", "alt_labels", "definition", "parent", "level", "notation", "color", "codable", "notes"],
        ["#T1", "Example theme", "Example;Sample theme", "What the code means.", "", "theme", "1", "#1F77B4",
         "true", "Example row: it starts with # and is never imported."]),
    "code_attributes.csv": (
        ["code_attributes.csv: one value of an attribute of a code (several rows = several possible values).",
         "Required: code, attribute, value. confidence: high, medium or low; basis: why."],
        ["code", "attribute", "value", "confidence", "basis", "source"],
        ["#T1", "scope", "innovation", "medium", "Example row, never imported.", ""]),
    "mappings.csv": (
        ["mappings.csv: a code mapped to a framework concept in the store, e.g. cfir2009:III.E.1 (a CURIE:",
         "prefix = the framework, then its notation, slug or label) or an IRI; predicate skos:exactMatch,",
         "closeMatch, broadMatch, narrowMatch or relatedMatch. Required: code, predicate, target, justification."],
        ["code", "predicate", "target", "justification", "confidence", "author", "comment"],
        ["#T1", "skos:relatedMatch", "cfir2009:III.E.1", "Why the code maps to the construct.", "0.8", "", ""]),
    "dimensions.csv": (
        ["dimensions.csv: one row per case dimension (innovation group, site, stakeholder group, country, ...).",
         "dimension = an id, also the name of the evidence column that gives cases of it. Required: dimension, label."],
        ["dimension", "label", "definition"],
        ["#site", "Site", "Where the innovation was implemented."]),
    "cases.csv": (
        ["cases.csv: one row per case of a dimension; case = an id unique within its dimension.",
         "Required: dimension, case, label."],
        ["dimension", "case", "label", "alt_labels", "definition", "parent", "notes", "source"],
        ["#site", "site-a", "Site A", "", "", "", "Example row, never imported.", ""]),
    "case_studies.csv": (
        ["case_studies.csv: the studies of one case (a review's Table 2). studies = citation keys, DOIs or",
         "reference numbers: 85;88 or [85, 88]. Required: dimension, case, studies."],
        ["dimension", "case", "studies"],
        ["#site", "site-a", "smith2019;10.5555/example"]),
    "case_attributes.csv": (
        ["case_attributes.csv: one value of a case or of a combination of cases, e.g. participants of one site",
         "and stakeholder group. cases = dimension:case;dimension:case. Required: cases, attribute, value."],
        ["cases", "attribute", "value", "datatype", "notes", "source"],
        ["#site:site-a", "participants", "6", "integer", "Example row, never imported.", ""]),
    "notes.csv": (
        ["notes.csv: notes and memos. about = project, code:ID, case:DIMENSION:ID, study:KEY or excerpt:ID.",
         "kind = note, memo or uncertainty. Required: about, text."],
        ["about", "text", "author", "date", "kind"],
        ["#project", "Example note, never imported.", "", "2024-01-31", "note"]),
    "evidence/evidence.csv": (
        ["evidence/*.csv or *.xlsx: one coded excerpt per row. Add one column per dimension id of dimensions.csv",
         "(its cases by id or label). codes = code ids or labels; studies = citation keys, DOIs or reference",
         "numbers (85;88;89, 85, 88 or [85, 88]). id = a stable row id: editing the row and importing again",
         "updates it. Required: codes, studies, text."],
        ["id", "codes", "studies", "text", "language", "location", "coder", "date", "notes", "attribution"],
        ["#e1", "T1", "smith2019", "The words of the excerpt.", "en", "p. 4", "Your name", "2024-01-31",
         "Example row, never imported.", ""]),
    **TEMPLATES,  # findings.csv, appraisals.csv, cerqual.csv
}

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
    for name, (comments, header, example) in FILES.items():
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
