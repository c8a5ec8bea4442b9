//! Couple answers JSON against the default pack: a plan or a typed error,
//! never a panic; and whatever the answers, the shared view never carries
//! the safety notice's words.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rekindle::Engine;

fuzz_target!(|data: &[u8]| {
    let Ok(json) = std::str::from_utf8(data) else {
        return;
    };
    let engine = Engine::embedded();
    if let Ok(plan) = engine.assess_couple_json(json) {
        let shared = serde_json::to_string(&plan.shared).unwrap_or_default();
        assert!(!shared.contains(&engine.pack().safety.title));
        assert!(!shared.contains(&engine.pack().safety.message));
    }
});
