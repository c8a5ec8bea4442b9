// Written by hand (not generated): the readable message of `RekindleError`.
// uniffi.toml turns off the generator's `LocalizedError` conformance, whose
// `errorDescription` is a dump of the whole enum.
import Foundation

extension RekindleError: LocalizedError {
    /// The readable detail of the error: every problem with its JSON path,
    /// naming questions but never repeating an answer.
    public var errorDescription: String? {
        switch self {
        case let .InvalidPack(_, detail, _),
             let .InvalidAnswers(_, detail, _),
             let .InvalidFixtures(_, detail, _):
            return detail
        }
    }

    /// The stable tag of the error (`"syntax"`, `"invalid"`, ...), to switch on.
    public var tag: String {
        switch self {
        case let .InvalidPack(tag, _, _),
             let .InvalidAnswers(tag, _, _),
             let .InvalidFixtures(tag, _, _):
            return tag
        }
    }
}
