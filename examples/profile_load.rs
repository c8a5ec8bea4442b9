//! Loads the default pack N times (the first argument, 1 by default), for
//! instruction counts of loading under callgrind:
//!
//! ```sh
//! cargo build --release --example profile_load
//! valgrind --tool=callgrind target/release/examples/profile_load 0
//! valgrind --tool=callgrind target/release/examples/profile_load 100
//! ```
//!
//! The difference of the two totals over 100 is the cost of one load.

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(1);
    for _ in 0..n {
        let engine = rekindle::Engine::from_json(std::hint::black_box(rekindle::DEFAULT_PACK_JSON));
        std::hint::black_box(engine.is_ok());
    }
}
