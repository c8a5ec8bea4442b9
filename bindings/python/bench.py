"""FFI cost of `assess` through the Python binding, after warm-up.

Run after installing the wheel (scripts/test-bindings.sh does):
    bindings/python/.venv/bin/python bindings/python/bench.py
"""

import json
import pathlib
import statistics
import time

from rekindle import Engine, Responses, TraceDetail, Value

FIXTURES = pathlib.Path(__file__).resolve().parents[2] / "rules" / "fixtures"
SCENARIO = "a couple in constant conflict"


def to_value(raw):
    if isinstance(raw, bool):
        return Value.BOOL(value=raw)
    if isinstance(raw, (int, float)):
        return Value.NUMBER(value=float(raw))
    return Value.TEXT(value=raw)


def measure(label, iterations, call):
    for _ in range(iterations):  # warm-up
        call()
    samples = []
    for _ in range(7):
        start = time.perf_counter_ns()
        for _ in range(iterations):
            call()
        samples.append((time.perf_counter_ns() - start) / iterations)
    print(
        f"{label:<28} median {statistics.median(samples) / 1000:7.1f} µs/call"
        f"  (best {min(samples) / 1000:.1f} µs, {iterations} calls x 7)"
    )


def main():
    fixtures = json.loads((FIXTURES / "personas.json").read_text())["fixtures"]
    fixture = next(f for f in fixtures if f["name"] == SCENARIO)
    responses = Responses(
        answers={k: to_value(v) for k, v in fixture["answers"].items()},
        context={k: to_value(v) for k, v in fixture["context"].items()},
    )
    text = json.dumps({"answers": fixture["answers"], "context": fixture["context"]})
    engine = Engine()
    measure("assess (typed Responses)", 2000, lambda: engine.assess(responses))
    measure(
        "assess_with (RULES_ONLY)",
        2000,
        lambda: engine.assess_with(responses, TraceDetail.RULES_ONLY),
    )
    measure("assess_json", 2000, lambda: engine.assess_json(text))
    measure("assess_json_to_json", 5000, lambda: engine.assess_json_to_json(text))
    measure("info (FFI round trip)", 20000, engine.info)


if __name__ == "__main__":
    main()
