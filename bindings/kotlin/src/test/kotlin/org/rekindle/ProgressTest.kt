package org.rekindle

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class ProgressTest {
    private val engine = Engine()
    private val trustLow = mapOf("q_rely" to "never", "q_honest" to "rarely", "q_trust_doubts" to "often")
    private val trustHigh = mapOf("q_rely" to "always", "q_honest" to "always", "q_trust_doubts" to "never")

    private fun answers(map: Map<String, String>) = map.mapValues { Value.Text(it.value) }

    @Test
    fun `a snapshot holds no answers and no safety state`() {
        val plan = engine.assess(Responses(answers = answers(trustLow) + ("q_safety_fear" to Value.Bool(true))))
        assertNotNull(plan.safety)
        val snap = snapshot(plan, "2026-10-01", 10u)
        assertEquals("2026-10-01", snap.date)
        assertNull(snap.challenge)
        assertFalse(snap.toString().contains("safety"))
        assertFalse(snap.toString().contains("q_"))
    }

    @Test
    fun `passed back a snapshot gives the change and the next step`() {
        val first = snapshot(engine.assess(Responses(answers = answers(trustLow))), "2026-10-01", 10u)
            .copy(challenge = "intimacy", phase = "intimacy_trust")
        val later = engine.assess(Responses(answers = answers(trustHigh), date = "2026-11-27", previous = listOf(first)))
        val progress = later.progress!!
        assertEquals(57u, progress.days)
        assertEquals(Direction.BETTER, progress.dimensions.first { it.id == "trust" }.direction)
        assertTrue(later.trace.fired.any { it.rule == "progress_trust_days_done" })
    }

    @Test
    fun `a snapshot from another pack is a typed error without its values`() {
        val snap = snapshot(engine.assess(Responses(answers = answers(trustLow))), "2026-10-01", null)
            .copy(packId = "SENTINEL-pack")
        val error = assertThrows<RekindleException.InvalidAnswers> {
            engine.assess(Responses(answers = answers(trustLow), previous = listOf(snap)))
        }
        assertEquals(listOf("previous[0].pack_id"), error.problems.map { it.path })
        assertFalse(error.detail.contains("SENTINEL"))
    }
}
