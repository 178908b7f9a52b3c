"""`imri-kg init` writes findings.csv, appraisals.csv and cerqual.csv with their example rows commented out; the
examples, uncommented, are rows the checks take (only the appraisal, one answer of six, is incomplete)."""

import re

from click.testing import CliRunner

from imri_kg.cli import cli

BIB = ("@article{smith2019, author = {Smith, Jane}, title = {An example study}, journal = {Example Journal},\n"
       "  year = {2019}, doi = {10.5555/example}, refnumber = {1}}\n")


def test_init_writes_the_findings_templates_whose_examples_are_never_imported(tmp_path):
    folder = tmp_path / "mine"
    assert CliRunner().invoke(cli, ["init", str(folder), "--title", "Mine"]).exit_code == 0
    lines = {name: (folder / name).read_text(encoding="utf-8").splitlines()
             for name in ("findings.csv", "appraisals.csv", "cerqual.csv")}
    assert {name: (text[-2], text[-1][:20]) for name, text in lines.items()} == {
        "findings.csv": ("id,statement,codes,cases,excerpts,studies,notes", "#F1,The summary of t"),
        "appraisals.csv": ("study,tool,category,criterion,answer,comment,appraiser,date", "#smith2019,mmat2018,"),
        "cerqual.csv": (("finding,methodological_limitations,methodological_limitations_explanation,coherence,"
                        "coherence_explanation,adequacy,adequacy_explanation,relevance,relevance_explanation,"
                        "confidence,confidence_explanation,assessor,date,agreed"), "#F1,no or very minor")}


def test_the_example_rows_uncommented_are_taken_by_the_checks(tmp_path):
    folder = tmp_path / "mine"
    CliRunner().invoke(cli, ["init", str(folder), "--title", "Mine"])
    for path in [*folder.glob("*.csv"), *folder.glob("evidence/*.csv")]:
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"^#(?=\S)", "", text, flags=re.MULTILINE), encoding="utf-8")
    (folder / "bibliography" / "studies.bib").write_text(BIB, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(folder)])
    assert (result.exit_code, result.output.splitlines()) == (1, [
        ('appraisals.csv, row 5, column "criterion": the appraisal of smith2019 has no answer for criteria S1, S2, '
        '1.2, 1.3, 1.4, 1.5 of its category "Qualitative": answer each (Can\'t tell is an answer).'),
        "mine: does not conform: 1 problem(s), 0 warning(s) in 1 file(s)."])
