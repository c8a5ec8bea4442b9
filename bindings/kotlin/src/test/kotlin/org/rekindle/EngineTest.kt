package org.rekindle

import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.io.File
import java.util.concurrent.Callable
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit

/**
 * The persona every binding assesses. What it must give (focus areas in order, challenge, phase,
 * therapy level) is read from the fixture's own expectations, which the Rust fixture suite checks.
 */
const val SCENARIO = "a couple in constant conflict"

/** rules/fixtures, found from the Maven project directory (bindings/kotlin). */
val FIXTURES: File = File(System.getProperty("user.dir")).resolve("../../rules/fixtures").canonicalFile

/** A JSON answer as a typed [Value]. */
fun toValue(raw: Any): Value = when (raw) {
    is Boolean -> Value.Bool(raw)
    is Number -> Value.Number(raw.toDouble())
    is String -> Value.Text(raw)
    else -> throw IllegalArgumentException("not an answer: $raw")
}

fun JSONObject.toValues(): Map<String, Value> = keySet().associateWith { toValue(get(it)) }

fun scenarioFixture(): JSONObject {
    val fixtures = JSONObject(FIXTURES.resolve("personas.json").readText()).getJSONArray("fixtures")
    return (0 until fixtures.length()).map { fixtures.getJSONObject(it) }.first { it.getString("name") == SCENARIO }
}

val EXPECT: JSONObject by lazy { scenarioFixture().getJSONObject("expect") }
val FOCUS: List<String> by lazy { EXPECT.getJSONArray("focus_top").let { list -> (0 until list.length()).map { list.getString(it) } } }
val CHALLENGE: String by lazy { EXPECT.getString("challenge") }
val PHASE: String by lazy { EXPECT.getString("phase") }
val THERAPY: String by lazy { EXPECT.getString("therapy") }

fun scenarioResponses(): Responses {
    val fixture = scenarioFixture()
    return Responses(
        answers = fixture.getJSONObject("answers").toValues(),
        context = fixture.optJSONObject("context")?.toValues() ?: mapOf(),
    )
}

class EngineTest {
    private val engine = Engine()

    @Test
    fun `the default engine describes its pack`() {
        val info = engine.info()
        assertEquals("rekindle.default", info.id)
        assertEquals(64, info.hash.length)
        Engine.fromJson(defaultPackJson()).use { fromJson -> assertEquals(info, fromJson.info()) }
        assertTrue(engine.ruleIds().isNotEmpty())
        assertTrue(libraryVersion().isNotEmpty())
    }

    @Test
    fun `the questionnaire renders from the pack`() {
        val questionnaire = engine.questionnaire()
        val sectionIds = questionnaire.sections.map { it.id }.toSet()
        assertTrue(questionnaire.questions.all { it.section in sectionIds })
        val first = questionnaire.questions.first()
        assertEquals("q_misunderstandings", first.id)
        val options = (first.answer as AnswerKind.Options).options
        assertTrue(options.any { it.value == "often" })
        val range = questionnaire.questions.map { it.answer }.filterIsInstance<AnswerKind.Range>().first()
        assertTrue(range.min < range.max)
        assertTrue(questionnaire.questions.any { it.answer is AnswerKind.YesNo })
        assertEquals(FactKind.BOOL, questionnaire.context.first { it.id == "married" }.kind)
    }

    @Test
    fun `quick start`() {
        // The README's quick start, verbatim.
        val plan = engine.assess(
            Responses(
                answers = mapOf("q_misunderstandings" to Value.Text("often")),
                context = mapOf("married" to Value.Bool(true)),
            ),
        )
        for (area in plan.focusAreas) {
            println("${area.title} (${area.weight})")
        }
        assertEquals("active_listening", plan.focusAreas.first().id)
        assertNull(plan.safety)
    }

    @Test
    fun `the scenario gives what Rust gives`() {
        val plan = engine.assess(scenarioResponses())
        assertEquals(FOCUS, plan.focusAreas.map { it.id })
        val challenge = checkNotNull(plan.challenge) { "no challenge" }
        assertEquals(CHALLENGE, challenge.id)
        assertEquals(PHASE, challenge.phase.id)
        assertEquals(THERAPY, plan.therapy.level)
        assertNull(plan.safety)
        assertTrue(plan.trace.fired.any { it.rule == "persistent_unresolved_conflict" })
    }

    @Test
    fun `rules only keeps the decisions`() {
        val full = engine.assess(scenarioResponses())
        val lean = engine.assessWith(scenarioResponses(), TraceDetail.RULES_ONLY)
        assertEquals(full.focusAreas, lean.focusAreas)
        assertEquals(full.challenge, lean.challenge)
        assertEquals(full.therapy, lean.therapy)
        assertEquals(full.trace.fired.map { it.rule }, lean.trace.fired.map { it.rule })
        assertTrue(lean.trace.fired.all { it.leaves.isEmpty() })
    }

    @Test
    fun `the catalog gives practices and today's activity`() {
        val plan = engine.assess(scenarioResponses())
        val area = checkNotNull(engine.focusArea(plan.focusAreas.first().id))
        assertEquals(plan.focusAreas.first().title, area.title)
        assertTrue(area.practices.size >= 3)
        val phase = checkNotNull(plan.challenge).phase
        val details = checkNotNull(engine.challenge(CHALLENGE)).phases.first { it.id == phase.id }
        assertEquals((phase.lastDay - phase.firstDay + 1u).toInt(), details.activities.size)
        assertEquals(details.activities.first(), engine.activity(phase.id, 1u))
        assertNull(engine.activity(phase.id, 0u))
        assertNull(engine.focusArea("no_such_area"))
    }

    @Test
    fun `assessJson matches assess`() {
        val fixture = scenarioFixture()
        val json = JSONObject().put("answers", fixture.getJSONObject("answers")).put("context", fixture.getJSONObject("context"))
        assertEquals(engine.assess(scenarioResponses()), engine.assessJson(json.toString()))
    }

    @Test
    fun `assessJsonToJson gives the plan as JSON`() {
        val fixture = scenarioFixture()
        val json = JSONObject().put("answers", fixture.getJSONObject("answers")).put("context", fixture.getJSONObject("context"))
        val plan = JSONObject(engine.assessJsonToJson(json.toString()))
        val focus = plan.getJSONArray("focus_areas")
        assertEquals(FOCUS, (0 until focus.length()).map { focus.getJSONObject(it).getString("id") })
        assertEquals(THERAPY, plan.getJSONObject("therapy").getString("level"))
        assertThrows<RekindleException.InvalidAnswers> { engine.assessJsonToJson("{\"answers\": {\"q_blame\": 3}}") }
    }

    @Test
    fun `a pack that is not JSON throws InvalidPack`() {
        val error = assertThrows<RekindleException.InvalidPack> { Engine.fromJson("{ not json") }
        assertEquals("syntax", error.tag)
        assertTrue(error.detail.contains("line 1"), error.detail)
        assertTrue(error.problems.isEmpty())
    }

    @Test
    fun `a pack with broken rules lists every problem`() {
        val pack = JSONObject(defaultPackJson())
        pack.getJSONArray("rules").getJSONObject(0).getJSONObject("then")
            .put("focus", JSONObject().put("no_such_area", 1))
        val error: RekindleException = assertThrows<RekindleException> { Engine.fromJson(pack.toString()) }
        when (error) {
            is RekindleException.InvalidPack -> {
                assertEquals("invalid", error.tag)
                assertTrue(error.problems.any { it.kind == ProblemKind.UNKNOWN_REFERENCE })
                assertTrue(error.problems.all { it.path.isNotEmpty() })
            }
            is RekindleException.InvalidAnswers, is RekindleException.InvalidFixtures -> throw AssertionError(error)
        }
    }

    @Test
    fun `bad answers throw InvalidAnswers`() {
        val error = assertThrows<RekindleException.InvalidAnswers> {
            engine.assess(Responses(answers = mapOf("q_misunderstandings" to Value.Text("sometimes-ish"))))
        }
        assertEquals("invalid", error.tag)
        assertEquals(listOf(ProblemKind.UNKNOWN_OPTION), error.problems.map { it.kind })
        assertEquals("answers.q_misunderstandings", error.problems.first().path)
        assertFalse(error.detail.contains("sometimes-ish"))

        val syntax = assertThrows<RekindleException.InvalidAnswers> { engine.assessJson("{\"answers\": [") }
        assertEquals("syntax", syntax.tag)
    }

    @Test
    fun `the fixture runner`() {
        val files = FIXTURES.listFiles { f -> f.name.endsWith(".json") }!!.sorted()
            .map { FixtureSource(name = it.name, json = it.readText()) }
        val report = engine.runFixtures(files)
        assertEquals(0u, report.failed, fixtureSummary(report))
        assertTrue(report.passed > 0u)
        assertTrue(report.unfiredRules.isEmpty())
        assertTrue(fixtureSummary(report).endsWith("${report.passed} passed, 0 failed"))

        val broken = assertThrows<RekindleException.InvalidFixtures> {
            engine.runFixtures(listOf(FixtureSource("broken.json", "{\"format\": 1, \"fixtures\": [")))
        }
        assertEquals("syntax", broken.tag)
        assertEquals("broken.json", broken.file)
    }

    @Test
    fun `errors and results interleave on one thread`() {
        // Call statuses are reused per thread: an error (whose lifting makes a nested native
        // call) must leave nothing behind for the next call.
        val expected = engine.assess(scenarioResponses())
        repeat(200) {
            assertThrows<RekindleException.InvalidAnswers> {
                engine.assess(Responses(answers = mapOf("q_misunderstandings" to Value.Text("nope"))))
            }
            assertThrows<RekindleException.InvalidPack> { Engine.fromJson("{") }
            assertEquals(expected, engine.assess(scenarioResponses()))
            assertEquals("rekindle.default", engine.info().id)
        }
    }

    @Test
    fun `strings reach Rust as UTF-8 and a lone surrogate is refused`() {
        // Accents and an emoji (a surrogate pair) arrive intact: the pack has no such option.
        for (text in listOf("café", "\uD83D\uDE00 often")) {
            val error = assertThrows<RekindleException.InvalidAnswers> {
                engine.assess(Responses(answers = mapOf("q_misunderstandings" to Value.Text(text))))
            }
            assertEquals(listOf(ProblemKind.UNKNOWN_OPTION), error.problems.map { it.kind })
        }
        assertThrows<java.nio.charset.CharacterCodingException> {
            engine.assess(Responses(answers = mapOf("q_misunderstandings" to Value.Text("often\uD800"))))
        }
        assertEquals(Engine.fromJson(defaultPackJson()).info(), engine.info())
    }

    @Test
    fun `one engine serves many threads`() {
        val expected = engine.assess(scenarioResponses())
        val pool = Executors.newFixedThreadPool(8)
        try {
            val tasks = (0 until 16).map { Callable { (0 until 25).map { engine.assess(scenarioResponses()) } } }
            val results = pool.invokeAll(tasks).flatMap { it.get() }
            assertEquals(400, results.size)
            assertTrue(results.all { it == expected })
        } finally {
            pool.shutdown()
            pool.awaitTermination(10, TimeUnit.SECONDS)
        }
    }
}
