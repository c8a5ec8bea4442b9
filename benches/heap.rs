//! Memory: the heap an engine keeps, and the peak while loading and
//! assessing, measured with a counting global allocator.
//!
//! `cargo bench --bench heap` prints a table; see BENCHMARKS.md. Assessments
//! are measured after one warm-up call on the same thread.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use rekindle::{Engine, DEFAULT_PACK_JSON};

mod common;
use common::{full_answers, synthetic_answers, synthetic_pack, Firing};

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

fn grow(size: usize) {
    let now = CURRENT.fetch_add(size, Ordering::Relaxed) + size;
    PEAK.fetch_max(now, Ordering::Relaxed);
    ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
}

fn shrink(size: usize) {
    CURRENT.fetch_sub(size, Ordering::Relaxed);
}

// SAFETY: every call is forwarded unchanged to the system allocator; the
// bookkeeping only touches atomics.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grow(layout.size());
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        shrink(layout.size());
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        grow(layout.size());
        // SAFETY: same contract as ours.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        shrink(layout.size());
        grow(new_size);
        // SAFETY: same contract as ours.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f` and returns its value, the heap it left allocated (bytes), the
/// peak growth while it ran (bytes) and the number of allocations.
/// Measures the second of two calls: an assessment reuses the working
/// lists its thread's earlier assessments gave back, so the steady state an
/// app sees is the second call, not the first.
fn measure_steady<T>(f: impl Fn() -> T) -> (T, usize, usize, usize) {
    drop(f());
    measure(f)
}

fn measure<T>(f: impl FnOnce() -> T) -> (T, usize, usize, usize) {
    let before = CURRENT.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let count = ALLOCATIONS.load(Ordering::Relaxed);
    let value = f();
    let after = CURRENT.load(Ordering::Relaxed);
    (
        value,
        after.saturating_sub(before),
        PEAK.load(Ordering::Relaxed) - before,
        ALLOCATIONS.load(Ordering::Relaxed) - count,
    )
}

fn kib(bytes: usize) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

fn main() {
    // `cargo bench` passes its own arguments; there is nothing to filter.
    println!("| what | pack JSON | engine keeps | peak while loading | allocations |");
    println!("|---|---:|---:|---:|---:|");
    let mut engines = Vec::new();
    for (name, json) in [
        ("default pack".to_owned(), DEFAULT_PACK_JSON.to_owned()),
        ("synthetic, 10 rules".to_owned(), synthetic_pack(10)),
        ("synthetic, 100 rules".to_owned(), synthetic_pack(100)),
        ("synthetic, 1,000 rules".to_owned(), synthetic_pack(1_000)),
        ("synthetic, 10,000 rules".to_owned(), synthetic_pack(10_000)),
    ] {
        let (engine, kept, peak, count) = measure(|| Engine::from_json(&json).expect("loads"));
        println!(
            "| load: {name} | {} | {} | {} | {count} |",
            kib(json.len()),
            kib(kept),
            kib(peak)
        );
        engines.push((name, engine));
    }
    println!();
    println!("| what | result keeps | peak while assessing | allocations |");
    println!("|---|---:|---:|---:|");
    let default = &engines[0].1;
    let full = full_answers();
    let (_, kept, peak, count) = measure_steady(|| default.assess(&full).expect("valid"));
    println!(
        "| assess: default pack, full answers | {} | {} | {count} |",
        kib(kept),
        kib(peak)
    );
    let (_, kept, peak, count) = measure_steady(|| {
        default
            .assess_with(&full, rekindle::TraceDetail::RulesOnly)
            .expect("valid")
    });
    println!(
        "| assess: default pack, full answers, rules only | {} | {} | {count} |",
        kib(kept),
        kib(peak)
    );
    for (name, engine) in &engines[1..] {
        for firing in [Firing::All, Firing::None] {
            let answers = synthetic_answers(firing);
            let (_, kept, peak, count) = measure_steady(|| engine.assess(&answers).expect("valid"));
            println!(
                "| assess: {name}, {} | {} | {} | {count} |",
                match firing {
                    Firing::All => "all fire",
                    Firing::None => "none fire",
                },
                kib(kept),
                kib(peak)
            );
        }
    }
}
