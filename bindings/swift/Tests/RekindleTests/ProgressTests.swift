import Foundation
import Rekindle
import XCTest

final class ProgressTests: XCTestCase {
    let engine = Engine()
    let trustLow: [String: Value] = ["q_rely": .text(value: "never"), "q_honest": .text(value: "rarely"), "q_trust_doubts": .text(value: "often")]
    let trustHigh: [String: Value] = ["q_rely": .text(value: "always"), "q_honest": .text(value: "always"), "q_trust_doubts": .text(value: "never")]

    func testPassedBackASnapshotGivesTheChangeAndTheNextStep() throws {
        let taken = try snapshot(result: engine.assess(responses: Responses(answers: trustLow)), date: "2026-10-01", day: 10)
        XCTAssertNil(taken.challenge)
        let first = Snapshot(
            format: taken.format, packId: taken.packId, packVersion: taken.packVersion, packHash: taken.packHash,
            date: taken.date, scores: taken.scores, challenge: "intimacy", phase: "intimacy_trust", day: taken.day
        )
        let later = try engine.assess(responses: Responses(answers: trustHigh, date: "2026-11-27", previous: [first]))
        XCTAssertEqual(later.progress?.days, 57)
        XCTAssertEqual(later.progress?.dimensions.first { $0.id == "trust" }?.direction, .better)
        XCTAssertTrue(later.trace.fired.contains { $0.rule == "progress_trust_days_done" })
    }

    func testASnapshotFromAnotherPackIsATypedError() throws {
        let taken = try snapshot(result: engine.assess(responses: Responses(answers: trustLow)), date: "2026-10-01", day: nil)
        let snap = Snapshot(
            format: taken.format, packId: "SENTINEL-pack", packVersion: taken.packVersion, packHash: taken.packHash,
            date: taken.date, scores: taken.scores, challenge: nil, phase: nil, day: nil
        )
        XCTAssertThrowsError(try engine.assess(responses: Responses(answers: trustLow, previous: [snap]))) { error in
            guard let error = error as? RekindleError, case let .InvalidAnswers(_, detail, problems) = error else {
                return XCTFail("unexpected \(error)")
            }
            XCTAssertEqual(problems.map { $0.path }, ["previous[0].pack_id"])
            XCTAssertFalse(detail.contains("SENTINEL"))
        }
    }
}
