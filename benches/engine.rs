//! Speed: loading and validating packs, and assessing answers.
//!
//! `cargo bench --bench engine` runs everything; a filter picks a group,
//! such as `cargo bench --bench engine -- synthetic`. See BENCHMARKS.md for
//! the figures and the machine.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rekindle::{Engine, TraceDetail, DEFAULT_PACK_JSON};

mod common;
use common::{full_answers, full_couple, sparse_answers, synthetic_answers, synthetic_pack, Firing};

fn default_pack(c: &mut Criterion) {
    let mut group = c.benchmark_group("default");
    group.bench_function("load", |b| {
        b.iter(|| Engine::from_json(black_box(DEFAULT_PACK_JSON)).expect("loads"))
    });
    let engine = Engine::from_json(DEFAULT_PACK_JSON).expect("loads");
    let full = full_answers();
    let sparse = sparse_answers();
    group.bench_function("assess_full", |b| {
        b.iter(|| engine.assess(black_box(&full)).expect("valid answers"))
    });
    group.bench_function("assess_sparse", |b| {
        b.iter(|| engine.assess(black_box(&sparse)).expect("valid answers"))
    });
    group.bench_function("assess_full_rules_only", |b| {
        b.iter(|| {
            engine
                .assess_with(black_box(&full), TraceDetail::RulesOnly)
                .expect("valid answers")
        })
    });
    let couple = full_couple();
    group.bench_function("assess_couple_full", |b| {
        b.iter(|| engine.assess_couple(black_box(&couple)).expect("valid answers"))
    });
    let full_json = serde_json::to_string(&full).expect("serialises");
    group.bench_function("assess_json_full", |b| {
        b.iter(|| engine.assess_json(black_box(&full_json)).expect("valid answers"))
    });
    group.finish();
}

const SIZES: [usize; 4] = [10, 100, 1_000, 10_000];

fn synthetic(c: &mut Criterion) {
    let mut group = c.benchmark_group("synthetic");
    for n in SIZES {
        let json = synthetic_pack(n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("load", n), &json, |b, json| {
            b.iter(|| Engine::from_json(black_box(json)).expect("loads"))
        });
        let engine = Engine::from_json(&json).expect("loads");
        for firing in [Firing::All, Firing::None] {
            let answers = synthetic_answers(firing);
            let fired = engine.assess(&answers).expect("valid").trace.fired.len();
            let expected = match firing {
                Firing::All => n,
                Firing::None => 0,
            };
            assert_eq!(fired, expected, "{firing:?}");
            let name = match firing {
                Firing::All => "assess_all_fire",
                Firing::None => "assess_none_fire",
            };
            group.bench_with_input(BenchmarkId::new(name, n), &answers, |b, answers| {
                b.iter(|| engine.assess(black_box(answers)).expect("valid"))
            });
            if firing == Firing::All {
                let name = "assess_all_fire_rules_only";
                group.bench_with_input(BenchmarkId::new(name, n), &answers, |b, answers| {
                    b.iter(|| {
                        engine
                            .assess_with(black_box(answers), TraceDetail::RulesOnly)
                            .expect("valid")
                    })
                });
            }
        }
    }
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
    targets = default_pack, synthetic
}
criterion_main!(benches);
