package org.rekindle

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/**
 * No error may repeat an answer or a context value. A sentinel string is put in every position
 * where Kotlin code can hand the library an answer or a context value, on every path that raises
 * an error (typed answers, answers as JSON, malformed JSON, fixture files), and must not appear in
 * the exception's message, detail, tag, problems or file.
 */
class SentinelTest {
    private val engine = Engine()

    /** Every string an app could show or log from the exception. */
    private fun texts(error: RekindleException): List<String> {
        val fields = when (error) {
            is RekindleException.InvalidPack -> listOf(error.tag, error.detail) + error.problems.flatMap { listOf(it.path, it.message, it.toString()) }
            is RekindleException.InvalidAnswers -> listOf(error.tag, error.detail) + error.problems.flatMap { listOf(it.path, it.message, it.toString()) }
            is RekindleException.InvalidFixtures -> listOf(error.tag, error.detail, error.file)
        }
        return fields + listOfNotNull(error.message, error.localizedMessage, error.toString())
    }

    private fun assertClean(what: String, error: RekindleException) {
        for (text in texts(error)) {
            assertFalse(text.contains(SENTINEL, ignoreCase = true), "$what: the error repeats the value: $text")
            assertFalse(text.contains("987654"), "$what: the error repeats the number: $text")
        }
    }

    private fun typed(what: String, responses: Responses) {
        assertClean(what, assertThrows<RekindleException.InvalidAnswers>(what) { engine.assess(responses) })
        assertClean(what, assertThrows<RekindleException.InvalidAnswers>(what) { engine.assessWith(responses, TraceDetail.RULES_ONLY) })
    }

    private fun json(what: String, text: String) {
        assertClean(what, assertThrows<RekindleException.InvalidAnswers>(what) { engine.assessJson(text) })
        assertClean(what, assertThrows<RekindleException.InvalidAnswers>(what) { engine.assessJsonToJson(text) })
    }

    @Test
    fun `typed answers and context never come back in errors`() {
        val text = Value.Text(SENTINEL)
        // Each kind of question (options, range, yes/no), an unknown question, and each slot.
        for (question in listOf(OPTIONS_QUESTION, RANGE_QUESTION, YES_NO_QUESTION, "q_no_such_question")) {
            typed("answer to $question", Responses(answers = mapOf(question to text)))
            val couple = CoupleResponses(a = mapOf(), b = mapOf(question to text))
            assertClean("partner b's answer to $question", assertThrows<RekindleException.InvalidAnswers> { engine.assessCouple(couple) })
        }
        typed("context fact", Responses(answers = mapOf(), context = mapOf(BOOL_FACT to text)))
        typed("unknown context fact", Responses(answers = mapOf(), context = mapOf("no_such_fact" to text)))
        // Numbers that are not allowed: the number must not come back either.
        val number = Value.Number(SENTINEL_NUMBER)
        typed("number for an options question", Responses(answers = mapOf(OPTIONS_QUESTION to number)))
        typed("number out of range", Responses(answers = mapOf(RANGE_QUESTION to number)))
        typed("number as a context fact", Responses(answers = mapOf(), context = mapOf(BOOL_FACT to number)))
    }

    @Test
    fun `the answers as JSON never come back in errors`() {
        val s = "\"$SENTINEL\""
        val cases = listOf(
            "answer to an options question" to """{"answers": {"$OPTIONS_QUESTION": $s}}""",
            "answer to a range question" to """{"answers": {"$RANGE_QUESTION": $s}}""",
            "answer to a yes/no question" to """{"answers": {"$YES_NO_QUESTION": $s}}""",
            "answer to an unknown question" to """{"answers": {"q_no_such_question": $s}}""",
            "context fact" to """{"answers": {}, "context": {"$BOOL_FACT": $s}}""",
            "answers as a string" to """{"answers": $s}""",
            "context as a string" to """{"answers": {}, "context": $s}""",
            "answer in a list" to """{"answers": {"$OPTIONS_QUESTION": [$s]}}""",
            "answer in an object" to """{"answers": {"$OPTIONS_QUESTION": {"value": $s}}}""",
            "unknown top-level field" to """{"answers": {}, "extra": $s}""",
            "the whole text a string" to s,
            "cut off after the answer" to """{"answers": {"$OPTIONS_QUESTION": $s""",
            "a bare word" to """{"answers": {"$OPTIONS_QUESTION": $SENTINEL}}""",
            "an unterminated string" to """{"answers": {"$OPTIONS_QUESTION": "$SENTINEL""",
            "a bad escape in the answer" to """{"answers": {"$OPTIONS_QUESTION": "$SENTINEL\q"}}""",
            "a number out of range" to """{"answers": {"$RANGE_QUESTION": $SENTINEL_NUMBER_TEXT}}""",
        )
        for ((what, text) in cases) {
            json(what, text)
        }
        val couples = listOf(
            "partner a's answer" to """{"a": {"$OPTIONS_QUESTION": $s}, "b": {}}""",
            "partner b's answer" to """{"a": {}, "b": {"$RANGE_QUESTION": $s}}""",
            "a partner's answers as a string" to """{"a": $s, "b": {}}""",
            "the couple's context" to """{"a": {}, "b": {}, "context": {"$BOOL_FACT": $s}}""",
        )
        for ((what, text) in couples) {
            assertClean(what, assertThrows<RekindleException.InvalidAnswers>(what) { engine.assessCoupleJson(text) })
        }
    }

    @Test
    fun `fixture files never repeat their answers in errors`() {
        val s = "\"$SENTINEL\""
        val cases = listOf(
            "cut off after an answer" to """{"format": 1, "fixtures": [{"name": "n", "answers": {"$OPTIONS_QUESTION": $s""",
            "answers as a string" to """{"format": 1, "fixtures": [{"name": "n", "answers": $s, "expect": {}}]}""",
            "a bare word as an answer" to """{"format": 1, "fixtures": [{"name": "n", "answers": {"$OPTIONS_QUESTION": $SENTINEL}}]}""",
            "an answer in a list" to """{"format": 1, "fixtures": [{"name": "n", "answers": {"$OPTIONS_QUESTION": [$s]}, "expect": {}}]}""",
        )
        for ((what, text) in cases) {
            val error = assertThrows<RekindleException.InvalidFixtures>(what) {
                engine.runFixtures(listOf(FixtureSource(name = "sentinel.json", json = text)))
            }
            assertClean(what, error)
        }
    }

    @Test
    fun `message is the readable detail and one type catches every error`() {
        val errors: List<RekindleException> = listOf(
            assertThrows { Engine.fromJson("{ not json") },
            assertThrows { engine.assess(Responses(answers = mapOf(OPTIONS_QUESTION to Value.Text("nope")))) },
            assertThrows { engine.runFixtures(listOf(FixtureSource("broken.json", "{"))) },
        )
        for (error in errors) {
            assertEquals(error.detail, error.message)
            assertTrue(error.tag.isNotEmpty())
            assertFalse(error.message!!.startsWith("tag="), error.message)
        }
        assertEquals(listOf("syntax", "invalid", "syntax"), errors.map { it.tag })
    }

    @Test
    fun `the library says which pack format it reads and refuses a newer one`() {
        assertEquals(1u, supportedPackFormat())
        val pack = org.json.JSONObject(defaultPackJson())
        assertEquals(supportedPackFormat().toInt(), pack.getInt("format"))
        // rules/FORMAT.md: a pack of a newer format, even one that only adds a field, is refused
        // whole with unsupported_format, and the app keeps its bundled pack.
        pack.put("format", supportedPackFormat().toInt() + 1).put("a_field_from_the_future", true)
        val error = assertThrows<RekindleException.InvalidPack> { Engine.fromJson(pack.toString()) }
        assertEquals("unsupported_format", error.tag)
    }

    companion object {
        const val SENTINEL = "Zq7SentinelAnswer"
        const val SENTINEL_NUMBER = 987654.125
        const val SENTINEL_NUMBER_TEXT = "987654.125"
        const val OPTIONS_QUESTION = "q_misunderstandings"
        const val RANGE_QUESTION = "q_overall_closeness"
        const val YES_NO_QUESTION = "q_safety_fear"
        const val BOOL_FACT = "married"
    }
}
