"""The papers a release and the home page cite are the published example projects, read from their project.yaml."""

import shutil

from imri_kg.publish.release import to_citation_cff
from imri_kg.publish.sources import SourcePaper, source_papers
from imri_kg.resources import EXAMPLES_DIR


def test_the_papers_are_the_example_projects_in_folder_order():
    assert source_papers() == [
        SourcePaper("Factors influencing the implementation of mental health recovery into services: a systematic "
                    "mixed studies review", ("Piat M", "Wainwright M", "Sofouli E", "Vachon B", "Deslauriers T",
                                             "Préfontaine C", "Frati F"),
                    "2021", "10.1186/s13643-021-01646-0", "Systematic Reviews 2021;10:134", "Systematic Reviews", "10",
                    "134"),
        SourcePaper("The impacts of implementing recovery innovations: a conceptual framework grounded in qualitative "
                    "research", ("Piat M", "Wainwright M", "Rivest M-P", "Sofouli E", "von Kirchenheim T", "Albert H",
                                 "Casey R", "Labonté L", "O'Rourke JJ", "LeBlanc S"),
                    "2022", "10.1186/s13033-022-00559-2", "International Journal of Mental Health Systems 2022;16:49",
                    "International Journal of Mental Health Systems", "16", "49")]
    cff = to_citation_cff(version="1.0", issued="2026-11-27")
    assert cff.count("  - type: article") == 2
    assert '    journal: "Systematic Reviews"\n    year: 2021\n    volume: "10"\n' in cff
    assert '      - family-names: "von Kirchenheim"\n        given-names: "T"\n' in cff


def test_a_fictional_project_is_not_cited_and_another_citation_is_kept_as_given(tmp_path):
    shutil.copytree(EXAMPLES_DIR / "piat2021", tmp_path / "a-review")
    yaml = tmp_path / "a-review" / "project.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace('citation: "Systematic Reviews 2021;10:134"',
                                                              'citation: "Preprint, 2021"'), encoding="utf-8")
    shutil.copytree(EXAMPLES_DIR / "piat2022", tmp_path / "b-made-up")
    yaml = tmp_path / "b-made-up" / "project.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("fictional: false", "fictional: true"), encoding="utf-8")
    (paper,) = source_papers(tmp_path)
    assert (paper.citation, paper.journal, paper.volume, paper.where) == ("Preprint, 2021", "", "", "Preprint, 2021")
