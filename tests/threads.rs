//! One engine shared by eight threads gives exactly the results a single
//! thread gives.
//!
//! Answer sets are generated deterministically (a xorshift generator over
//! the default pack's questions, options and context facts), with about
//! one in twenty made invalid on purpose. Each result, or error, is
//! serialised and hashed; the threads' hashes must equal the single-threaded
//! ones, set by set.
//!
//! How many sets: one million in an optimised build
//! (`cargo test --release --test threads`), 20,000 in a debug build so that
//! `cargo test` stays quick; `REKINDLE_THREAD_SETS=1000000 cargo test --test
//! threads` sets the number explicitly.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};

use rekindle::pack::AnswerSpec;
use rekindle::{Engine, Pack, Responses, Value, DEFAULT_PACK_JSON};

const THREADS: usize = 8;
const CHUNK: usize = 256;

fn set_count() -> usize {
    if let Some(n) = std::env::var("REKINDLE_THREAD_SETS")
        .ok()
        .and_then(|n| n.parse().ok())
    {
        return n;
    }
    if cfg!(debug_assertions) {
        20_000
    } else {
        1_000_000
    }
}

/// xorshift64*, seeded per set so any set can be rebuilt on its own.
struct Rng(u64);

impl Rng {
    fn for_set(i: usize) -> Rng {
        Rng((i as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A plausible answer to a question, or (rarely) a wrong one.
fn answer(spec: &AnswerSpec, rng: &mut Rng) -> Value {
    match spec {
        AnswerSpec::Options { options } => Value::text(options[rng.below(options.len())].value.clone()),
        AnswerSpec::Range { min, max, step, .. } => {
            let step = step.unwrap_or((max - min) / 10.0);
            let steps = ((max - min) / step).round() as usize;
            Value::number(min + rng.below(steps + 1) as f64 * step)
        }
        AnswerSpec::YesNo => Value::bool(rng.below(8) == 0),
    }
}

fn responses(pack: &Pack, i: usize) -> Responses {
    let mut rng = Rng::for_set(i);
    let mut responses = Responses::default();
    // A sparse, partial or full questionnaire.
    let density = [10, 50, 90, 100][rng.below(4)];
    for question in &pack.questions {
        if rng.below(100) < density {
            responses
                .answers
                .insert(question.id.clone(), answer(&question.answer, &mut rng));
        }
    }
    for fact in &pack.context {
        if rng.below(2) == 0 {
            responses
                .context
                .insert(fact.id.clone(), Value::bool(rng.below(2) == 0));
        }
    }
    // About one set in twenty is invalid, in one of four ways.
    if rng.below(20) == 0 {
        let q = &pack.questions[rng.below(pack.questions.len())].id;
        match rng.below(4) {
            0 => responses.answers.insert(q.clone(), Value::text("not-an-option")),
            1 => responses.answers.insert(q.clone(), Value::number(1e6)),
            2 => responses.answers.insert("q_unknown".into(), Value::bool(true)),
            _ => responses.context.insert("married".into(), Value::text("yes")),
        };
    }
    responses
}

/// A hash of the serialised result or error.
fn digest(engine: &Engine, pack: &Pack, i: usize, buf: &mut Vec<u8>) -> (u64, bool) {
    buf.clear();
    let ok = match engine.assess(&responses(pack, i)) {
        Ok(plan) => {
            serde_json::to_writer(&mut *buf, &plan).expect("a result serialises");
            true
        }
        Err(error) => {
            serde_json::to_writer(&mut *buf, error.problems()).expect("problems serialise");
            buf.extend_from_slice(error.to_string().as_bytes());
            false
        }
    };
    let mut hasher = DefaultHasher::new();
    buf.hash(&mut hasher);
    (hasher.finish(), ok)
}

#[test]
fn eight_threads_match_one_thread() {
    let engine = Engine::from_json(DEFAULT_PACK_JSON).expect("the default pack loads");
    let pack = engine.pack().clone();
    let n = set_count();

    let mut buf = Vec::new();
    let mut expected = Vec::with_capacity(n);
    let mut accepted = 0usize;
    for i in 0..n {
        let (hash, ok) = digest(&engine, &pack, i, &mut buf);
        expected.push(hash);
        accepted += usize::from(ok);
    }
    let rejected = n - accepted;
    assert!(
        rejected > n / 40 && rejected < n / 10,
        "{rejected} of {n} sets rejected"
    );

    let next = AtomicUsize::new(0);
    let mismatches = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..THREADS {
            scope.spawn(|| {
                let mut buf = Vec::new();
                loop {
                    let start = next.fetch_add(CHUNK, Ordering::Relaxed);
                    if start >= n {
                        break;
                    }
                    let end = (start + CHUNK).min(n);
                    for (i, &want) in expected[start..end].iter().enumerate() {
                        if digest(&engine, &pack, start + i, &mut buf).0 != want {
                            mismatches.fetch_add(1, Ordering::Relaxed);
                        }
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
        }
    });
    assert_eq!(done.load(Ordering::Relaxed), n);
    assert_eq!(
        mismatches.load(Ordering::Relaxed),
        0,
        "results differ between threads"
    );
    println!("{n} answer sets, {rejected} rejected, identical on {THREADS} threads");
}

#[test]
fn clones_of_the_embedded_engine_agree_across_threads() {
    // `Engine::embedded` is built once per process, whichever thread asks
    // first; every thread must see the same engine.
    let hashes: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..THREADS)
            .map(|_| scope.spawn(|| Engine::embedded().info().hash.to_string()))
            .collect();
        handles.into_iter().map(|h| h.join().expect("no panic")).collect()
    });
    assert!(hashes.windows(2).all(|w| w[0] == w[1]));
}
