"""The papers' library questions read each row's project from the data, not from the question's text.

A renamed copy of each example project (every "piat2021" of its folder read as "copy2021", "piat2022" as "copy2022";
the copy of the review leaves out Table 5's two E-innovations rows, the copy of the IMRI study the Managers' quote
"deeper-relationships") is imported beside the papers. Its views then build <study/copy2021>, its parts and its
citations: its rows must come back labelled with its own slug, counted from its own rows, and `?project=copy2021`
must return only them. Expected rows come from TABLE5 (test_library.py) and the IMRI quotes, by hand.
"""

import shutil
from pathlib import Path

import pytest
from pyoxigraph import Store

from imri_kg.kb.build import build_store
from imri_kg.projects.loading import import_project
from imri_kg.questions import library, rows, run
from imri_kg.questions.params import to_bindings
from imri_kg.resources import EXAMPLES_DIR
from tests.questions.test_aggregates import assert_same_as_sparql
from tests.questions.test_library import BM, IG, IR, OC, TABLE5, E

MANAGERS = ["accompanied-by-equals", "critically-evaluate-what-we-are-doing", "deeper-relationships",
            "less-punitive-boundaries", "staff-reluctant-at-the-beginning"]


def renamed_copy(slug: str, new: str, into: Path, *, drop: str) -> Path:
    """The example project `slug` as a reviewer's renamed copy, without the evidence rows whose id starts `drop`."""
    folder = into / new
    shutil.copytree(EXAMPLES_DIR / slug, folder)
    for f in folder.rglob("*"):
        if f.is_file():
            lines = f.read_text(encoding="utf-8").replace(slug, new).splitlines(keepends=True)
            if f.parent.name == "evidence":
                lines = [line for line in lines if not line.startswith(drop)]
            f.write_text("".join(lines), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    into = tmp_path_factory.mktemp("copies")
    store = build_store()
    for slug, new, drop in (("piat2021", "copy2021", "e-innovations--"), ("piat2022", "copy2022", "deeper-")):
        imported = import_project(store, renamed_copy(slug, new, into, drop=drop))
        assert imported.written, [str(p) for p in imported.check.problems.items]
    return store


def ask(store: Store, name: str, **values: str) -> list[dict[str, str]]:
    question = library()[name]
    return rows(run(store, question.sparql, bindings=to_bindings(store, question, values)))


def test_table5_cells_of_the_paper_and_of_its_copy(store):
    got = {(r["project"], r["groupLabel"], r["themeLabel"]): int(r["citations"])
           for r in ask(store, "themes-by-innovation-group")}
    expected = {("piat2021", g, t): len(refs) for (g, t), refs in TABLE5.items()}
    expected |= {("copy2021", g, t): len(refs) for (g, t), refs in TABLE5.items() if g != E}
    assert len(expected) == 25 + 23 and got == expected
    only = ask(store, "themes-by-innovation-group", project="copy2021")
    assert {r["project"] for r in only} == {"copy2021"} and len(only) == 23
    assert ask(store, "themes-by-innovation-group", project="copy2021", group=E) == []
    # the copy's citations are its own: [85] in copy2021, not the review's [85]
    peer = ask(store, "evidence-for-theme-in-group", project="copy2021")
    assert sorted(int(r["reference"]) for r in peer) == sorted(TABLE5[("Peer workers", IR)])
    assert {r["work"].rsplit("/", 1)[1].split("-ref-")[0] for r in peer} == {"copy2021"}


def test_cross_cutting_themes_are_counted_per_project(store):
    # Without E-innovations the copy's organisational commitment spans 3 groups (P, R, T) and interpersonal
    # relationships 5; information gaps (no E-innovations cell) and the biomedical approach are as in the review.
    got = [(r["project"], r["themeLabel"], int(r["groups"])) for r in ask(store, "cross-cutting-themes")]
    assert got == [("piat2021", IR, 6), ("copy2021", IG, 5), ("piat2021", IG, 5), ("copy2021", IR, 5),
                   ("piat2021", OC, 4), ("copy2021", BM, 4), ("piat2021", BM, 4)]
    assert [(r["themeLabel"], int(r["groups"])) for r in ask(store, "cross-cutting-themes", project="copy2021")] == [
        (IG, 5), (IR, 5), (BM, 4)]


def test_quotes_of_the_paper_and_of_its_copy(store):
    got: dict[tuple[str, str], int] = {}
    for r in ask(store, "quotes-by-stakeholder-group"):
        got[(r["project"], r["stakeholderGroupLabel"])] = got.get((r["project"], r["stakeholderGroupLabel"]), 0) + 1
    assert got == {("piat2022", "Managers"): 5, ("piat2022", "Service providers"): 11,
                   ("piat2022", "Tenants / service users"): 8, ("copy2022", "Managers"): 4,
                   ("copy2022", "Service providers"): 11, ("copy2022", "Tenants / service users"): 8}
    managers = ask(store, "quotes-by-stakeholder-group", project="copy2022", stakeholderGroup="Managers")
    assert [r["quote"].rsplit("/", 1)[1] for r in managers] == [m for m in MANAGERS if m != "deeper-relationships"]
    assert {r["project"] for r in managers} == {"copy2022"}


def test_the_copy_of_the_imri_study_answers_its_own_setting_questions(store):
    guide = ask(store, "interview-guide", project="copy2022")
    assert [(r["project"], r["number"]) for r in guide] == [("copy2022", str(n)) for n in range(1, 6)]
    # Table 1 is the same in the copy: the same 15 totals, each once per project
    totals = ask(store, "participant-totals")
    assert sorted(r["project"] for r in totals) == ["copy2022"] * 15 + ["piat2022"] * 15
    key = [(r["kind"], r["totalLabel"], r["derived"], r["printed"]) for r in totals]
    assert sorted(k for k, r in zip(key, totals, strict=True) if r["project"] == "copy2022") == \
        sorted(k for k, r in zip(key, totals, strict=True) if r["project"] == "piat2022")
    assert ask(store, "participant-totals", project="copy2021") == []


def test_the_maintained_aggregates_answer_per_project_as_sparql_does(store):
    assert assert_same_as_sparql(store) > 50
