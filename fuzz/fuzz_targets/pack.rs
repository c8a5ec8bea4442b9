//! Pack bytes, from anywhere, into an engine: a typed error or an engine,
//! never a panic. An engine that loads must also assess without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rekindle::{Engine, Responses};

fuzz_target!(|data: &[u8]| {
    if let Ok(engine) = Engine::from_slice(data) {
        let _ = engine.assess(&Responses::default());
        // Every question answered with its first option, number or yes.
        let answers: Vec<(String, rekindle::Value)> = engine
            .pack()
            .questions
            .iter()
            .map(|q| {
                let value = match &q.answer {
                    rekindle::pack::AnswerSpec::Options { options } => {
                        rekindle::Value::text(options.first().map_or("", |o| o.value.as_str()))
                    }
                    rekindle::pack::AnswerSpec::Range { max, .. } => rekindle::Value::number(*max),
                    rekindle::pack::AnswerSpec::YesNo => rekindle::Value::bool(true),
                };
                (q.id.clone(), value)
            })
            .collect();
        let _ = engine.assess(&Responses::new(answers));
    }
});
