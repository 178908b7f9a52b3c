"""`imri-kg init DIR` (projects/template.py) writes every file the project reader accepts, each saying what it is for
in its first lines, with one example row that is never imported; uncommented, each example is a row the reader takes.
"""

import re

from imri_kg.namespaces import IMRI, PROV, RDF, SKOS
from imri_kg.projects.folder import read_project
from imri_kg.projects.graph import project_graph
from imri_kg.projects.loading import import_project
from imri_kg.projects.template import write_project_template
from tests.projects.helpers import BASE, fresh_store

# Every file of examples/README.md ("Files") but documents/ and views/, whose contents are imported as they are.
FILES = ["appraisal_criteria.csv", "appraisal_tools.csv", "appraisals.csv", "attribute_values.csv",
         "bibliography/numbers.csv", "bibliography/studies.bib", "case_attributes.csv", "case_studies.csv", "cases.csv",
         "cerqual.csv", "code_attributes.csv", "codebook.csv", "dimensions.csv", "evidence/evidence.csv",
         "findings.csv", "framework_additions.csv", "mappings.csv", "notes.csv", "parts.csv", "project.yaml", "questions.csv", "references.csv"]
BIB = ("@article{smith2019, author = {Smith, Jane}, title = {An example study}, journal = {Example Journal},\n"
       "  year = {2019}, doi = {10.5555/example}, refnumber = {1}}\n")


def test_init_writes_every_file_the_reader_accepts_each_explained_with_one_commented_example(tmp_path):
    folder = tmp_path / "mine"
    written = write_project_template(folder, title="Mine")
    assert sorted(p.relative_to(folder).as_posix() for p in written) == FILES
    for path in written:
        if path.suffix != ".csv":
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        says = "evidence/*.csv or *.xlsx" if path.parent.name == "evidence" else path.relative_to(folder).as_posix()
        assert lines[0].startswith(f"# {says}: "), path.name
        header = next(n for n, line in enumerate(lines) if not line.startswith("# "))
        assert header == len(lines) - 2 and lines[-1].startswith("#") and not lines[-1].startswith("# "), path.name
    # the columns the reader takes beyond the required ones, as examples/README.md lists them
    first = {p.name: p.read_text(encoding="utf-8").splitlines()[-2] for p in written if p.suffix == ".csv"}
    assert first["attribute_values.csv"] == "attribute,value,label,definition,source,order"
    assert first["questions.csv"] == "number,text,note,source"
    assert first["references.csv"] == "number,source,named_as,named_in,identifier,basis"
    assert first["parts.csv"] == "part,label"
    assert first["framework_additions.csv"] == "id,label,framework,parent,definition,source"
    assert first["notes.csv"] == "about,text,author,date,kind,id,mark,source"
    assert first["case_attributes.csv"] == "cases,attribute,value,datatype,notes,source,footnotes,basis,confidence,id"
    assert first["evidence.csv"] == ("id,codes,studies,text,language,location,coder,date,notes,attribution,start,end,"
                                     "source_document,codes_as_printed")
    # the part and the reference name the project's own slug
    assert (folder / "parts.csv").read_text(encoding="utf-8").splitlines()[-1].startswith("#mine#table-1,")


def test_the_examples_are_never_imported(tmp_path):
    folder = tmp_path / "mine"
    write_project_template(folder, title="Mine")
    store = fresh_store()
    imported = import_project(store, folder)
    assert imported.written and imported.after == {"codes": 0, "cases": 0, "case attributes": 0, "studies": 0,
                                                   "excerpts": 0, "mappings": 0, "triples": imported.after["triples"]}
    data = project_graph("mine", "data")
    kinds = {q.object.value for q in store.quads_for_pattern(None, RDF.type, None, data)}
    assert kinds == {IMRI.ReviewProject.value, IMRI.Codebook.value, SKOS.ConceptScheme.value, PROV.Entity.value}


def test_each_example_uncommented_is_a_row_the_reader_takes(tmp_path):
    folder = tmp_path / "mine"
    write_project_template(folder, title="Mine")
    for path in [*folder.glob("*.csv"), *folder.glob("*/*.csv")]:
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"^#(?=\S)", "", text, flags=re.MULTILINE), encoding="utf-8")
    (folder / "bibliography" / "studies.bib").write_text(BIB, encoding="utf-8")
    project = read_project(folder, store=fresh_store())
    assert [str(p) for p in project.problems.items] == []
    assert project.counts() == {"codes": 1, "dimensions": 1, "cases": 1, "case attributes": 1, "studies": 1,
                                "excerpts": 1, "mappings": 1, "notes": 1,
                                "framework additions": 1}
    assert (len(project.code_attributes), len(project.parts), len(project.references), len(project.questions)) == (
        1, 1, 1, 1)
    assert {a: list(v) for a, v in project.attribute_values.items()} == {"scope": ["innovation"]}
    assert [(a.id, a.parent, a.top) for a in project.additions] == [
        ("example-construct", BASE + "cfir2009/implementation-climate", BASE + "cfir2009/inner-setting")]
    assert project.studies.find("1") == "smith2019"  # numbers.csv agrees with the BibTeX refnumber
    assert project.parts[0].id == "mine#table-1" and project.references[0].source == "mine#table-1"
