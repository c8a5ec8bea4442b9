//! A fixed number of runs of one workload, for `valgrind --tool=callgrind`,
//! whose instruction counts repeat exactly where timings do not:
//!
//! ```sh
//! cargo bench --bench instructions --no-run
//! valgrind --tool=callgrind target/release/deps/instructions-* couple 1000
//! ```
//!
//! Divide the total by the number of runs (and subtract a run of 0 for the
//! setup) for a per-call count. Workloads: `load`, `single`, `rules_only`,
//! `fired_rules` (which rules fire, no result built),
//! `couple`, `json` (the full answers from JSON to a JSON result:
//! `assess_json_to_json`, as Python and bulk scoring call it), `json_serde`
//! (the same with serde_json writing the result), and `peer_datalogic` and `peer_datalogic_one_call`:
//! datalogic-rs deciding the default pack's rules over the facts of
//! `single`, one evaluation per rule or one for all (see `benches/peer.rs`),
//! whose rekindle counterparts are `rules_only` and `single`.

use std::hint::black_box;

use rekindle::{Engine, TraceDetail, DEFAULT_PACK_JSON};

mod common;
use common::jsonlogic::Peer;
use common::{full_answers, full_couple, synthetic_answers, synthetic_pack, Firing};

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with('-'));
    let workload = args.next().unwrap_or_else(|| "single".to_owned());
    let runs: u32 = args.next().and_then(|n| n.parse().ok()).unwrap_or(1000);
    let engine = Engine::from_json(DEFAULT_PACK_JSON).expect("loads");
    let single = full_answers();
    let couple = full_couple();
    let single_json = serde_json::to_string(&single).expect("serialises");
    // The FFI's engine, for the JSON-to-JSON call the bindings make.
    let ffi = rekindle::ffi::Engine::new();
    // Built only for its workload, so the others' setup stays as it was;
    // building it checks that both engines decide the same rules.
    let peer = workload
        .starts_with("peer_datalogic")
        .then(|| Peer::new(&engine, &single));
    let mut session = peer.as_ref().map(|p| p.engine.session());
    // `grow_N_all`, `grow_N_all_rules` and `grow_N_none`: the synthetic
    // pack of N rules, every rule firing (full trace or rules only) or none.
    let grow = workload.strip_prefix("grow_").map(|rest| {
        let mut parts = rest.split('_');
        let n: usize = parts.next().and_then(|n| n.parse().ok()).expect("grow_N_...");
        let firing = match parts.next() {
            Some("none") => Firing::None,
            _ => Firing::All,
        };
        let detail = match parts.next() {
            Some("rules") => TraceDetail::RulesOnly,
            _ => TraceDetail::Full,
        };
        let engine = Engine::from_json(&synthetic_pack(n)).expect("loads");
        (engine, synthetic_answers(firing), detail)
    });
    for _ in 0..runs {
        if let Some((engine, answers, detail)) = &grow {
            drop(black_box(engine.assess_with(black_box(answers), *detail)));
            continue;
        }
        match workload.as_str() {
            "load" => drop(black_box(Engine::from_json(black_box(DEFAULT_PACK_JSON)))),
            "single" => drop(black_box(engine.assess(black_box(&single)))),
            "fired_rules" => drop(black_box(engine.fired_rules(black_box(&single)))),
            "rules_only" => drop(black_box(
                engine.assess_with(black_box(&single), TraceDetail::RulesOnly),
            )),
            "couple" => drop(black_box(engine.assess_couple(black_box(&couple)))),
            "json" => drop(black_box(ffi.assess_json_to_json(black_box(single_json.clone())))),
            "json_serde" => drop(black_box(
                engine
                    .assess_json(black_box(&single_json))
                    .map(|plan| serde_json::to_string(&plan)),
            )),
            "peer_datalogic" => {
                if let (Some(peer), Some(session)) = (&peer, &mut session) {
                    drop(black_box(peer.fired(black_box(session))));
                }
            }
            "peer_datalogic_one_call" => {
                if let (Some(peer), Some(session)) = (&peer, &mut session) {
                    drop(black_box(peer.fired_in_one_call(black_box(session))));
                }
            }
            other => panic!(
                "unknown workload {other:?}: load, single, rules_only, couple, peer_datalogic or peer_datalogic_one_call"
            ),
        }
    }
}
