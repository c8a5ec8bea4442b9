"""Speed of each way into the engine from Python, after warm-up.

Run after installing the package (`maturin develop --release`, or
scripts/test-bindings.sh), on one core for figures that compare:

    taskset -c 0 bindings/python/.venv/bin/python bindings/python/bench.py

Each line is the median of 7 rounds (best in brackets). The input is the
shared persona: 40 answers and one context fact.
"""

from __future__ import annotations

import json
import pathlib
import statistics
import time
from typing import Any, Callable, Dict, List

import rekindle
from rekindle import Engine, TraceDetail

FIXTURES = pathlib.Path(__file__).resolve().parents[2] / "rules" / "fixtures"
SCENARIO = "a couple in constant conflict"
ROUNDS = 7


def rounds(per_round: Callable[[], int]) -> List[float]:
    """Seconds per item over each round; `per_round` returns its item count."""
    per_round()  # warm-up
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        count = per_round()
        samples.append((time.perf_counter() - start) / count)
    return samples


def per_call(label: str, iterations: int, call: Callable[[], Any]) -> None:
    def run() -> int:
        for _ in range(iterations):
            call()
        return iterations

    samples = rounds(run)
    print(
        f"{label:<44} {statistics.median(samples) * 1e6:7.1f} µs/call"
        f"  (best {min(samples) * 1e6:.1f})"
    )


def throughput(label: str, items: List[Any], run: Callable[[List[Any]], int]) -> None:
    samples = rounds(lambda: run(items))
    print(
        f"{label:<44} {1 / statistics.median(samples):9,.0f} /s"
        f"  (best {1 / min(samples):,.0f}; {statistics.median(samples) * 1e6:.1f} µs each)"
    )


def main() -> None:
    fixtures = json.loads((FIXTURES / "personas.json").read_text())["fixtures"]
    fixture: Dict[str, Any] = next(f for f in fixtures if f["name"] == SCENARIO)
    answers, context = fixture["answers"], fixture["context"]
    stored = {"answers": answers, "context": context}
    text = json.dumps(stored)
    engine = Engine()
    print(f"rekindle {rekindle.__version__}, {len(answers)} answers")

    print("one assessment:")
    per_call("assess(dict) -> Recommendation", 2000, lambda: engine.assess(answers, context))
    per_call(
        "assess(dict, RULES_ONLY) -> Recommendation",
        2000,
        lambda: engine.assess(answers, context, detail=TraceDetail.RULES_ONLY),
    )
    per_call("assess_json(text) -> Recommendation", 2000, lambda: engine.assess_json(text))
    per_call("assess_json_to_json(text) -> str", 2000, lambda: engine.assess_json_to_json(text))

    # The generated module's typed call, for comparison: UniFFI lowers the
    # answers map and lifts the result object by object.
    native: Any = getattr(rekindle, "_native")
    responses = native.Responses(
        answers={k: to_native(native, v) for k, v in answers.items()},
        context={k: to_native(native, v) for k, v in context.items()},
    )
    raw = native.Engine()
    per_call("generated typed assess (for comparison)", 300, lambda: raw.assess(responses))

    print("many assessments (assess_many, 512 per call):")
    items = 5120
    dicts = [stored] * items
    lines = [text] * items

    def consume(batch: List[Any], **options: Any) -> int:
        count = 0
        for _ in engine.assess_many(batch, **options):
            count += 1
        return count

    throughput("dicts, RULES_ONLY -> Recommendation", dicts, consume)
    throughput("JSON Lines, RULES_ONLY -> Recommendation", lines, consume)
    throughput("JSON Lines, FULL -> Recommendation", lines, lambda b: consume(b, detail=TraceDetail.FULL))

    def consume_json(batch: List[Any]) -> int:
        count = 0
        for _ in engine.assess_many_json(batch):
            count += 1
        return count

    throughput("assess_many_json: dicts -> JSON text", dicts, consume_json)
    throughput("assess_many_json: JSON Lines -> JSON text", lines, consume_json)

    # The engine's side alone: one call per 512 lines, results left as JSON text.
    chunk = "\n".join(lines[:512])
    detail = native.TraceDetail.RULES_ONLY

    def engine_only(_: List[Any]) -> int:
        for _round in range(items // 512):
            raw.assess_json_lines(chunk, detail)
        return items

    throughput("engine only (JSON Lines in, JSON out)", lines, engine_only)


def to_native(native: Any, raw: Any) -> Any:
    if isinstance(raw, bool):
        return native.Value.BOOL(value=raw)
    if isinstance(raw, (int, float)):
        return native.Value.NUMBER(value=float(raw))
    return native.Value.TEXT(value=raw)


if __name__ == "__main__":
    main()
