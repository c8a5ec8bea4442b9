// swift-tools-version:5.9
// The Swift package of rekindle, where SwiftPM looks for it when the package is
// added by URL (File > Add Package Dependencies, or `.package(url:from:)`).
//
// Releases: the binary target is the XCFramework zip attached to the release,
// by URL and checksum (bindings/swift/build-xcframework.sh --zip prints both).
// Local builds: with no release checksum yet, or with REKINDLE_LOCAL_XCFRAMEWORK
// set, it is bindings/swift/RekindleFFI.xcframework, built by that script.
// bindings/swift/Package.swift is the same package for working in that folder.
import Foundation
import PackageDescription

let version = "0.1.0"
// Set by the release: `swift package compute-checksum RekindleFFI.xcframework.zip`.
let releaseChecksum = ""

let local = releaseChecksum.isEmpty
    || ProcessInfo.processInfo.environment["REKINDLE_LOCAL_XCFRAMEWORK"] != nil

let ffi: Target = local
    ? .binaryTarget(name: "RekindleFFI", path: "bindings/swift/RekindleFFI.xcframework")
    : .binaryTarget(
        name: "RekindleFFI",
        url: "https://github.com/rekindle/rekindle/releases/download/v\(version)/RekindleFFI.xcframework.zip",
        checksum: releaseChecksum
    )

let package = Package(
    name: "Rekindle",
    platforms: [.iOS(.v13), .macOS(.v11)],
    products: [
        .library(name: "Rekindle", targets: ["Rekindle"]),
    ],
    targets: [
        ffi,
        .target(name: "Rekindle", dependencies: ["RekindleFFI"], path: "bindings/swift/Sources/Rekindle"),
        .testTarget(name: "RekindleTests", dependencies: ["Rekindle"], path: "bindings/swift/Tests/RekindleTests"),
    ]
)
