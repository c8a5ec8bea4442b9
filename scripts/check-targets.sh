#!/usr/bin/env bash
# Checks that apps and docs readers get what the crate promises:
#   1. the declared minimum Rust version (`rust-version` in Cargo.toml) builds
#      the library with the locked dependencies;
#   2. the API documentation builds with warnings as errors;
#   3. the library compiles for the mobile targets, as static libraries with
#      the release-mobile profile: Android (arm64-v8a, armeabi-v7a, x86_64)
#      and iOS (device, simulator on Apple silicon and on Intel). A static
#      library needs no NDK or Xcode linker, so this runs on Linux; the sizes
#      are printed;
#   4. (`size`, not in the default run) the sizes apps get: the host's
#      release-mobile shared library built alone and stripped, and the
#      Android arm64 one, estimated by linking the static library with the
#      toolchain's rust-lld as the NDK links a cdylib (no NDK needed).
#
#   scripts/check-targets.sh                  the first three
#   scripts/check-targets.sh msrv|docs|mobile|size  one of them
#
# CHECK_TARGETS_SMALL_STD=1 builds `mobile` and `size` with the nightly
# toolchain and the standard library compiled from source without its
# backtrace symboliser and optimised for size (-Zbuild-std ...
# -Zbuild-std-features=panic-unwind,optimize_for_size): panics still unwind,
# but print no backtrace. 180 to 220 KB less per library; apps that accept a
# nightly toolchain for their release builds can use it, the default
# builds never need it. It builds in $target_dir/small-std.
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

# How the mobile libraries are built: the cargo command and the target
# directory (see CHECK_TARGETS_SMALL_STD above).
small_std() {
    [[ ${CHECK_TARGETS_SMALL_STD:-0} == 1 ]]
}
build_cmd=(cargo)
build_dir=$target_dir
if small_std; then
    build_cmd=(cargo +nightly -Zbuild-std=std,panic_unwind -Zbuild-std-features=panic-unwind,optimize_for_size)
    build_dir=$target_dir/small-std
fi

size() {
    local host sysroot bin so tmp
    host=$(rustc -vV | sed -n 's/^host: //p')
    echo "== size: release-mobile shared libraries, stripped$(small_std && echo ", small standard library")"
    if small_std && ! build_std_available; then
        echo "size: SKIPPED: no nightly toolchain with rust-src" >&2
        return 1
    fi
    tmp=$(mktemp -d)
    # The one crate type each build ships: beside the rlib, link-time
    # optimisation would keep more. -Zbuild-std needs a target.
    if small_std; then
        "${build_cmd[@]}" rustc --quiet --lib --crate-type cdylib --profile release-mobile \
            --target "$host" --target-dir "$build_dir"
        so=$build_dir/$host/release-mobile/librekindle.so
    else
        cargo rustc --quiet --lib --crate-type cdylib --profile release-mobile
        so=$target_dir/release-mobile/librekindle.so
    fi
    strip --strip-all -o "$tmp/host.so" "$so"
    printf 'size: %-26s librekindle.so %10d bytes\n' "$host" "$(wc -c <"$tmp/host.so")"
    if ! rustup target list --installed | grep -qx aarch64-linux-android && ! small_std; then
        rustup target add aarch64-linux-android >/dev/null
    fi
    "${build_cmd[@]}" rustc --quiet --lib --crate-type staticlib --profile release-mobile \
        --target aarch64-linux-android --target-dir "$build_dir"
    # As the NDK links a cdylib (with the AAR's packed relocations): the
    # UniFFI symbols exported, libc and the unwinder left undefined.
    sysroot=$(rustc --print sysroot)
    bin=$sysroot/lib/rustlib/$host/bin
    printf '{ global: uniffi_rekindle_*; ffi_rekindle_*; UNIFFI_META_*; local: *; };\n' >"$tmp/exports.map"
    "$bin/rust-lld" -flavor gnu -shared --gc-sections -z relro -z now -z noexecstack \
        --eh-frame-hdr --build-id --hash-style=gnu -z max-page-size=16384 \
        --pack-dyn-relocs=android --version-script="$tmp/exports.map" \
        --undefined-glob='uniffi_rekindle_*' --undefined-glob='ffi_rekindle_*' \
        --undefined-glob='UNIFFI_META_*' -o "$tmp/android.so" \
        "$build_dir/aarch64-linux-android/release-mobile/librekindle.a"
    LD_LIBRARY_PATH=$sysroot/lib "$bin/rust-objcopy" --strip-all "$tmp/android.so" "$tmp/android.stripped.so"
    printf 'size: %-26s librekindle.so %10d bytes (estimate)\n' aarch64-linux-android \
        "$(wc -c <"$tmp/android.stripped.so")"
    rm -rf "$tmp"
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
    echo "== mobile: static libraries, release-mobile profile$(small_std && echo ", small standard library")"
    for target in "${targets[@]}"; do
        how=("${build_cmd[@]}")
        if small_std; then
            if ! build_std_available; then
                echo "mobile: SKIPPED $target: no nightly toolchain with rust-src"
                skipped+=("$target")
                continue
            fi
        elif ! rustup target list --installed | grep -qx "$target" \
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
            --target "$target" --target-dir "$build_dir"
        lib=$build_dir/$target/release-mobile/librekindle.a
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
        msrv | docs | mobile | size) "$step" ;;
        *) echo "usage: $0 [msrv|docs|mobile|size]..." >&2; exit 2 ;;
    esac
done
