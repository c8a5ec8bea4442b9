//! The `rekindle` command line (work in progress).

fn main() {
    let engine = rekindle::Engine::embedded();
    println!("{} {}", engine.info().id, engine.info().version);
}
