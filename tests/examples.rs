//! The example packs under `rules/examples/` load, lint clean and pass
//! their fixtures with every rule covered: each `NAME.json` is run with
//! `NAME.fixtures.json`.

use std::path::Path;

use rekindle::fixtures::run_fixture_json;
use rekindle::Engine;

#[test]
fn every_example_pack_passes_its_fixtures_with_full_coverage() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/examples");
    let mut packs = 0;
    for entry in std::fs::read_dir(&dir).expect("rules/examples") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        if !name.ends_with(".json") || name.ends_with(".fixtures.json") {
            continue;
        }
        packs += 1;
        let engine = Engine::from_json(&std::fs::read_to_string(&path).expect("pack"))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(engine.lint().is_empty(), "{name}: {:?}", engine.lint());
        let fixtures_path = path.with_extension("fixtures.json");
        let fixtures =
            std::fs::read_to_string(&fixtures_path).unwrap_or_else(|e| panic!("{name}: its fixtures: {e}"));
        let report = run_fixture_json(&engine, [(name.as_str(), fixtures.as_str())]).expect("fixtures parse");
        assert!(report.all_passed(), "{report}");
        assert!(
            report.unfired_rules.is_empty(),
            "{name}: unfired {:?}",
            report.unfired_rules
        );
    }
    assert!(packs > 0, "no example packs");
}

#[test]
fn published_ranges_band_at_every_edge() {
    let json = include_str!("../rules/examples/seven-item-screen.json");
    let engine = Engine::from_json(json).expect("loads");
    let names = ["not_at_all", "several_days", "more_than_half", "nearly_every_day"];
    for total in 0..=21u32 {
        let mut left = total;
        let answers: Vec<(String, rekindle::Value)> = (1..=7)
            .map(|i| {
                let v = left.min(3);
                left -= v;
                (format!("q{i}"), rekindle::Value::text(names[v as usize]))
            })
            .collect();
        let plan = engine.assess(&rekindle::Responses::new(answers)).expect("valid");
        let score = &plan.scores[0];
        let expected = match total {
            0..=4 => "minimal",
            5..=9 => "mild",
            10..=14 => "moderate",
            _ => "severe",
        };
        assert_eq!(score.raw, Some(f64::from(total)));
        assert_eq!(score.band.as_deref(), Some(expected), "total {total}");
    }
}
