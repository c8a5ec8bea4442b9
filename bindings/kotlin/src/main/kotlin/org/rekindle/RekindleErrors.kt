// Written by hand (not generated): what every RekindleException has, so an app
// can catch the one sealed type and still read its tag and readable detail.
package org.rekindle

/** The stable tag of the error (`"syntax"`, `"invalid"`, `"unsupported_format"`, ...), to switch on. */
val RekindleException.tag: String
    get() = when (this) {
        is RekindleException.InvalidPack -> tag
        is RekindleException.InvalidAnswers -> tag
        is RekindleException.InvalidFixtures -> tag
    }

/**
 * The readable detail, also the exception's `message`: every problem with its JSON path, naming
 * questions but never repeating an answer or a context value.
 */
val RekindleException.detail: String
    get() = when (this) {
        is RekindleException.InvalidPack -> detail
        is RekindleException.InvalidAnswers -> detail
        is RekindleException.InvalidFixtures -> detail
    }
