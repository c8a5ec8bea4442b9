// The Android library module of the rekindle Kotlin binding: an AAR with the
// generated Kotlin, the native library for three ABIs (built by cargo-ndk) and
// the R8 rules. See ../README.md, "Android".
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
    plugins {
        // Pinned: the module is tested with exactly these.
        id("com.android.library") version "8.7.3"
        id("org.jetbrains.kotlin.android") version "2.0.21"
    }
}

dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}

rootProject.name = "rekindle-android"
