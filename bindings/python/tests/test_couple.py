"""Couple mode from Python: three views, and a partner's disclosure that
never reaches the other partner. The answers come from the couple fixtures
that the Rust suite checks. The typed calls of the generated module
(`rekindle._native`) are tested here beside the package's `assess_couple`."""

import dataclasses
import json
import pathlib

import pytest

import rekindle
from rekindle._native import CoupleResponses, Engine, RekindleError, Value

FIXTURES = pathlib.Path(__file__).resolve().parents[3] / "rules" / "fixtures"
DISCLOSURE = "B answers only a safety item"
TWIN = "B answers only the neutral item"


def to_value(raw):
    if isinstance(raw, bool):
        return Value.BOOL(value=raw)
    if isinstance(raw, (int, float)):
        return Value.NUMBER(value=float(raw))
    return Value.TEXT(value=raw)


def couple_fixture(name):
    fixtures = json.loads((FIXTURES / "couple.json").read_text())["fixtures"]
    return next(f for f in fixtures if f["name"] == name)


def couple(name):
    fixture = couple_fixture(name)
    values = lambda answers: {k: to_value(v) for k, v in answers.items()}  # noqa: E731
    return CoupleResponses(a=values(fixture["a"]), b=values(fixture["b"]), context=values(fixture.get("context", {})))


@pytest.fixture(scope="module")
def engine():
    return Engine()


@pytest.fixture(scope="module")
def safety_words(engine):
    pack = json.loads(rekindle.default_pack_json())
    safety = pack["safety"]
    return [safety["title"], safety["message"]] + [r["name"] for r in safety["resources"]]


def test_a_couple_gets_a_shared_plan_and_two_private_views(engine):
    plan = engine.assess_couple(couple("both feel distant"))
    assert plan.shared.focus_areas
    assert plan.shared.challenge is not None
    assert plan.a.safety is None and plan.b.safety is None
    assert len(plan.a.scores) == len(plan.b.scores) == len(json.loads(rekindle.default_pack_json())["dimensions"])
    assert "couple_both_distant" in [rule for area in plan.shared.focus_areas for rule in area.reasons]


def test_a_disclosure_reaches_only_its_own_partner(engine, safety_words):
    plan = engine.assess_couple(couple(DISCLOSURE))
    assert plan.b.safety is not None
    assert plan.a.safety is None
    as_text = engine.assess_couple_json_to_json(json.dumps(_as_json(DISCLOSURE)))
    parsed = json.loads(as_text)
    for view in ("shared", "a"):
        dumped = json.dumps(parsed[view])
        for words in safety_words:
            assert words not in dumped, (view, words)
    assert parsed["b"]["safety"]["title"] == safety_words[0]


def test_a_disclosure_reads_like_the_ordinary_neutral_answer():
    # The package's records compare field by field; the generated records
    # cannot compare a notice with None.
    engine = rekindle.Engine()

    def plan(name):
        fixture = couple_fixture(name)
        return engine.assess_couple(fixture["a"], fixture["b"], fixture.get("context"))

    disclosed, ordinary = plan(DISCLOSURE), plan(TWIN)
    assert disclosed.shared == ordinary.shared
    assert disclosed.a == ordinary.a
    assert disclosed.b != ordinary.b


def test_the_authors_trace_names_the_safety_rule(engine):
    trace = engine.trace_couple(couple(DISCLOSURE))
    assert "safety_harm" in [f.rule for f in trace.b.fired]
    assert trace.neutral_plan


def test_couple_errors_name_the_partner_and_never_the_answer(engine):
    with pytest.raises(RekindleError.InvalidAnswers) as caught:
        engine.assess_couple_json('{"a": {"q_blame": "my secret words"}, "b": {}}')
    error = caught.value
    assert [p.path for p in error.problems] == ["a.q_blame"]
    assert "secret" not in str(error) and "secret" not in repr(error)


def _as_json(name):
    fixture = couple_fixture(name)
    return {"a": fixture["a"], "b": fixture["b"], "context": fixture.get("context", {})}


def test_the_package_assesses_a_couple_from_dicts(engine):
    fixture = couple_fixture(DISCLOSURE)
    plan = rekindle.Engine().assess_couple(fixture["a"], fixture["b"], fixture.get("context"))
    assert isinstance(plan, rekindle.CouplePlan)
    expected = json.loads(engine.assess_couple_json_to_json(json.dumps(_as_json(DISCLOSURE))))
    assert dataclasses.asdict(plan) == expected
    assert plan.b.safety is not None and plan.a.safety is None
    with pytest.raises(rekindle.InvalidAnswers) as caught:
        rekindle.Engine().assess_couple({"q_blame": "my secret words"}, {})
    assert [p.path for p in caught.value.problems] == ["a.q_blame"]
    assert "secret" not in repr(caught.value)
