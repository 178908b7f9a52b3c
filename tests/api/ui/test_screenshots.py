"""The README's two screenshots (the matrix and an entity page), taken in Chromium at 1280 px.

They go to tests/artifacts/ui/; with IMRI_KG_README_SHOTS=1 to docs/screenshots/, the copies the README shows
(`IMRI_KG_README_SHOTS=1 .venv/bin/python -m pytest tests/api/ui/test_screenshots.py`).
"""

import os
from pathlib import Path

from tests.api.ui.conftest import ARTIFACTS

DOCS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
PNG = b"\x89PNG\r\n\x1a\n"


def _target() -> Path:
    folder = DOCS if os.environ.get("IMRI_KG_README_SHOTS") == "1" else ARTIFACTS
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_readme_screenshots_of_the_matrix_and_an_entity_page(page, server_url):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(server_url + "/ui/matrix")
    assert page.locator("table.heatmap td.cell.filled").count() == 25
    matrix = _target() / "matrix.png"
    page.screenshot(path=str(matrix))
    page.goto(server_url + "/theme/staff-turnover")
    assert page.locator("h1").inner_text() == "Staff turnover"
    assert page.get_by_role("heading", name="Evidence (3)").is_visible()
    entity = _target() / "entity.png"
    page.screenshot(path=str(entity))
    for shot in (matrix, entity):
        data = shot.read_bytes()
        assert data.startswith(PNG) and int.from_bytes(data[16:20], "big") == 1280  # the PNG's width
