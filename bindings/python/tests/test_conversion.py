"""How answers reach the engine and results come back: bytes through the
library, answer sets written by orjson or `json` alike, and records that
stay JSON text until they are read but behave as records throughout."""

from __future__ import annotations

import copy
import dataclasses
import datetime
import enum
import json
import math
import pickle
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, List

import pytest

import rekindle
from conftest import scenario
from rekindle import Engine, Recommendation, TraceDetail
from rekindle import _engine, _ffi, _records


def stored() -> Dict[str, Any]:
    case = scenario()
    return {"answers": case["answers"], "context": case["context"]}


def eager(engine: Engine, responses: Dict[str, Any]) -> Recommendation:
    """The result built whole from the engine's JSON, nothing left as text."""
    return _records.from_json(Recommendation, json.loads(engine.assess_json_to_json(json.dumps(responses))))


def test_json_calls_go_straight_through_the_library(engine: Engine) -> None:
    # The direct call reads the generated module's declarations; if a new
    # UniFFI lays them out differently it falls back, and this says so.
    assert _ffi.direct_calls()
    native = rekindle._native.Engine()
    data = json.dumps(stored()).encode()
    lines = data + b"\n" + b'{"answers": {"q_blame": "nope"}}'
    for name, arguments in [
        ("assess_json_to_json", (data,)),
        ("assess_json_lines", (lines, rekindle._native.TraceDetail.RULES_ONLY)),
        ("assess_json_lines", (lines, rekindle._native.TraceDetail.FULL)),
        ("assess_couple_json_to_json", (b'{"a": {"q_blame": "often"}, "b": {}}',)),
    ]:
        takes_detail = len(arguments) == 2
        direct = _ffi.json_method(name, takes_detail=takes_detail)(native, *arguments)
        generated = _ffi.generated_json_method(name, takes_detail=takes_detail)(native, *arguments)
        assert direct == generated, name


def test_engine_errors_come_back_the_same_through_the_library() -> None:
    native = rekindle._native.Engine()
    caught = []
    for method in (_ffi.json_method, _ffi.generated_json_method):
        with pytest.raises(rekindle._native.RekindleError.InvalidAnswers) as error:
            method("assess_json_to_json")(native, b'{"answers": {"q_blame": "nope"}}')
        caught.append((error.value.tag, error.value.detail, [p.path for p in error.value.problems]))
    assert caught[0] == caught[1]


def test_calls_the_library_does_not_declare_as_expected_are_not_made_directly() -> None:
    assert _ffi._direct("no_such_method", False) is None
    # Declared with a detail argument, asked for without one.
    assert _ffi._direct("assess_json_lines", False) is None
    assert _ffi._direct("assess_json_lines", True) is not None


class Frequency(enum.Enum):
    OFTEN = "often"


class Label(str, enum.Enum):
    OFTEN = "often"


@pytest.mark.parametrize(
    "responses",
    [
        {"answers": {"q_blame": "often", "q_overall_closeness": 3, "q_safety_fear": False}},
        {"answers": {"q_overall_closeness": 3.5}, "context": {"married": True}},
        {"answers": {"q_overall_closeness": 2**70}},
        {"answers": {"q_overall_closeness": -0.0, "q_blame": "\u00e9\u2019\U0001f600"}},
        {"answers": {"q_blame": Label.OFTEN}},
        {"answers": {1: "often"}},
        {"answers": {"q_blame": None}},
        {"answers": {}, "date": "2026-10-01"},
        {"a": {"q_blame": "often"}, "b": {}},
    ],
)
def test_answer_sets_are_written_the_same_either_way(responses: Dict[str, Any]) -> None:
    # With orjson installed some go the fast way; every one must read back
    # as what `json` writes.
    assert json.loads(_engine._encode(responses)) == json.loads(_engine._dumps(responses))


@pytest.mark.parametrize(
    "value",
    [math.nan, -math.inf, Frequency.OFTEN, uuid.UUID(int=7), datetime.date(2026, 10, 1), b"often", {"often"}],
)
def test_values_json_refuses_are_refused_either_way(engine: Engine, value: Any) -> None:
    # orjson would write some of these (NaN as null, an enum as its value).
    with pytest.raises(rekindle.InvalidArgument):
        engine.assess({"q_blame": "often", "q_overall_closeness": value})
    with pytest.raises(rekindle.InvalidArgument):
        list(engine.assess_many([{"answers": {"q_overall_closeness": value}}]))


def test_the_trace_is_converted_when_first_read(engine: Engine) -> None:
    plan = engine.assess_dict(stored())
    assert "trace" not in vars(plan)
    trace = plan.trace
    assert isinstance(trace, rekindle.Trace) and trace.fired
    assert plan.trace is trace
    assert [name for name in vars(plan) if name.startswith("_")] == []
    assert plan == eager(engine, stored())


def lazy_and_read(engine: Engine) -> List[Recommendation]:
    """Results of every kind: still text, read but for the trace, read whole."""
    items = [stored()] * 3
    fresh, partly, whole = engine.assess_many(items, detail=TraceDetail.FULL)
    partly.focus_areas
    whole.trace
    return [fresh, partly, whole]


def test_a_result_still_text_behaves_as_a_record(engine: Engine) -> None:
    expected = eager(engine, stored())
    for plan in lazy_and_read(engine):
        assert isinstance(plan, Recommendation)
        assert repr(plan) == repr(expected)
        assert dataclasses.asdict(plan) == dataclasses.asdict(expected)
    for make in (pickle.loads, copy.copy, copy.deepcopy):
        for plan in lazy_and_read(engine):
            made = make(pickle.dumps(plan)) if make is pickle.loads else make(plan)
            assert made == expected
    plan = lazy_and_read(engine)[0]
    assert dataclasses.replace(plan, progress=None) == expected
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.therapy = expected.therapy  # type: ignore[misc]
    assert plan == expected


def test_reading_one_field_converts_all_but_the_trace(engine: Engine) -> None:
    [plan] = engine.assess_many([stored()])
    assert set(vars(plan)) == {"_json"}
    plan.pack
    assert set(vars(plan)) == {f.name for f in dataclasses.fields(Recommendation)} - {"trace"} | {"_trace_json"}


def test_many_threads_reading_one_result_agree(engine: Engine) -> None:
    expected = eager(engine, stored())
    names = [f.name for f in dataclasses.fields(Recommendation)] * 4
    for _ in range(20):
        [plan] = engine.assess_many([stored()], detail=TraceDetail.FULL)
        with ThreadPoolExecutor(max_workers=8) as pool:
            read = list(pool.map(lambda name: (name, getattr(plan, name)), names))
        assert all(value == getattr(expected, name) for name, value in read)
        assert plan == expected


def variants(text: str) -> List[str]:
    """The same result written so that the trace cannot be cut out as the
    engine writes it: other key orders, nested trace keys, a field the
    records do not know between the trace and the next, other spacing."""
    result = json.loads(text)
    reordered = dict(reversed(list(result.items())))
    trace_last = {k: v for k, v in result.items() if k != "trace"}
    trace_last["trace"] = result["trace"]
    nested = dict(result, pack=dict(result["pack"], extra={"trace": {"fired": []}}))
    # Cut between these two, the rest still parses, with the keys wrong.
    nested_pair = dict(result, pack=dict(result["pack"], extra={"a": 0, "trace": 1, "pack": 2}))
    between: Dict[str, Any] = {}
    for key, value in result.items():
        if key == "pack":
            between["unknown"] = [1]
        between[key] = value
    compact = [reordered, trace_last, nested, nested_pair, between, result]
    return [json.dumps(r, separators=(",", ":")) for r in compact] + [json.dumps(result, indent=2)]


def test_a_result_the_trace_cannot_be_cut_from_is_read_whole(engine: Engine) -> None:
    for text in variants(engine.assess_json_to_json(json.dumps(stored()))):
        expected = _records.from_json(Recommendation, json.loads(text))
        for plan in (_records.recommendation_from_json(text.encode()), _records.lazy_recommendation(text.encode())):
            assert plan.trace == expected.trace
            assert dataclasses.asdict(plan) == dataclasses.asdict(expected)
            # Fields the records do not know are kept as they are, too.
            assert vars(plan.pack) == vars(expected.pack)


def test_results_as_dicts_are_the_engine_json(engine: Engine) -> None:
    items: List[Any] = [stored(), {"answers": {"q_safety_fear": True}}]
    dicts = list(engine.assess_many_dicts(items, detail=TraceDetail.FULL))
    assert dicts == [json.loads(engine.assess_json_to_json(json.dumps(item))) for item in items]
    assert dicts == [dataclasses.asdict(r) for r in engine.assess_many(items, detail=TraceDetail.FULL)]
    bad: List[Any] = [stored(), '{"answers": {"q_blame": "nope"}}']
    [result, error] = engine.assess_many_dicts(bad, errors="return")
    assert isinstance(result, dict) and isinstance(error, rekindle.InvalidAnswers)
    with pytest.raises(rekindle.InvalidAnswers) as caught:
        list(engine.assess_many_dicts(bad))
    assert str(caught.value).startswith("item 1: ")
