//! Fixture files against the default pack: a report or a typed error, never
//! a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rekindle::Engine;

fuzz_target!(|data: &[u8]| {
    if let Ok(json) = std::str::from_utf8(data) {
        if let Ok(report) = rekindle::fixtures::run_fixture_json(&Engine::embedded(), [("fuzz.json", json)]) {
            let _ = report.to_string();
        }
    }
});
