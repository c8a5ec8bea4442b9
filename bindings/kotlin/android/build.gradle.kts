// Builds rekindle-android-release.aar:
//   classes.jar   the hand-written sources (../src/main/kotlin, shared with the JVM jar) and
//                 the binding generated from the mobile library (../src/android/kotlin: no
//                 fixture runner, which the JVM jar's binding in ../src/jvm/kotlin has)
//   jni/<abi>/    librekindle.so for arm64-v8a, armeabi-v7a and x86_64 (cargo-ndk),
//                 without the fixture runner (default features)
//   proguard.txt  the R8 rules apps need (../src/main/resources/META-INF/proguard/rekindle.pro)
//
//   gradle assembleRelease          (Gradle 8.9 or later, Android SDK, NDK, cargo-ndk)
//   gradle assembleRelease -Prekindle.skipCargo=true   (jniLibs built already)
import org.jetbrains.kotlin.gradle.dsl.JvmTarget
import org.jetbrains.kotlin.gradle.dsl.KotlinVersion

plugins {
    id("com.android.library")
    id("org.jetbrains.kotlin.android")
}

val repositoryRoot = rootDir.resolve("../../..").canonicalFile
val abis = listOf("arm64-v8a", "armeabi-v7a", "x86_64")

android {
    namespace = "org.rekindle"
    compileSdk = 35
    // NDK r27 or later links with 16 KB page alignment when asked (see cargoNdk below);
    // Android 15 devices with 16 KB pages need it.
    ndkVersion = "27.2.12479018"

    defaultConfig {
        minSdk = 24
        ndk { abiFilters += abis }
        // Shipped inside the AAR as proguard.txt: apps that minify keep what JNA needs.
        consumerProguardFiles("../src/main/resources/META-INF/proguard/rekindle.pro")
    }

    sourceSets["main"].java.srcDirs("../src/main/kotlin", "../src/android/kotlin")

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    packaging {
        // Stored uncompressed and page-aligned in the APK, so Android maps the
        // library in place (and 16 KB alignment holds there too).
        jniLibs.useLegacyPackaging = false
    }
}

kotlin {
    compilerOptions {
        jvmTarget.set(JvmTarget.JVM_17)
        // The same floor as the JVM jar: apps on Kotlin 1.9 (which reads 2.0 metadata)
        // and later can use the AAR.
        languageVersion.set(KotlinVersion.KOTLIN_2_0)
        apiVersion.set(KotlinVersion.KOTLIN_2_0)
    }
}

dependencies {
    // The Android flavour of JNA, with libjnidispatch.so for every ABI. Never the plain
    // jar on Android: it carries desktop libraries only.
    implementation("net.java.dev.jna:jna:5.19.1@aar")
}

// The native library for every ABI, size-optimised (release-mobile profile), written
// where Android's packager picks it up: src/main/jniLibs/<abi>/librekindle.so. Built as
// the only crate type (`cargo rustc --crate-type cdylib`): built beside the rlib, as
// `cargo build` does, it keeps code that link-time optimisation otherwise drops.
val cargoNdk by tasks.registering(Exec::class) {
    description = "Builds librekindle.so for ${abis.joinToString()} with cargo-ndk"
    workingDir = repositoryRoot
    val args = mutableListOf("cargo", "ndk")
    abis.forEach { args += listOf("-t", it) }
    args += listOf(
        "--platform", "24",
        "-o", projectDir.resolve("src/main/jniLibs").path,
        "rustc", "--profile", "release-mobile", "--lib", "--crate-type", "cdylib",
    )
    commandLine(args)
    // 16 KB ELF segment alignment for Android 15+ devices (NDK r28 does this by default).
    // Relocations in Android's packed format, which the loader reads from Android 6 (API
    // 23; the platform above is 24): about 22 KB less per library, measured on arm64 with
    // lld, the NDK's linker.
    environment(
        "RUSTFLAGS",
        "-C link-arg=-Wl,-z,max-page-size=16384 -C link-arg=-Wl,--pack-dyn-relocs=android",
    )
}

if (findProperty("rekindle.skipCargo")?.toString() != "true") {
    tasks.named("preBuild") { dependsOn(cargoNdk) }
}
