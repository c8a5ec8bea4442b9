//! Peer comparison: datalogic-rs, a fast JsonLogic engine, deciding the
//! default pack's rules against rekindle assessing the same answers.
//!
//! `cargo bench --bench peer` runs the `peer/` group. The pack's conditions
//! are translated into JsonLogic from the pack model and compiled once
//! (one compiled condition per rule, and all of them in one array);
//! the facts they read (answers, context, scores and bands) are computed by
//! rekindle from the full answer set of `default/assess_full` and parsed
//! once. Before anything is timed, both engines must decide exactly the
//! same rules. The peer only evaluates conditions. `rekindle_fired_rules`
//! answers the same question (which rules fire) from the answers
//! themselves: it checks them, scores them and evaluates the rules;
//! `rekindle_rules_only` and `rekindle_full` also build the whole result.
//! See BENCHMARKS.md, "Peer: datalogic-rs".

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use rekindle::{Engine, Responses, TraceDetail, DEFAULT_PACK_JSON};

mod common;
use common::jsonlogic::Peer;
use common::{full_answers, full_couple, sparse_answers};

fn peer(c: &mut Criterion) {
    let engine = Engine::from_json(DEFAULT_PACK_JSON).expect("loads");
    let full = full_answers();
    let peer = Peer::new(&engine, &full);
    // The translation must hold beyond the timed answers: nothing answered
    // (every leaf on a missing value), three answers (most scores absent),
    // and another spread of answers.
    peer.assert_agrees(&engine, &Responses::default());
    peer.assert_agrees(&engine, &sparse_answers());
    let couple = full_couple();
    let partner_b = Responses {
        answers: couple.b,
        context: couple.context,
        ..Responses::default()
    };
    peer.assert_agrees(&engine, &partner_b);
    let fired = {
        let mut session = peer.engine.session();
        peer.fired(&mut session).len()
    };
    eprintln!(
        "peer: {} of {} rules translated (couple rules left out), {fired} fire in both engines",
        peer.rules.len(),
        engine.pack().rules.len()
    );

    let mut group = c.benchmark_group("peer");
    let mut session = peer.engine.session();
    group.bench_function("datalogic_conditions", |b| {
        b.iter(|| peer.fired(black_box(&mut session)))
    });
    group.bench_function("datalogic_conditions_one_call", |b| {
        b.iter(|| peer.fired_in_one_call(black_box(&mut session)))
    });
    group.bench_function("rekindle_fired_rules", |b| {
        b.iter(|| engine.fired_rules(black_box(&full)).expect("valid answers"))
    });
    group.bench_function("rekindle_rules_only", |b| {
        b.iter(|| {
            engine
                .assess_with(black_box(&full), TraceDetail::RulesOnly)
                .expect("valid answers")
        })
    });
    group.bench_function("rekindle_full", |b| {
        b.iter(|| {
            engine
                .assess_with(black_box(&full), TraceDetail::Full)
                .expect("valid answers")
        })
    });
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(30)
}

criterion_group! {
    name = benches;
    config = config();
    targets = peer
}
criterion_main!(benches);
