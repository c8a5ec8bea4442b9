//! The UniFFI binding generator, built from the same `uniffi` version as the
//! library so generated Kotlin, Swift and Python always match its scaffolding.

fn main() {
    uniffi::uniffi_bindgen_main()
}
