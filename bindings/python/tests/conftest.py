"""Shared inputs: the default engine and the persona every binding assesses."""

from __future__ import annotations

import json
import pathlib
from typing import Any, Dict

import pytest

import rekindle

ROOT = pathlib.Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "rules" / "fixtures"

# What the persona must give (focus areas in order, challenge, phase,
# therapy level) is read from the fixture's own expectations, which the
# Rust fixture suite checks against the core.
SCENARIO = "a couple in constant conflict"


def scenario() -> Dict[str, Any]:
    fixtures = json.loads((FIXTURES / "personas.json").read_text())["fixtures"]
    found: Dict[str, Any] = next(f for f in fixtures if f["name"] == SCENARIO)
    return found


@pytest.fixture(scope="session")
def engine() -> rekindle.Engine:
    return rekindle.Engine()
