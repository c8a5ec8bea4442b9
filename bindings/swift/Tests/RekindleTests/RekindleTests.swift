import Foundation
import Rekindle
import XCTest

/// The persona every binding assesses, and what the Rust engine gives for it (tests/ffi.rs).
let scenario = "a couple in constant conflict"
let expectedFocus = [
    "compromise",
    "active_listening",
    "i_statements",
    "respect_kindness",
    "non_sexual_intimacy",
    "honesty_vulnerability",
]
let expectedChallenge = "intimacy"
let expectedPhase = "intimacy_conflict"
let expectedTherapy = "recommend"

/// rules/fixtures in the repository, found from this file.
let fixturesDir = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent() // RekindleTests
    .deletingLastPathComponent() // Tests
    .deletingLastPathComponent() // swift
    .deletingLastPathComponent() // bindings
    .appendingPathComponent("rules/fixtures")

/// A JSON answer: a boolean, a number or a string.
enum RawAnswer: Decodable {
    case bool(Bool)
    case number(Double)
    case text(String)

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    var value: Value {
        switch self {
        case let .bool(flag): return .bool(value: flag)
        case let .number(number): return .number(value: number)
        case let .text(text): return .text(value: text)
        }
    }
}

struct FixtureFile: Decodable {
    struct Fixture: Decodable {
        let name: String
        let answers: [String: RawAnswer]
        let context: [String: RawAnswer]?
    }

    let fixtures: [Fixture]
}

func scenarioResponses() throws -> Responses {
    let data = try Data(contentsOf: fixturesDir.appendingPathComponent("personas.json"))
    let file = try JSONDecoder().decode(FixtureFile.self, from: data)
    guard let fixture = file.fixtures.first(where: { $0.name == scenario }) else {
        throw XCTSkip("no fixture named \(scenario)")
    }
    return Responses(
        answers: fixture.answers.mapValues { $0.value },
        context: (fixture.context ?? [:]).mapValues { $0.value }
    )
}

final class RekindleTests: XCTestCase {
    let engine = Engine()

    func testDefaultEngineDescribesItsPack() throws {
        let info = engine.info()
        XCTAssertEqual(info.id, "rekindle.default")
        XCTAssertEqual(info.hash.count, 64)
        XCTAssertEqual(try Engine.fromJson(json: defaultPackJson()).info(), info)
        XCTAssertFalse(engine.ruleIds().isEmpty)
        XCTAssertFalse(libraryVersion().isEmpty)
    }

    func testQuestionnaireRendersFromThePack() {
        let questionnaire = engine.questionnaire()
        let sectionIds = Set(questionnaire.sections.map { $0.id })
        XCTAssertTrue(questionnaire.questions.allSatisfy { question in
            question.section.map { sectionIds.contains($0) } ?? true
        })
        let first = questionnaire.questions[0]
        XCTAssertEqual(first.id, "q_misunderstandings")
        guard case let .options(options) = first.answer else {
            return XCTFail("first question takes options")
        }
        XCTAssertTrue(options.contains { $0.value == "often" })
        XCTAssertTrue(questionnaire.questions.contains { $0.answer == .yesNo })
        XCTAssertEqual(questionnaire.context.first { $0.id == "married" }?.kind, .bool)
    }

    func testQuickStart() throws {
        // The README's quick start, verbatim.
        let plan = try engine.assess(responses: Responses(
            answers: ["q_misunderstandings": .text(value: "often")],
            context: ["married": .bool(value: true)]
        ))
        for area in plan.focusAreas {
            print("\(area.title) (\(area.weight))")
        }
        XCTAssertEqual(plan.focusAreas.first?.id, "active_listening")
        XCTAssertNil(plan.safety)
    }

    func testTheScenarioGivesWhatRustGives() throws {
        let plan = try engine.assess(responses: scenarioResponses())
        XCTAssertEqual(plan.focusAreas.map { $0.id }, expectedFocus)
        XCTAssertEqual(plan.challenge?.id, expectedChallenge)
        XCTAssertEqual(plan.challenge?.phase.id, expectedPhase)
        XCTAssertEqual(plan.therapy.level, expectedTherapy)
        XCTAssertNil(plan.safety)
    }

    func testRulesOnlyKeepsTheDecisions() throws {
        let full = try engine.assess(responses: scenarioResponses())
        let lean = try engine.assessWith(responses: scenarioResponses(), detail: .rulesOnly)
        XCTAssertEqual(lean.focusAreas, full.focusAreas)
        XCTAssertEqual(lean.challenge, full.challenge)
        XCTAssertEqual(lean.therapy, full.therapy)
        XCTAssertEqual(lean.trace.fired.map { $0.rule }, full.trace.fired.map { $0.rule })
        XCTAssertTrue(lean.trace.fired.allSatisfy { $0.leaves.isEmpty })
    }

    func testTheCatalogGivesPracticesAndTodaysActivity() throws {
        let plan = try engine.assess(responses: scenarioResponses())
        let area = try XCTUnwrap(engine.focusArea(id: plan.focusAreas[0].id))
        XCTAssertEqual(area.title, plan.focusAreas[0].title)
        XCTAssertGreaterThanOrEqual(area.practices.count, 3)
        let phase = try XCTUnwrap(plan.challenge).phase
        let challenge = try XCTUnwrap(engine.challenge(id: expectedChallenge))
        let details = try XCTUnwrap(challenge.phases.first { $0.id == phase.id })
        XCTAssertEqual(details.activities.count, Int(phase.lastDay - phase.firstDay + 1))
        XCTAssertEqual(engine.activity(phase: phase.id, day: 1), details.activities.first)
        XCTAssertNil(engine.activity(phase: phase.id, day: 0))
        XCTAssertNil(engine.focusArea(id: "no_such_area"))
    }

    func testAssessJsonToJsonGivesThePlanAsJson() throws {
        let plan = try engine.assess(responses: scenarioResponses())
        let data = try JSONEncoder().encode(["answers": ["q_blame": "often"]])
        let text = try engine.assessJsonToJson(json: String(decoding: data, as: UTF8.self))
        let object = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        )
        XCTAssertNotNil(object["therapy"] as? [String: Any])
        XCTAssertEqual(plan.therapy.level, expectedTherapy)
        XCTAssertThrowsError(try engine.assessJsonToJson(json: "{\"answers\": {\"q_blame\": 3}}"))
    }

    func testAPackThatIsNotJsonThrowsInvalidPack() {
        XCTAssertThrowsError(try Engine.fromJson(json: "{ not json")) { error in
            guard let error = error as? RekindleError, case let .InvalidPack(tag, detail, problems) = error else {
                return XCTFail("unexpected \(error)")
            }
            XCTAssertEqual(tag, "syntax")
            XCTAssertTrue(detail.contains("line 1"), detail)
            XCTAssertTrue(problems.isEmpty)
        }
    }

    func testAPackWithBrokenRulesListsEveryProblem() throws {
        var pack = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(defaultPackJson().utf8)) as? [String: Any]
        )
        var rules = try XCTUnwrap(pack["rules"] as? [[String: Any]])
        var effects = try XCTUnwrap(rules[0]["then"] as? [String: Any])
        effects["focus"] = ["no_such_area": 1]
        rules[0]["then"] = effects
        pack["rules"] = rules
        let json = String(decoding: try JSONSerialization.data(withJSONObject: pack), as: UTF8.self)
        XCTAssertThrowsError(try Engine.fromJson(json: json)) { error in
            guard let error = error as? RekindleError, case let .InvalidPack(tag, _, problems) = error else {
                return XCTFail("unexpected \(error)")
            }
            XCTAssertEqual(tag, "invalid")
            XCTAssertTrue(problems.contains { $0.kind == .unknownReference })
        }
    }

    func testBadAnswersThrowInvalidAnswers() {
        let responses = Responses(answers: ["q_misunderstandings": .text(value: "sometimes-ish")])
        XCTAssertThrowsError(try engine.assess(responses: responses)) { error in
            guard let error = error as? RekindleError, case let .InvalidAnswers(tag, detail, problems) = error else {
                return XCTFail("unexpected \(error)")
            }
            XCTAssertEqual(tag, "invalid")
            XCTAssertEqual(problems.map { $0.kind }, [.unknownOption])
            XCTAssertEqual(problems.first?.path, "answers.q_misunderstandings")
            XCTAssertFalse(detail.contains("sometimes-ish"))
        }
        XCTAssertThrowsError(try engine.assessJson(json: "{\"answers\": [")) { error in
            guard let error = error as? RekindleError, case let .InvalidAnswers(tag, _, _) = error else {
                return XCTFail("unexpected \(error)")
            }
            XCTAssertEqual(tag, "syntax")
        }
    }

    func testErrorDescriptionIsTheReadableDetail() {
        XCTAssertThrowsError(try engine.assess(responses: Responses(answers: ["q_misunderstandings": .text(value: "nope")]))) { error in
            guard let rekindle = error as? RekindleError, case let .InvalidAnswers(tag, detail, _) = rekindle else {
                return XCTFail("unexpected \(error)")
            }
            XCTAssertEqual(rekindle.errorDescription, detail)
            XCTAssertEqual(error.localizedDescription, detail)
            XCTAssertEqual(rekindle.tag, tag)
            XCTAssertFalse(detail.contains("nope"))
        }
        XCTAssertEqual(supportedPackFormat(), 1)
    }

    func testTheFixtureRunner() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: fixturesDir.path)
            .filter { $0.hasSuffix(".json") }
            .sorted()
        let files = try names.map { name in
            FixtureSource(
                name: name,
                json: try String(contentsOf: fixturesDir.appendingPathComponent(name), encoding: .utf8)
            )
        }
        let report = try engine.runFixtures(files: files)
        XCTAssertEqual(report.failed, 0, fixtureSummary(report: report))
        XCTAssertGreaterThan(report.passed, 0)
        XCTAssertTrue(report.unfiredRules.isEmpty)

        let broken = [FixtureSource(name: "broken.json", json: "{\"format\": 1, \"fixtures\": [")]
        XCTAssertThrowsError(try engine.runFixtures(files: broken)) { error in
            guard let error = error as? RekindleError, case let .InvalidFixtures(tag, _, file) = error else {
                return XCTFail("unexpected \(error)")
            }
            XCTAssertEqual(tag, "syntax")
            XCTAssertEqual(file, "broken.json")
        }
    }

    func testOneEngineServesManyThreads() throws {
        let responses = try scenarioResponses()
        let expected = try engine.assess(responses: responses)
        let lock = NSLock()
        var same = 0
        DispatchQueue.concurrentPerform(iterations: 16) { _ in
            for _ in 0..<25 {
                let plan = try? engine.assess(responses: responses)
                lock.lock()
                if plan == expected { same += 1 }
                lock.unlock()
            }
        }
        XCTAssertEqual(same, 400)
    }
}
