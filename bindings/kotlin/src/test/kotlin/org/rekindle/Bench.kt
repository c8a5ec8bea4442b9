package org.rekindle

/**
 * FFI cost of `assess` through the Kotlin binding, after warm-up.
 * Run: `mvn -q test-compile exec:java` in bindings/kotlin (after `cargo build --release --lib`).
 */
fun main() {
    val engine = Engine()
    val responses = scenarioResponses()
    val json = JSONish.responses(responses)
    fun measure(label: String, iterations: Int, call: () -> Unit) {
        repeat(iterations) { call() } // warm-up: JIT, JNA, caches
        val samples = LongArray(7) {
            val start = System.nanoTime()
            repeat(iterations) { call() }
            (System.nanoTime() - start) / iterations
        }
        samples.sort()
        println("%-28s median %7.1f µs/call  (best %.1f µs, %d calls x 7)".format(
            label, samples[3] / 1000.0, samples[0] / 1000.0, iterations))
    }
    measure("assess (typed Responses)", 5_000) { engine.assess(responses) }
    measure("assessWith (RULES_ONLY)", 5_000) { engine.assessWith(responses, TraceDetail.RULES_ONLY) }
    measure("assessJson", 5_000) { engine.assessJson(json) }
    measure("assessJsonToJson", 5_000) { engine.assessJsonToJson(json) }
    measure("info (FFI round trip)", 50_000) { engine.info() }
    engine.close()
}

/** Just enough JSON for the benchmark's responses. */
private object JSONish {
    fun responses(responses: Responses): String =
        org.json.JSONObject()
            .put("answers", org.json.JSONObject(responses.answers.mapValues { raw(it.value) }))
            .put("context", org.json.JSONObject(responses.context.mapValues { raw(it.value) }))
            .toString()

    private fun raw(value: Value): Any = when (value) {
        is Value.Text -> value.value
        is Value.Number -> value.value
        is Value.Bool -> value.value
    }
}
