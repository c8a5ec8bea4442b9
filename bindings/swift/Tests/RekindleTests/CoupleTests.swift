import Foundation
import Rekindle
import XCTest

/// A couple fixture of rules/fixtures/couple.json, which the Rust suite checks.
struct CoupleFixtureFile: Decodable {
    struct Fixture: Decodable {
        let name: String
        let a: [String: RawAnswer]
        let b: [String: RawAnswer]
        let context: [String: RawAnswer]?
    }

    let fixtures: [Fixture]
}

func coupleResponses(_ name: String) throws -> CoupleResponses {
    let data = try Data(contentsOf: fixturesDir.appendingPathComponent("couple.json"))
    let file = try JSONDecoder().decode(CoupleFixtureFile.self, from: data)
    guard let fixture = file.fixtures.first(where: { $0.name == name }) else {
        throw XCTSkip("no couple fixture named \(name)")
    }
    return CoupleResponses(
        a: fixture.a.mapValues { $0.value },
        b: fixture.b.mapValues { $0.value },
        context: (fixture.context ?? [:]).mapValues { $0.value }
    )
}

let disclosure = "B answers only a safety item"
let neutralTwin = "B answers only the neutral item"

final class CoupleTests: XCTestCase {
    let engine = Engine()

    func testACoupleGetsASharedPlanAndTwoPrivateViews() throws {
        let plan = try engine.assessCouple(responses: coupleResponses("both feel distant"))
        XCTAssertFalse(plan.shared.focusAreas.isEmpty)
        XCTAssertNotNil(plan.shared.challenge)
        XCTAssertNil(plan.a.safety)
        XCTAssertNil(plan.b.safety)
        XCTAssertTrue(plan.shared.focusAreas.flatMap { $0.reasons }.contains("couple_both_distant"))
    }

    func testADisclosureReachesOnlyItsOwnPartner() throws {
        let plan = try engine.assessCouple(responses: coupleResponses(disclosure))
        XCTAssertNotNil(plan.b.safety)
        XCTAssertNil(plan.a.safety)
        let title = plan.b.safety?.title ?? ""
        XCTAssertFalse("\(plan.shared)".contains(title))
        XCTAssertFalse("\(plan.a)".contains(title))
    }

    func testADisclosureReadsLikeTheOrdinaryNeutralAnswer() throws {
        let disclosed = try engine.assessCouple(responses: coupleResponses(disclosure))
        let ordinary = try engine.assessCouple(responses: coupleResponses(neutralTwin))
        XCTAssertEqual(disclosed.shared, ordinary.shared)
        XCTAssertEqual(disclosed.a, ordinary.a)
        XCTAssertNotEqual(disclosed.b, ordinary.b)
    }

    func testCoupleErrorsNameThePartnerAndNeverTheAnswer() {
        XCTAssertThrowsError(try engine.assessCoupleJson(json: #"{"a": {"q_blame": "my secret words"}, "b": {}}"#)) { error in
            guard let error = error as? RekindleError, case let .InvalidAnswers(_, detail, problems) = error else {
                return XCTFail("expected InvalidAnswers, got \(error)")
            }
            XCTAssertEqual(problems.map { $0.path }, ["a.q_blame"])
            XCTAssertFalse(detail.contains("secret"))
        }
    }
}
