#!/usr/bin/env bash
# Builds RekindleFFI.xcframework (iOS device, iOS simulator, macOS) from the
# Rust library, for the Swift package in this directory. Runs on macOS with
# Xcode and rustup; see README.md for the steps it takes.
#
#   bindings/swift/build-xcframework.sh            release-mobile profile
#   PROFILE=release bindings/swift/build-xcframework.sh
#   bindings/swift/build-xcframework.sh --zip      also RekindleFFI.xcframework.zip
#                                                  and its SwiftPM checksum, for a release
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
profile=${PROFILE:-release-mobile}
target_dir=${CARGO_TARGET_DIR:-$root/target}
out=$here/RekindleFFI.xcframework
staging=$target_dir/xcframework

zip=false
if [[ ${1:-} == --zip ]]; then
    zip=true
fi

if [[ $(uname -s) != Darwin ]]; then
    echo "build-xcframework.sh needs macOS with Xcode (xcodebuild, lipo)" >&2
    exit 1
fi

# The oldest OS versions the package supports (Package.swift says the same).
export IPHONEOS_DEPLOYMENT_TARGET=13.0
export MACOSX_DEPLOYMENT_TARGET=11.0

targets=(
    aarch64-apple-ios          # iPhone and iPad
    aarch64-apple-ios-sim      # simulator on Apple silicon
    x86_64-apple-ios           # simulator on Intel Macs
    aarch64-apple-darwin       # macOS on Apple silicon
    x86_64-apple-darwin        # macOS on Intel
)

# 1. The Swift sources and header must match the library being packaged.
"$root/scripts/generate-bindings.sh" --check

# 2. Compile the static library for every target, alone: built beside the
#    rlib and the shared library, it is several times larger and keeps code
#    that link-time optimisation otherwise drops (see "Size" in BENCHMARKS.md).
rustup target add "${targets[@]}"
for target in "${targets[@]}"; do
    cargo rustc --manifest-path "$root/Cargo.toml" --lib --crate-type staticlib \
        --profile "$profile" --target "$target"
done
lib() { echo "$target_dir/$1/$profile/librekindle.a"; }

# 3. One library per platform: simulator and macOS slices are merged with lipo.
rm -rf "$staging" "$out"
# The header and module map go in a folder named after the module: an app
# with two UniFFI frameworks would otherwise get two Headers/module.modulemap
# files that collide. Clang finds <include dir>/RekindleFFI/module.modulemap
# when Swift imports RekindleFFI.
headers=$staging/headers/RekindleFFI
mkdir -p "$staging/ios" "$staging/ios-simulator" "$staging/macos" "$headers"
cp "$(lib aarch64-apple-ios)" "$staging/ios/librekindle.a"
lipo -create "$(lib aarch64-apple-ios-sim)" "$(lib x86_64-apple-ios)" \
    -output "$staging/ios-simulator/librekindle.a"
lipo -create "$(lib aarch64-apple-darwin)" "$(lib x86_64-apple-darwin)" \
    -output "$staging/macos/librekindle.a"

# 4. The C header and module map of the RekindleFFI module (committed, generated).
cp "$here/Sources/RekindleFFI/include/RekindleFFI.h" \
    "$here/Sources/RekindleFFI/include/module.modulemap" "$headers/"

# 5. The XCFramework.
xcodebuild -create-xcframework \
    -library "$staging/ios/librekindle.a" -headers "$staging/headers" \
    -library "$staging/ios-simulator/librekindle.a" -headers "$staging/headers" \
    -library "$staging/macos/librekindle.a" -headers "$staging/headers" \
    -output "$out"

echo "built $out"

# 6. For a release: the zip that Package.swift (at the repository root) names
#    by URL, and the checksum to put in it.
if $zip; then
    rm -f "$out.zip"
    (cd "$here" && ditto -c -k --sequesterRsrc --keepParent RekindleFFI.xcframework RekindleFFI.xcframework.zip)
    echo "built $out.zip"
    echo "checksum for Package.swift: $(cd "$root" && swift package compute-checksum "$out.zip")"
fi
