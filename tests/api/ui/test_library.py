"""The question pages: an empty answer says which parameter matched nothing."""


def test_an_empty_answer_names_the_parameter_that_matched_nothing(client):
    page = client.get("/ui/questions/groups-for-theme",
                      params={"theme": "theme/staff-turnover", "project": "no-such-project"}).text
    assert ("No rows. Nothing matched <strong>Project</strong> = “no-such-project” (without it: 3 rows). "
            "Pick another value or leave it empty.") in page
    assert '<p class="count" role="status">0 rows.</p>' in page


def test_an_answer_with_rows_has_no_explanation(client):
    page = client.get("/ui/questions/groups-for-theme", params={"theme": "theme/staff-turnover"}).text
    assert "No rows" not in page and '<p class="count" role="status">3 rows.</p>' in page
