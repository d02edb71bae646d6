from __future__ import annotations

from pathlib import Path

import pytest

import radgraph

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ARTICLE = ROOT.parent / "shared" / "sources" / "radiology-careers-article.txt"


@pytest.fixture(scope="session")
def kg():
    return radgraph.load()


@pytest.fixture(scope="session")
def model(kg):
    return kg.model


@pytest.fixture(scope="session")
def article_text() -> str:
    if not ARTICLE.exists():  # CI has shared/ beside the clone; so does every session
        pytest.fail(f"the source article is missing: {ARTICLE}")
    return ARTICLE.read_text(encoding="utf-8")
