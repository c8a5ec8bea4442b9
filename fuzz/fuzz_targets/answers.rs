//! Answers JSON, from any app build, against the default pack: a result or
//! a typed error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rekindle::Engine;

fuzz_target!(|data: &[u8]| {
    if let Ok(json) = std::str::from_utf8(data) {
        let _ = Engine::embedded().assess_json(json);
    }
});
