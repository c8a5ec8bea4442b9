"""The engine from Python: the shared scenario, the questionnaire, the
catalog, the fixture runner and use from many threads."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import List, Optional

import rekindle
from conftest import FIXTURES, scenario
from rekindle import Engine, FixtureSource, ProblemKind, TraceDetail

EXPECT = scenario()["expect"]


def test_default_engine_describes_its_pack(engine: Engine) -> None:
    info = engine.info()
    assert info.id == "rekindle.default"
    assert len(info.hash) == 64
    assert Engine.from_json(rekindle.default_pack_json()).info() == info
    assert engine.rule_ids()
    assert repr(engine) == f"<rekindle.Engine rekindle.default {info.version}>"


def test_questionnaire_renders_from_the_pack(engine: Engine) -> None:
    questionnaire = engine.questionnaire()
    section_ids = {s.id for s in questionnaire.sections}
    assert section_ids
    assert all(q.section in section_ids for q in questionnaire.questions)
    first = questionnaire.questions[0]
    assert first.id == "q_misunderstandings"
    assert isinstance(first.answer, rekindle.OptionsAnswer)
    assert "often" in [o.value for o in first.answer.options]
    ranges = [q.answer for q in questionnaire.questions if isinstance(q.answer, rekindle.RangeAnswer)]
    assert ranges and ranges[0].min < ranges[0].max
    assert any(isinstance(q.answer, rekindle.YesNoAnswer) for q in questionnaire.questions)
    married = next(f for f in questionnaire.context if f.id == "married")
    assert married.kind == rekindle.FactKind.BOOL == "bool"


def test_the_scenario_matches_rust(engine: Engine) -> None:
    case = scenario()
    plan = engine.assess(case["answers"], case["context"])
    assert [a.id for a in plan.focus_areas] == EXPECT["focus_top"]
    assert plan.challenge is not None
    assert plan.challenge.id == EXPECT["challenge"]
    assert plan.challenge.phase.id == EXPECT["phase"]
    assert plan.therapy.level == EXPECT["therapy"]
    assert plan.safety is None
    assert plan.pack == engine.info()
    fired = [f.rule for f in plan.trace.fired]
    assert "persistent_unresolved_conflict" in fired
    assert any(f.leaves for f in plan.trace.fired)


def test_every_way_in_gives_the_same_plan(engine: Engine) -> None:
    case = scenario()
    stored = {"answers": case["answers"], "context": case["context"]}
    plan = engine.assess(case["answers"], case["context"])
    assert engine.assess_dict(stored) == plan
    assert engine.assess_json(json.dumps(stored)) == plan
    assert engine.assess_json(json.dumps(stored, indent=2)) == plan
    assert rekindle.Recommendation is type(plan)
    as_json = json.loads(engine.assess_json_to_json(json.dumps(stored)))
    assert [a["id"] for a in as_json["focus_areas"]] == EXPECT["focus_top"]


def test_rules_only_keeps_the_decisions(engine: Engine) -> None:
    case = scenario()
    full = engine.assess(case["answers"], case["context"])
    lean = engine.assess(case["answers"], case["context"], detail=TraceDetail.RULES_ONLY)
    assert (lean.focus_areas, lean.challenge, lean.therapy) == (full.focus_areas, full.challenge, full.therapy)
    assert [f.rule for f in lean.trace.fired] == [f.rule for f in full.trace.fired]
    assert all(not f.leaves for f in lean.trace.fired)


def test_a_safety_answer_puts_the_notice_first(engine: Engine) -> None:
    plan = engine.assess({"q_safety_fear": True})
    assert plan.safety is not None
    assert plan.safety.resources
    assert plan.safety.reasons[0] == "safety_fear"
    assert plan.reason("safety_fear") is not None
    assert [r.rule for r in plan.reasons_for(plan.safety.reasons)] == ["safety_fear"]
    assert "couples" in plan.safety.suppressed_tags


def test_the_catalog_gives_practices_and_todays_activity(engine: Engine) -> None:
    case = scenario()
    plan = engine.assess(case["answers"], case["context"])
    area = engine.focus_area(plan.focus_areas[0].id)
    assert area is not None and area.title == plan.focus_areas[0].title
    assert len(area.practices) >= 3
    assert plan.challenge is not None
    phase = plan.challenge.phase
    challenge = engine.challenge(plan.challenge.id)
    assert challenge is not None
    details = next(p for p in challenge.phases if p.id == phase.id)
    assert len(details.activities) == phase.last_day - phase.first_day + 1
    assert engine.activity(phase.id, 1) == details.activities[0]
    assert engine.activity(phase.id, 0) is None
    assert engine.focus_area("no_such_area") is None
    assert engine.challenge("no_such_challenge") is None


def test_the_fixture_runner_takes_paths_and_sources(engine: Engine) -> None:
    paths = sorted(FIXTURES.glob("*.json"))
    report = engine.run_fixtures(paths)
    assert report.failed == 0, str(report)
    assert report.passed == len(report.outcomes) > 0
    assert report.unfired_rules == []
    assert str(report).endswith(f"{report.passed} passed, 0 failed")
    assert rekindle.fixture_summary(report) == str(report)
    sources = [FixtureSource(name=p.name, json=p.read_text()) for p in paths]
    assert engine.run_fixtures(sources) == report


def test_a_failing_fixture_says_which_expectation_failed(engine: Engine) -> None:
    fixture = {
        "format": 1,
        "fixtures": [{"name": "wrong on purpose", "answers": {}, "expect": {"therapy": "recommend"}}],
    }
    report = engine.run_fixtures([FixtureSource(name="mine.json", json=json.dumps(fixture))])
    assert (report.passed, report.failed) == (0, 1)
    [outcome] = report.outcomes
    assert not outcome.passed
    [failure] = outcome.failures
    assert (failure.expectation, failure.expected) == ("fixtures[0].expect.therapy", "recommend")
    assert str(report).startswith("FAIL mine.json: wrong on purpose")


def test_one_engine_serves_many_threads(engine: Engine) -> None:
    case = scenario()
    expected = engine.assess(case["answers"], case["context"])

    def work(_: int) -> List[rekindle.Recommendation]:
        return [engine.assess(case["answers"], case["context"]) for _ in range(25)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = [plan for batch in pool.map(work, range(16)) for plan in batch]
    assert len(results) == 400
    assert all(plan == expected for plan in results)


def test_engines_are_built_and_used_on_many_threads() -> None:
    def work(_: int) -> Optional[str]:
        engine = Engine.from_json(rekindle.default_pack_json())
        try:
            engine.assess({"q_blame": 3})
        except rekindle.InvalidAnswers as error:
            return error.problems[0].kind
        return None

    with ThreadPoolExecutor(max_workers=4) as pool:
        kinds = list(pool.map(work, range(8)))
    assert kinds == [ProblemKind.WRONG_TYPE] * 8
