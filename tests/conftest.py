"""Shared fixtures: one knowledge base built in memory per test session, and the seed texts."""

from pathlib import Path

import pytest
from pyoxigraph import Store

from imri_kg.kb.build import build_store
from imri_kg.questions import rows, run

TESTS = Path(__file__).resolve().parent
SEEDS = TESTS / "data" / "seeds"


@pytest.fixture(scope="session")
def kb() -> Store:
    """The knowledge base built from data/, shared read-only by the tests (copy it before writing)."""
    return build_store()


@pytest.fixture(scope="session")
def review_text() -> str:
    return (SEEDS / "000_9ae6b5b066101ae1.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def imri_text() -> str:
    return (SEEDS / "002_56a039b2ff9d2fb7.txt").read_text(encoding="utf-8")


def select(store: Store, sparql: str, **bindings) -> list[dict[str, str]]:
    """Rows of a SELECT query as dicts of strings."""
    return rows(run(store, sparql, bindings=bindings or None))


FIXTURE_PROJECT = TESTS / "data" / "matrix" / "school-meals.trig"


@pytest.fixture(scope="session")
def projects_kb(kb: Store) -> Store:
    """The built store (whose two papers are the projects piat2021 and piat2022) and the fictional school-meals
    project, in one in-memory store; read-only."""
    from pyoxigraph import RdfFormat

    store = Store()
    store.extend(kb.quads_for_pattern(None, None, None, None))
    store.load(path=FIXTURE_PROJECT, format=RdfFormat.TRIG)
    return store
