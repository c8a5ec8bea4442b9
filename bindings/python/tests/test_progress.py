"""Progress over time from Python: a snapshot holds no answers or safety
state, and passed back it gives the change and the next step. Snapshots
are made with the generated module's typed calls (`rekindle._native`)."""

import json

import pytest

import rekindle
from rekindle import _native as native
from rekindle._native import CoupleResponses, Engine, RekindleError, Responses, Value


@pytest.fixture(scope="module")
def engine():
    return Engine()


TRUST_LOW = {"q_rely": "never", "q_honest": "rarely", "q_trust_doubts": "often"}
TRUST_HIGH = {"q_rely": "always", "q_honest": "always", "q_trust_doubts": "never"}


def responses(answers, **extra):
    return Responses(answers={k: Value.TEXT(value=v) for k, v in answers.items()}, **extra)


def test_a_snapshot_holds_no_answers_and_no_safety_state(engine):
    answers = responses({**TRUST_LOW})
    answers.answers["q_safety_fear"] = Value.BOOL(value=True)
    plan = engine.assess(answers)
    assert plan.safety is not None
    snap = native.snapshot(plan, "2026-10-01", 10)
    assert snap.pack_id == "rekindle.default" and snap.date == "2026-10-01" and snap.day == 10
    assert snap.challenge is None
    text = repr(snap)
    assert "safety" not in text and "q_" not in text


def test_passed_back_a_snapshot_gives_the_change_and_the_next_step(engine):
    plan = engine.assess(responses(TRUST_LOW))
    snap = native.snapshot(plan, "2026-10-01", 10)
    snap.challenge, snap.phase = "intimacy", "intimacy_trust"
    later = engine.assess(responses(TRUST_HIGH, date="2026-11-27", previous=[snap]))
    progress = later.progress
    assert progress.since == "2026-10-01" and progress.days == 57
    trust = next(d for d in progress.dimensions if d.id == "trust")
    assert trust.direction == native.Direction.BETTER
    assert "progress_trust_days_done" in [f.rule for f in later.trace.fired]


def test_a_snapshot_from_another_pack_is_a_typed_error_without_its_values(engine):
    snap = native.snapshot(engine.assess(responses(TRUST_LOW)), "2026-10-01", None)
    snap.pack_id = "SENTINEL-pack"
    with pytest.raises(RekindleError.InvalidAnswers) as caught:
        engine.assess(responses(TRUST_LOW, previous=[snap]))
    assert [p.path for p in caught.value.problems] == ["previous[0].pack_id"]
    assert "SENTINEL" not in str(caught.value) and "SENTINEL" not in repr(caught.value)


def test_couple_snapshots_keep_each_partners_scores_to_themselves(engine):
    couple = CoupleResponses(
        a={"q_low_desire": Value.TEXT(value="always")},
        b={"q_time_together": Value.TEXT(value="never")},
        context={},
    )
    snaps = native.couple_snapshots(engine.assess_couple(couple), "2026-10-01", None)
    shared_dims = {s.dimension for s in snaps.shared.scores}
    assert "desire" not in shared_dims
    assert "desire" in {s.dimension for s in snaps.a.scores}
    again = CoupleResponses(
        a=couple.a, b=couple.b, context={}, date="2026-11-01",
        previous_shared=[snaps.shared], previous_a=[snaps.a], previous_b=[snaps.b],
    )
    plan = engine.assess_couple(again)
    assert plan.shared.progress.days == 31
    assert {d.id for d in plan.shared.progress.dimensions} <= shared_dims
    assert plan.a.progress is not None and plan.b.progress is not None


def test_the_package_reads_progress_as_records():
    engine = rekindle.Engine()
    raw = Engine()
    snap = native.snapshot(raw.assess(responses(TRUST_LOW)), "2026-10-01", 10)
    previous = json.loads(
        json.dumps(
            {
                "format": snap.format, "pack_id": snap.pack_id, "pack_version": snap.pack_version,
                "pack_hash": snap.pack_hash, "date": snap.date, "challenge": snap.challenge,
                "phase": snap.phase, "day": snap.day,
                "scores": [{"dimension": s.dimension, "score": s.score, "band": s.band} for s in snap.scores],
            }
        )
    )
    stored = {"answers": TRUST_HIGH, "date": "2026-11-27", "previous": [previous]}
    plan = engine.assess_dict(stored)
    assert plan.progress is not None and plan.progress.days == 57
    trust = next(d for d in plan.progress.dimensions if d.id == "trust")
    assert trust.direction == rekindle.Direction.BETTER == "better"
