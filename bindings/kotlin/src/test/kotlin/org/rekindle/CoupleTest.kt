package org.rekindle

import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/** A couple fixture of rules/fixtures/couple.json, which the Rust suite checks. */
fun coupleFixture(name: String): JSONObject {
    val fixtures = JSONObject(FIXTURES.resolve("couple.json").readText()).getJSONArray("fixtures")
    return (0 until fixtures.length()).map { fixtures.getJSONObject(it) }.first { it.getString("name") == name }
}

fun coupleResponses(name: String): CoupleResponses {
    val fixture = coupleFixture(name)
    return CoupleResponses(
        a = fixture.getJSONObject("a").toValues(),
        b = fixture.getJSONObject("b").toValues(),
        context = fixture.optJSONObject("context")?.toValues() ?: mapOf(),
    )
}

const val DISCLOSURE = "B answers only a safety item"
const val TWIN = "B answers only the neutral item"

class CoupleTest {
    private val engine = Engine()
    private val safety = JSONObject(defaultPackJson()).getJSONObject("safety")

    @Test
    fun `a couple gets a shared plan and two private views`() {
        val plan = engine.assessCouple(coupleResponses("both feel distant"))
        assertTrue(plan.shared.focusAreas.isNotEmpty())
        assertNotNull(plan.shared.challenge)
        assertNull(plan.a.safety)
        assertNull(plan.b.safety)
        assertTrue(plan.shared.focusAreas.flatMap { it.reasons }.any { it == "couple_both_distant" })
    }

    @Test
    fun `a disclosure reaches only its own partner`() {
        val plan = engine.assessCouple(coupleResponses(DISCLOSURE))
        assertEquals(safety.getString("title"), plan.b.safety?.title)
        assertNull(plan.a.safety)
        val json = JSONObject(engine.assessCoupleJsonToJson(coupleJson(DISCLOSURE)))
        for (view in listOf("shared", "a")) {
            val text = json.getJSONObject(view).toString()
            assertFalse(text.contains(safety.getString("title")), view)
            assertFalse(text.contains(safety.getString("message")), view)
        }
    }

    @Test
    fun `a disclosure reads like the ordinary neutral answer`() {
        val disclosed = engine.assessCouple(coupleResponses(DISCLOSURE))
        val ordinary = engine.assessCouple(coupleResponses(TWIN))
        assertEquals(ordinary.shared, disclosed.shared)
        assertEquals(ordinary.a, disclosed.a)
        assertNotEquals(ordinary.b, disclosed.b)
    }

    @Test
    fun `the author's trace names the safety rule`() {
        val trace = engine.traceCouple(coupleResponses(DISCLOSURE))
        assertTrue(trace.b.fired.any { it.rule == "safety_harm" })
        assertTrue(trace.neutralPlan)
    }

    @Test
    fun `couple errors name the partner and never the answer`() {
        val error = assertThrows<RekindleException.InvalidAnswers> {
            engine.assessCoupleJson("""{"a": {"q_blame": "my secret words"}, "b": {}}""")
        }
        assertEquals(listOf("a.q_blame"), error.problems.map { it.path })
        assertFalse(error.detail.contains("secret"))
        assertFalse(error.toString().contains("secret"))
    }

    private fun coupleJson(name: String): String {
        val fixture = coupleFixture(name)
        return JSONObject()
            .put("a", fixture.getJSONObject("a"))
            .put("b", fixture.getJSONObject("b"))
            .put("context", fixture.optJSONObject("context") ?: JSONObject())
            .toString()
    }
}
