"""Shared fixtures of the findings tests: the fictional hand-hygiene project (tests/data/projects/hand-hygiene)."""

import shutil
from pathlib import Path

import pytest

from imri_kg.findings.project import ProjectFindings, read_project_findings, to_store

PROJECT = Path(__file__).resolve().parents[1] / "data" / "projects" / "hand-hygiene"


@pytest.fixture(scope="session")
def hand_hygiene(kb) -> ProjectFindings:
    """The fictional project read with its findings (kb holds the frameworks its mappings.csv targets)."""
    return read_project_findings(PROJECT, store=kb)


@pytest.fixture(scope="session")
def findings_store(hand_hygiene):
    return to_store(hand_hygiene.quads)


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A copy of the fictional project to break."""
    return Path(shutil.copytree(PROJECT, tmp_path / "hand-hygiene"))
