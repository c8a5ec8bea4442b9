"""Speed of each way into the engine from Python, after warm-up.

Run after installing the package (`maturin develop --release`, or
scripts/test-bindings.sh), on one core for figures that compare:

    taskset -c 1 bindings/python/.venv/bin/python bindings/python/bench.py

Each line is the median of 7 rounds (best in brackets) of this process's
CPU time, which other work on a shared machine disturbs less than the
wall clock does. The input is the shared persona: 40 answers and one
context fact.

Instruction counts, which repeat exactly: `--repeat NAME N` runs one
piece N times and nothing else, so under callgrind

    valgrind --tool=callgrind --callgrind-out-file=/dev/null \\
        .venv/bin/python bench.py --repeat assess 220

minus the same with 20, divided by 200, is the count per call. For the
`many_*` and `engine_*` pieces, which assess 512 answer sets per run, take
3 runs minus 1 and divide by 1,024.
"""

from __future__ import annotations

import json
import pathlib
import statistics
import sys
import time
from typing import Any, Callable, Dict, List, Tuple

import rekindle
import rekindle._ffi
from rekindle import Engine, TraceDetail

FIXTURES = pathlib.Path(__file__).resolve().parents[2] / "rules" / "fixtures"
SCENARIO = "a couple in constant conflict"
ROUNDS = 7
CHUNK = 512
"""Answer sets per run of the `many_*` and `engine_*` pieces."""


def pieces() -> Dict[str, Tuple[str, int, Callable[[], Any]]]:
    """Each piece: what it measures, answer sets per run, and one run."""
    fixtures = json.loads((FIXTURES / "personas.json").read_text())["fixtures"]
    fixture: Dict[str, Any] = next(f for f in fixtures if f["name"] == SCENARIO)
    answers, context = fixture["answers"], fixture["context"]
    stored = {"answers": answers, "context": context}
    text = json.dumps(stored)
    engine = Engine()

    # The generated module's typed call, for comparison: UniFFI lowers the
    # answers map and lifts the result object by object.
    native: Any = getattr(rekindle, "_native")
    responses = native.Responses(
        answers={k: to_native(native, v) for k, v in answers.items()},
        context={k: to_native(native, v) for k, v in context.items()},
    )
    raw = native.Engine()
    dicts, lines = [stored] * CHUNK, [text] * CHUNK
    chunk = "\n".join(lines)
    rules_only = native.TraceDetail.RULES_ONLY

    bytes_lines = rekindle._ffi.json_method("assess_json_lines", takes_detail=True)
    # As the package passes them: 64 answer sets per call.
    chunks_bytes = ["\n".join(lines[i : i + 64]).encode() for i in range(0, CHUNK, 64)]

    def engine_bytes() -> None:
        for part in chunks_bytes:
            bytes_lines(raw, part, rules_only)

    def drain(results: Any) -> None:
        for _ in results:
            pass

    def read(results: Any) -> None:
        # What a notebook shows of each result; the trace stays unread.
        for result in results:
            result.focus_areas

    def read_trace() -> None:
        engine.assess(answers, context).trace

    return {
        "typed": ("generated typed assess (for comparison)", 1, lambda: raw.assess(responses)),
        "assess": ("assess(dict) -> Recommendation", 1, lambda: engine.assess(answers, context)),
        "assess_rules_only": (
            "assess(dict, RULES_ONLY) -> Recommendation",
            1,
            lambda: engine.assess(answers, context, detail=TraceDetail.RULES_ONLY),
        ),
        "assess_trace": ("assess(dict) -> Recommendation, trace read", 1, read_trace),
        "assess_json": ("assess_json(text) -> Recommendation", 1, lambda: engine.assess_json(text)),
        "assess_json_to_json": ("assess_json_to_json(text) -> str", 1, lambda: engine.assess_json_to_json(text)),
        "many_dicts": ("assess_many: dicts -> Recommendation", CHUNK, lambda: drain(engine.assess_many(dicts))),
        "many_lines": ("assess_many: JSON Lines -> Recommendation", CHUNK, lambda: drain(engine.assess_many(lines))),
        "many_lines_read": (
            "assess_many: JSON Lines -> Recommendation, read",
            CHUNK,
            lambda: read(engine.assess_many(lines)),
        ),
        "many_dicts_out": (
            "assess_many_dicts: JSON Lines -> dicts",
            CHUNK,
            lambda: drain(engine.assess_many_dicts(lines)),
        ),
        "many_lines_full": (
            "assess_many: JSON Lines, FULL -> Recommendation",
            CHUNK,
            lambda: drain(engine.assess_many(lines, detail=TraceDetail.FULL)),
        ),
        "many_json_dicts": ("assess_many_json: dicts -> JSON text", CHUNK, lambda: drain(engine.assess_many_json(dicts))),
        "many_json_lines": (
            "assess_many_json: JSON Lines -> JSON text",
            CHUNK,
            lambda: drain(engine.assess_many_json(lines)),
        ),
        # The engine's side alone: one call, results left as JSON text.
        "engine_lines": (
            "engine only: JSON Lines in and out",
            CHUNK,
            lambda: raw.assess_json_lines(chunk, rules_only),
        ),
        # The same as the package calls it: UTF-8 bytes, 64 per call.
        "engine_bytes": ("engine only: JSON Lines as bytes, 64 per call", CHUNK, engine_bytes),
    }


def measure(label: str, per_run: int, run: Callable[[], Any]) -> None:
    runs = max(1, 2000 // per_run)

    def rounds() -> List[float]:
        samples = []
        for _ in range(ROUNDS):
            start = time.process_time()
            for _ in range(runs):
                run()
            samples.append((time.process_time() - start) / (runs * per_run))
        return samples

    run()  # warm-up
    samples = rounds()
    median = statistics.median(samples)
    line = f"{label:<68} {median * 1e6:7.1f} µs  (best {min(samples) * 1e6:.1f})"
    if per_run > 1:
        line += f"  {1 / median:9,.0f} /s"
    print(line)


def to_native(native: Any, raw: Any) -> Any:
    if isinstance(raw, bool):
        return native.Value.BOOL(value=raw)
    if isinstance(raw, (int, float)):
        return native.Value.NUMBER(value=float(raw))
    return native.Value.TEXT(value=raw)


def main(arguments: List[str]) -> None:
    table = pieces()
    if arguments[:1] == ["--repeat"]:
        _, _, run = table[arguments[1]]
        for _ in range(int(arguments[2])):
            run()
        return
    print(f"rekindle {rekindle.__version__}; per answer set, {CHUNK} per run for the many_* and engine_* pieces")
    for name, (label, per_run, run) in table.items():
        measure(f"{name}: {label}", per_run, run)


if __name__ == "__main__":
    main(sys.argv[1:])
