#!/usr/bin/env bash
# Checks that apps and docs readers get what the crate promises:
#   1. the declared minimum Rust version (`rust-version` in Cargo.toml) builds
#      the library with the locked dependencies;
#   2. the API documentation builds with warnings as errors;
#   3. the library compiles for the mobile targets, as static libraries with
#      the release-mobile profile: Android (arm64-v8a, armeabi-v7a, x86_64)
#      and iOS (device, simulator on Apple silicon and on Intel). A static
#      library needs no NDK or Xcode linker, so this runs on Linux; the sizes
#      are printed.
#
#   scripts/check-targets.sh                  all three
#   scripts/check-targets.sh msrv|docs|mobile one of them
#
# Toolchains and targets come from rustup. A target whose standard library
# rustup cannot download is built with the nightly toolchain, which compiles
# the standard library from source (-Zbuild-std, with the rust-src
# component); when that cannot be had either, the target is reported as
# SKIPPED and does not fail the run, unless CHECK_TARGETS_STRICT=1. The docs and the mobile targets share the
# usual target directory (the mobile ones under target/<triple>/, where
# bindings/swift/build-xcframework.sh builds too); the older toolchain of the
# MSRV check builds in target/check-targets/msrv.
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-target}
steps=("$@")
if [[ ${#steps[@]} -eq 0 ]]; then
    steps=(msrv docs mobile)
fi

msrv() {
    local version
    version=$(sed -n 's/^rust-version = "\(.*\)"/\1/p' Cargo.toml)
    echo "== msrv: cargo +$version check --locked --lib"
    if ! rustup run "$version" rustc --version >/dev/null 2>&1; then
        rustup toolchain install "$version" --profile minimal
    fi
    cargo "+$version" check --quiet --locked --lib --target-dir "$target_dir/check-targets/msrv"
    echo "msrv: Rust $version builds the library with the locked dependencies"
}

docs() {
    echo "== docs: cargo doc with warnings as errors"
    RUSTDOCFLAGS="-D warnings" cargo doc --quiet --no-deps --lib
    echo "docs: no warnings"
}

# Whether the nightly toolchain with the standard library's source is there
# (or can be installed), to build a target whose standard library rustup
# does not have.
build_std_available() {
    if ! rustup run nightly rustc --version >/dev/null 2>&1; then
        rustup toolchain install nightly --profile minimal >/dev/null 2>&1 || return 1
    fi
    rustup component add rust-src --toolchain nightly >/dev/null 2>&1
}

mobile() {
    local targets=(
        aarch64-linux-android      # Android arm64-v8a
        armv7-linux-androideabi    # Android armeabi-v7a
        x86_64-linux-android       # Android x86_64 (emulator)
        aarch64-apple-ios          # iPhone and iPad
        aarch64-apple-ios-sim      # iOS simulator, Apple silicon
        x86_64-apple-ios           # iOS simulator, Intel
    )
    local skipped=() target lib start how
    echo "== mobile: static libraries, release-mobile profile"
    for target in "${targets[@]}"; do
        how=(cargo)
        if ! rustup target list --installed | grep -qx "$target" \
            && ! rustup target add "$target" >/dev/null 2>&1; then
            if build_std_available; then
                how=(cargo +nightly -Zbuild-std=std,panic_unwind)
            else
                echo "mobile: SKIPPED $target: rustup could not download its standard library"
                skipped+=("$target")
                continue
            fi
        fi
        start=$SECONDS
        "${how[@]}" rustc --quiet --lib --crate-type staticlib --profile release-mobile \
            --target "$target"
        lib=$target_dir/$target/release-mobile/librekindle.a
        printf 'mobile: %-26s librekindle.a %10d bytes (%ds)%s\n' "$target" "$(wc -c <"$lib")" \
            $((SECONDS - start)) "$([[ ${#how[@]} -gt 1 ]] && echo ", nightly -Zbuild-std")"
    done
    if [[ ${#skipped[@]} -gt 0 && ${CHECK_TARGETS_STRICT:-0} == 1 ]]; then
        echo "mobile: could not build ${skipped[*]}" >&2
        return 1
    fi
}

for step in "${steps[@]}"; do
    case "$step" in
        msrv | docs | mobile) "$step" ;;
        *) echo "usage: $0 [msrv|docs|mobile]..." >&2; exit 2 ;;
    esac
done
