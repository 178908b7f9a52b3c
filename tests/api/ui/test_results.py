"""Result tables for people: headings from the question's `# column:` lines or from the variable names."""

from imri_kg.api.ui.results import Outcome, to_heading, to_table
from imri_kg.questions import Column

B = "https://w3id.org/imri/"


def test_headings_are_words_made_from_variable_names():
    assert to_heading("studyGroupLabel") == "Study group"
    assert to_heading("themeLabel") == "Theme"
    assert to_heading("citations") == "Citations"
    assert to_heading("CFIRCode") == "CFIR code"


def test_a_table_for_people_hides_the_label_column_and_uses_the_column_titles():
    outcome = Outcome(200, ["group", "groupLabel", "citations"], [
        {"group": {"type": "uri", "value": B + "group/staff-training"},
         "groupLabel": {"type": "literal", "value": "Staff training"},
         "citations": {"type": "literal", "value": "2"}}])
    html = to_table(outcome, base=B, caption="Groups", human=True,
                    columns=(Column("citations", "Studies cited", "distinct references cited"),))
    assert '<th scope="col">Group</th><th scope="col">Studies cited</th></tr>' in html
    assert '<a href="/group/staff-training" title="' + B + 'group/staff-training">Staff training</a>' in html
    assert "<dt>Studies cited</dt><dd>distinct references cited</dd>" in html
    raw = to_table(outcome, base=B)  # the SPARQL editor: variables as they are
    assert '<th scope="col">groupLabel</th>' in raw
