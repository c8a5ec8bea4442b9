"""Errors from Python: one type to catch, readable messages, and no answer
or context value in any of them."""

from __future__ import annotations

import dataclasses
import json
import math
from typing import Any, Callable, Iterator, List

import pytest

import rekindle
from conftest import scenario
from rekindle import Engine, FixtureSource, InvalidAnswers, InvalidArgument, InvalidPack, ProblemKind, RekindleError


def test_a_pack_that_is_not_json_raises_invalid_pack() -> None:
    with pytest.raises(InvalidPack) as caught:
        Engine.from_json("{ not json")
    error = caught.value
    assert error.tag == "syntax"
    assert str(error) == error.detail
    assert str(error).startswith("pack JSON at line 1, column 3")
    assert error.problems == []


def test_a_pack_with_broken_rules_lists_every_problem() -> None:
    pack = json.loads(rekindle.default_pack_json())
    pack["rules"][0]["then"]["focus"] = {"no_such_area": 1}
    with pytest.raises(RekindleError) as caught:
        Engine.from_json(json.dumps(pack))
    error = caught.value
    assert isinstance(error, InvalidPack)
    assert error.tag == "invalid"
    [problem] = error.problems
    assert problem.kind == ProblemKind.UNKNOWN_REFERENCE == "unknown_reference"
    assert problem.path.startswith("rules[0].then.focus")
    assert str(error) == f"1 problem in pack\n  {problem}"
    assert repr(error).startswith("InvalidPack(tag='invalid', detail='1 problem in pack")


def test_a_pack_of_another_format_raises_invalid_pack() -> None:
    with pytest.raises(InvalidPack) as caught:
        Engine.from_json('{"format": 99}')
    assert caught.value.tag == "unsupported_format"


def test_bad_answers_raise_invalid_answers_naming_the_question(engine: Engine) -> None:
    with pytest.raises(InvalidAnswers) as caught:
        engine.assess({"q_misunderstandings": "sometimes-ish"})
    error = caught.value
    assert error.tag == "invalid"
    assert error.problems == [
        rekindle.Problem(
            kind=ProblemKind.UNKNOWN_OPTION,
            path="answers.q_misunderstandings",
            message="not one of the question's options (never, rarely, sometimes, often, always)",
        )
    ]
    assert str(error) == f"1 problem in answers\n  {error.problems[0]}"


def test_wrong_types_and_unknown_questions_are_all_reported(engine: Engine) -> None:
    with pytest.raises(InvalidAnswers) as caught:
        engine.assess({"q_overall_closeness": "high", "q_nope": True})
    kinds = sorted(p.kind for p in caught.value.problems)
    assert kinds == ["unknown_question", "wrong_type"]


def test_bad_answers_json_raises_invalid_answers(engine: Engine) -> None:
    for text in ['{"answers": [', "", "  ", "\n"]:
        with pytest.raises(InvalidAnswers) as caught:
            engine.assess_json(text)
        assert caught.value.tag == "syntax"
    with pytest.raises(InvalidAnswers):
        engine.assess_json_to_json('{"answers": {"q_blame": 3}}')


def test_broken_fixture_files_raise_invalid_fixtures(engine: Engine) -> None:
    with pytest.raises(rekindle.InvalidFixtures) as caught:
        engine.run_fixtures([FixtureSource(name="broken.json", json='{"format": 1, "fixtures": [')])
    assert (caught.value.tag, caught.value.file) == ("syntax", "broken.json")
    assert str(caught.value).startswith("broken.json: fixtures: line 1")
    with pytest.raises(rekindle.InvalidFixtures) as caught:
        engine.run_fixtures([FixtureSource(name="future.json", json='{"format": 7, "fixtures": []}')])
    assert caught.value.tag == "unsupported_format"


class Opaque:
    """A value no engine call can take."""


@pytest.mark.parametrize(
    "call",
    [
        lambda e: e.assess({"q_blame": {"often"}}),
        lambda e: e.assess({"q_blame": Opaque()}),
        lambda e: e.assess({"q_overall_closeness": math.nan}),
        lambda e: e.assess({"q_overall_closeness": math.inf}),
        lambda e: e.assess({("q", "blame"): "often"}),
        lambda e: e.assess_dict({"answers": {"q_blame": b"often"}}),
        lambda e: e.assess_json(b'{"answers": {}}'),
        lambda e: e.focus_area(7),
        lambda e: e.challenge(None),
        lambda e: e.activity("p_trust", -1),
        lambda e: e.activity("p_trust", 2**32),
        lambda e: e.activity("p_trust", True),
        lambda e: list(e.assess_many('{"answers": {}}')),
        lambda e: list(e.assess_many([], chunk_size=0)),
        lambda e: Engine.from_json(None),
        lambda e: e.assess({}, detail="full"),
        lambda e: list(e.assess_many([{"answers": {}}], detail=None)),
    ],
)
def test_values_that_cannot_cross_raise_invalid_argument(engine: Engine, call: Callable[[Any], Any]) -> None:
    with pytest.raises(InvalidArgument) as caught:
        call(engine)
    assert caught.value.tag == "invalid_argument"
    assert str(caught.value).endswith("cannot be passed to the engine")
    assert caught.value.__context__ is None and caught.value.__cause__ is None


def test_numpy_style_scalars_are_taken_as_the_values_they_hold(engine: Engine) -> None:
    class Scalar:
        def __init__(self, value: Any) -> None:
            self.value = value

        def item(self) -> Any:
            return self.value

    plain = engine.assess({"q_blame": "often", "q_overall_closeness": 3}, {"married": True})
    wrapped = engine.assess(
        {"q_blame": Scalar("often"), "q_overall_closeness": Scalar(3)}, {"married": Scalar(True)}
    )
    assert wrapped == plain


# Every input position of every error path reachable from Python gets a
# sentinel; no error may carry it anywhere.
SENTINEL = "zqx-sentinel-7f3a"
NUMBER = 98765.4321


def texts(value: Any, depth: int = 0) -> Iterator[str]:
    """Every string an error exposes: str, repr, args, fields, problems and
    the errors it was raised from."""
    if depth > 6 or value is None:
        return
    if isinstance(value, BaseException):
        yield str(value)
        yield repr(value)
        for item in (value.args, vars(value), value.__cause__, value.__context__):
            yield from texts(item, depth + 1)
    elif isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from texts(item, depth + 1)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from texts(item, depth + 1)
    elif dataclasses.is_dataclass(value):
        yield repr(value)
        yield from texts(vars(value), depth + 1)
    else:
        yield repr(value)


def answers_positions() -> List[Any]:
    """Answer and context values in each position, as a dict."""
    s, n = SENTINEL, NUMBER
    return [
        {"answers": {"q_misunderstandings": s}},
        {"answers": {"q_overall_closeness": s}},
        {"answers": {"q_overall_closeness": n}},
        {"answers": {"q_safety_fear": s}},
        {"answers": {"q_misunderstandings": n}},
        {"answers": {"q_misunderstandings": s}, "context": {"married": s}},
        {"answers": {}, "context": {"married": n}},
        {"answers": {"q_blame": [s]}},
        {"answers": {"q_blame": {"x": s}}},
        {"answers": {"q_blame": {s: 1}}},
        {"answers": {}, "context": [s]},
        {"answers": [s]},
    ]


def json_positions() -> List[str]:
    """Answer values in malformed JSON, where the parser gives up."""
    s = SENTINEL
    return [
        '{"answers": {"q_blame": "%s' % s,
        '{"answers": {"q_blame": "%s\\q"}}' % s,
        '{"answers": {"q_blame": "%s"' % s,
        '{"answers": {"q_blame": %s}}' % s,
        '{"answers": {"q_blame": "often"}} %s' % s,
        '"%s"' % s,
        '["%s"]' % s,
        '{"answers": {"q_overall_closeness": 1e99999}, "context": {"married": "%s"}}' % s,
    ]


def fixture_positions() -> List[str]:
    """Answer and context values inside fixture files."""
    fixtures = []
    for responses in answers_positions():
        fixture = dict(responses, name="n", expect={})
        fixtures.append(json.dumps({"format": 1, "fixtures": [fixture]}))
    fixtures += ['{"format": 1, "fixtures": [{"name": "n", "answers": {"q_blame": "%s' % SENTINEL]
    return fixtures


def calls() -> List[Any]:
    cases: List[Any] = []
    for responses in answers_positions():
        text = json.dumps(responses)
        cases += [
            pytest.param(lambda e, r=responses: e.assess(r["answers"], r.get("context")), id="assess"),
            pytest.param(lambda e, r=responses: e.assess_dict(r), id="assess_dict"),
            pytest.param(lambda e, t=text: e.assess_json(t), id="assess_json"),
            pytest.param(lambda e, t=text: e.assess_json_to_json(t), id="assess_json_to_json"),
            pytest.param(lambda e, r=responses: list(e.assess_many([r])), id="assess_many"),
            pytest.param(lambda e, t=text: list(e.assess_many([t])), id="assess_many_lines"),
            pytest.param(lambda e, r=responses: e.assess_couple({}, r["answers"], r.get("context")), id="couple"),
        ]
    for text in json_positions():
        cases += [
            pytest.param(lambda e, t=text: e.assess_json(t), id="malformed_json"),
            pytest.param(lambda e, t=text: list(e.assess_many([t])), id="malformed_line"),
        ]
    for fixture in fixture_positions():
        cases.append(
            pytest.param(lambda e, f=fixture: e.run_fixtures([FixtureSource(name="f.json", json=f)]), id="fixture")
        )
    cases += [
        pytest.param(lambda e: e.assess({"q_blame": {SENTINEL}}), id="set_value"),
        pytest.param(lambda e: e.assess({"q_overall_closeness": math.nan}, {"married": SENTINEL}), id="nan"),
        pytest.param(lambda e: e.focus_area(SENTINEL.encode()), id="bytes_id"),
        pytest.param(lambda e: e.activity(SENTINEL, -1), id="bad_day"),
    ]
    return cases


@pytest.mark.parametrize("call", calls())
def test_no_error_carries_an_answer_or_context_value(engine: Engine, call: Callable[[Engine], Any]) -> None:
    try:
        result = call(engine)
    except RekindleError as error:
        exposed = list(texts(error))
    else:
        # A fixture run reports rejected answers in its outcomes instead.
        assert isinstance(result, rekindle.FixtureReport)
        assert result.failed == 1
        exposed = list(texts(result)) + [str(result)]
    assert exposed
    for text in exposed:
        assert SENTINEL not in text
        assert "98765" not in text


# Pack files hold no answers, but their shape errors still quote the
# pack's own values (serde's wording), so a sentinel there shows up. Kept
# here, marked, so that the day the core stops quoting them this fails and
# the mark goes.
PACK_QUOTES = pytest.mark.xfail(strict=True, reason="pack shape errors quote the pack's own values")


def pack_with(**changes: Any) -> str:
    pack = json.loads(rekindle.default_pack_json())
    pack.update(changes)
    return json.dumps(pack)


@pytest.mark.parametrize(
    "pack",
    [
        pytest.param('{"id": "%s' % SENTINEL, id="truncated"),
        pytest.param('{"id": "%s\\q"}' % SENTINEL, id="bad_escape"),
        pytest.param(pack_with(format=SENTINEL), id="format", marks=PACK_QUOTES),
        pytest.param(pack_with(questions=SENTINEL), id="wrong_type", marks=PACK_QUOTES),
        pytest.param(pack_with(version=NUMBER), id="wrong_type_number", marks=PACK_QUOTES),
    ],
)
def test_no_pack_error_carries_a_sentinel(pack: str) -> None:
    with pytest.raises(InvalidPack) as caught:
        Engine.from_json(pack)
    for text in texts(caught.value):
        assert SENTINEL not in text
        assert "98765" not in text


def test_the_scenario_is_accepted(engine: Engine) -> None:
    # The sentinel cases above fail for the sentinel, not for the rest.
    case = scenario()
    engine.assess(case["answers"], case["context"])


def test_the_generated_modules_internal_error_becomes_a_rekindle_error() -> None:
    from rekindle import _errors

    native = getattr(rekindle, "_native")
    error = _errors.convert(native.InternalError(f"panicked at {SENTINEL}"), "the answers")
    assert type(error) is RekindleError
    assert error.tag == "internal"
    assert SENTINEL not in repr(error)
