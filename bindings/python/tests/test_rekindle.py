"""The Python binding, tested from Python: the default engine, the shared
scenario, every typed error, the fixture runner and use from many threads."""

import json
import pathlib
from concurrent.futures import ThreadPoolExecutor

import pytest

import rekindle
from rekindle import Engine, FixtureSource, ProblemKind, RekindleError, Responses, Value

FIXTURES = pathlib.Path(__file__).resolve().parents[3] / "rules" / "fixtures"

# The persona every binding assesses. What it must give (focus areas in
# order, challenge, phase, therapy level) is read from the fixture's own
# expectations, which the Rust fixture suite checks against the core.
SCENARIO = "a couple in constant conflict"


def to_value(raw):
    """A JSON answer as a typed Value (bool first: bool is an int in Python)."""
    if isinstance(raw, bool):
        return Value.BOOL(value=raw)
    if isinstance(raw, (int, float)):
        return Value.NUMBER(value=float(raw))
    return Value.TEXT(value=raw)


def scenario_fixture():
    fixtures = json.loads((FIXTURES / "personas.json").read_text())["fixtures"]
    return next(f for f in fixtures if f["name"] == SCENARIO)


EXPECT = scenario_fixture()["expect"]
FOCUS = EXPECT["focus_top"]
CHALLENGE = EXPECT["challenge"]
PHASE = EXPECT["phase"]
THERAPY = EXPECT["therapy"]


def scenario_responses():
    fixture = scenario_fixture()
    return Responses(
        answers={k: to_value(v) for k, v in fixture["answers"].items()},
        context={k: to_value(v) for k, v in fixture.get("context", {}).items()},
    )


@pytest.fixture(scope="module")
def engine():
    return Engine()


def test_default_engine_describes_its_pack(engine):
    info = engine.info()
    assert info.id == "rekindle.default"
    assert len(info.hash) == 64
    assert Engine.from_json(rekindle.default_pack_json()).info() == info
    assert engine.rule_ids()
    assert rekindle.library_version()


def test_questionnaire_renders_from_the_pack(engine):
    questionnaire = engine.questionnaire()
    section_ids = {s.id for s in questionnaire.sections}
    assert section_ids
    assert all(q.section in section_ids for q in questionnaire.questions)
    first = questionnaire.questions[0]
    assert first.id == "q_misunderstandings"
    assert first.answer.is_OPTIONS()
    assert "often" in [o.value for o in first.answer.options]
    ranges = [q for q in questionnaire.questions if q.answer.is_RANGE()]
    assert ranges and ranges[0].answer.min < ranges[0].answer.max
    assert any(q.answer.is_YES_NO() for q in questionnaire.questions)
    married = next(f for f in questionnaire.context if f.id == "married")
    assert married.kind == rekindle.FactKind.BOOL


def test_quick_start(engine):
    # The README's quick start, verbatim.
    plan = engine.assess(
        Responses(
            answers={"q_misunderstandings": Value.TEXT(value="often")},
            context={"married": Value.BOOL(value=True)},
        )
    )
    for area in plan.focus_areas:
        print(area.title, area.weight)
    assert plan.focus_areas[0].id == "active_listening"
    assert plan.safety is None


def test_the_scenario_matches_rust(engine):
    plan = engine.assess(scenario_responses())
    assert [a.id for a in plan.focus_areas] == FOCUS
    assert plan.challenge is not None
    assert plan.challenge.id == CHALLENGE
    assert plan.challenge.phase.id == PHASE
    assert plan.therapy.level == THERAPY
    assert plan.safety is None
    assert plan.pack.id == "rekindle.default"
    fired = [f.rule for f in plan.trace.fired]
    assert "persistent_unresolved_conflict" in fired


def test_rules_only_keeps_the_decisions(engine):
    full = engine.assess(scenario_responses())
    lean = engine.assess_with(scenario_responses(), rekindle.TraceDetail.RULES_ONLY)
    assert lean.focus_areas == full.focus_areas
    assert lean.challenge == full.challenge
    assert lean.therapy == full.therapy
    assert [f.rule for f in lean.trace.fired] == [f.rule for f in full.trace.fired]
    assert all(not f.leaves for f in lean.trace.fired)


def test_the_catalog_gives_practices_and_todays_activity(engine):
    plan = engine.assess(scenario_responses())
    area = engine.focus_area(plan.focus_areas[0].id)
    assert area is not None and area.title == plan.focus_areas[0].title
    assert len(area.practices) >= 3
    phase = plan.challenge.phase
    challenge = engine.challenge(plan.challenge.id)
    details = next(p for p in challenge.phases if p.id == phase.id)
    assert len(details.activities) == phase.last_day - phase.first_day + 1
    assert engine.activity(phase.id, 1) == details.activities[0]
    assert engine.activity(phase.id, 0) is None
    assert engine.focus_area("no_such_area") is None


def test_assess_json_matches_assess(engine):
    fixture = scenario_fixture()
    text = json.dumps({"answers": fixture["answers"], "context": fixture["context"]})
    assert engine.assess_json(text) == engine.assess(scenario_responses())


def test_assess_json_to_json_gives_the_plan_as_json(engine):
    fixture = scenario_fixture()
    text = json.dumps({"answers": fixture["answers"], "context": fixture["context"]})
    plan = json.loads(engine.assess_json_to_json(text))
    assert [a["id"] for a in plan["focus_areas"]] == FOCUS
    assert plan["challenge"]["phase"]["id"] == PHASE
    assert plan["therapy"]["level"] == THERAPY
    with pytest.raises(RekindleError.InvalidAnswers):
        engine.assess_json_to_json('{"answers": {"q_blame": 3}}')


def test_a_pack_that_is_not_json_raises_invalid_pack():
    with pytest.raises(RekindleError.InvalidPack) as caught:
        Engine.from_json("{ not json")
    assert caught.value.tag == "syntax"
    assert "line 1" in caught.value.detail
    assert caught.value.problems == []


def test_a_pack_with_broken_rules_lists_every_problem():
    pack = json.loads(rekindle.default_pack_json())
    pack["rules"][0]["then"]["focus"] = {"no_such_area": 1}
    with pytest.raises(RekindleError) as caught:
        Engine.from_json(json.dumps(pack))
    error = caught.value
    assert isinstance(error, RekindleError.InvalidPack)
    assert error.tag == "invalid"
    assert any(p.kind == ProblemKind.UNKNOWN_REFERENCE for p in error.problems)
    assert all(p.path for p in error.problems)


def test_a_pack_of_another_format_raises_invalid_pack():
    with pytest.raises(RekindleError.InvalidPack) as caught:
        Engine.from_json('{"format": 99}')
    assert caught.value.tag == "unsupported_format"


def test_bad_answers_raise_invalid_answers(engine):
    with pytest.raises(RekindleError.InvalidAnswers) as caught:
        engine.assess(Responses(answers={"q_misunderstandings": Value.TEXT(value="sometimes-ish")}))
    error = caught.value
    assert error.tag == "invalid"
    assert [p.kind for p in error.problems] == [ProblemKind.UNKNOWN_OPTION]
    assert error.problems[0].path == "answers.q_misunderstandings"
    assert "sometimes-ish" not in error.detail


def test_wrong_types_and_unknown_questions_are_all_reported(engine):
    with pytest.raises(RekindleError.InvalidAnswers) as caught:
        engine.assess(
            Responses(
                answers={
                    "q_overall_closeness": Value.TEXT(value="high"),
                    "q_nope": Value.BOOL(value=True),
                }
            )
        )
    kinds = sorted(p.kind.name for p in caught.value.problems)
    assert kinds == ["UNKNOWN_QUESTION", "WRONG_TYPE"]


def test_bad_answers_json_raises_invalid_answers(engine):
    with pytest.raises(RekindleError.InvalidAnswers) as caught:
        engine.assess_json('{"answers": [')
    assert caught.value.tag == "syntax"


def test_the_fixture_runner(engine):
    files = [
        FixtureSource(name=path.name, json=path.read_text())
        for path in sorted(FIXTURES.glob("*.json"))
    ]
    report = engine.run_fixtures(files)
    assert report.failed == 0, rekindle.fixture_summary(report)
    assert report.passed == len(report.outcomes) > 0
    assert report.unfired_rules == []
    assert rekindle.fixture_summary(report).endswith(f"{report.passed} passed, 0 failed")


def test_a_failing_fixture_says_which_expectation_failed(engine):
    fixture = {
        "format": 1,
        "fixtures": [{"name": "wrong on purpose", "answers": {}, "expect": {"therapy": "recommend"}}],
    }
    report = engine.run_fixtures([FixtureSource(name="mine.json", json=json.dumps(fixture))])
    assert (report.passed, report.failed) == (0, 1)
    [failure] = report.outcomes[0].failures
    assert failure.expectation == "therapy"
    assert failure.expected == "recommend"


def test_broken_fixture_files_raise_invalid_fixtures(engine):
    with pytest.raises(RekindleError.InvalidFixtures) as caught:
        engine.run_fixtures([FixtureSource(name="broken.json", json='{"format": 1, "fixtures": [')])
    assert caught.value.tag == "syntax"
    assert caught.value.file == "broken.json"
    with pytest.raises(RekindleError.InvalidFixtures) as caught:
        engine.run_fixtures([FixtureSource(name="future.json", json='{"format": 7, "fixtures": []}')])
    assert caught.value.tag == "unsupported_format"


def test_one_engine_serves_many_threads(engine):
    expected = engine.assess(scenario_responses())

    def work(_):
        return [engine.assess(scenario_responses()) for _ in range(25)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = [plan for batch in pool.map(work, range(16)) for plan in batch]
    assert len(results) == 400
    assert all(plan == expected for plan in results)


def test_engines_are_built_and_used_on_many_threads():
    def work(_):
        engine = Engine.from_json(rekindle.default_pack_json())
        try:
            engine.assess(Responses(answers={"q_blame": Value.NUMBER(value=3.0)}))
        except RekindleError.InvalidAnswers as error:
            return error.problems[0].kind
        return None

    with ThreadPoolExecutor(max_workers=4) as pool:
        kinds = list(pool.map(work, range(8)))
    assert kinds == [ProblemKind.WRONG_TYPE] * 8
