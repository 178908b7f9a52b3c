"""Breaker 13h: a project folder whose printed total does not add up passes `imri-kg validate DIR` and
`imri-kg import DIR` (issue 13, item 1: "cross-record rules (totals against their cells ...) are evaluated over
everything they concern"; the issue's second reproduction, a printed site total whose cells add up to less).

A project's views (views/*.rq) state the triples that go into its view graph: for examples/piat2022, Table 1's
cells (imri:ParticipantCount) and printed totals (imri:PrintedTotal), built from case_attributes.csv. The project
check validates the data and mappings graphs only (projects/checks.py: `validate_records(..., graph.quads)`, and
ProjectGraph.quads is data + mappings), never the 1,833 view triples, which the import then writes. Here Quebec's
printed total is changed from 21 to 99: the shapes' PrintedTotalShape (shapes/study-sites.ttl) breaks on the view
triples ("... add up to 21 ... but the printed total is 99."), yet the folder "conforms" and would be imported;
`imri-kg check` finds it only afterwards.

What a fix should do: validate the view triples with the data and mappings (they are what the import writes),
and locate their results in the file the view read (here case_attributes.csv).
The edited value is fictional; the folder is a copy of the shipped example.
"""

import shutil

from click.testing import CliRunner
from pyoxigraph import Store

from imri_kg.cli import cli
from imri_kg.projects.checks import check_project
from tests.projects.test_example_piat2022 import EXAMPLE

MESSAGE = ("The participant counts of https://w3id.org/imri/site/quebec add up to 21 (counting each shared "
           "participant once, in the total of the site that counts them), but the printed total is 99.")


def _edited(tmp_path):
    folder = tmp_path / "piat2022"
    shutil.copytree(EXAMPLE, folder)
    path = folder / "case_attributes.csv"
    text = path.read_text(encoding="utf-8")
    assert text.count("site:quebec,participants (printed total),21,") == 1
    path.write_text(text.replace("site:quebec,participants (printed total),21,",
                                 "site:quebec,participants (printed total),99,"), encoding="utf-8")
    return folder


def test_an_inconsistent_printed_total_in_a_view_is_a_problem(kb, tmp_path):
    store = Store()
    store.extend(kb)
    check = check_project(_edited(tmp_path), store=store)
    assert check.conforms is False  # on main: True, 0 problems
    assert [MESSAGE in str(p) for p in check.problems.errors] == [True]


def test_validate_dir_exits_1(tmp_path):
    done = CliRunner().invoke(cli, ["validate", str(_edited(tmp_path))])
    assert done.exit_code == 1, done.output  # on main: 0, "piat2022: conforms (...)"
    assert MESSAGE in done.output
