"""axe-core (bundled by the axe-playwright-python package, run inside the page by Playwright) on every kind of
page: no violation of WCAG 2.x A/AA rules."""

import pytest
from axe_playwright_python.sync_playwright import Axe

PAGES = ["/ui/", "/ui/questions", "/ui/questions/groups-for-theme?theme=theme%2Fstaff-turnover", "/ui/sparql",
         "/ui/matrix", "/ui/matrix/general", "/ui/frameworks", "/ui/validate", "/ui/search?q=staff+turnover",
         "/theme/staff-turnover", "/group/peer-workers", "/scheme/themes", "/evidence/quote/super-motivated",
         "/study/piat2021", "/theme/no-such-theme"]
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.mark.parametrize("path", PAGES)
def test_no_axe_violation(page, server_url, path):
    page.goto(server_url + path)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
    found = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]]
    assert found == []
    assert len(results.response["passes"]) >= 10  # axe did run its rules on the page


def test_the_checker_finds_a_known_violation(page):
    page.set_content('<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main>'
                     '<input type="text"></main></body></html>')
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
    assert "label" in {v["id"] for v in results.response["violations"]}
