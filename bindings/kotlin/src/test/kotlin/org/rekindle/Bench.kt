package org.rekindle

import java.lang.management.ManagementFactory

/**
 * FFI cost of each call through the Kotlin binding, after warm-up: wall time, the thread's CPU
 * time (steadier than wall time on a shared machine) and the bytes the JVM allocates per call.
 * Run: `mvn -q test-compile exec:java` in bindings/kotlin (it builds the native library).
 */
fun main() {
    val engine = Engine()
    val responses = scenarioResponses()
    val json = JSONish.responses(responses)
    measure("assess (typed Responses)", 5_000) { engine.assess(responses) }
    measure("assessWith (RULES_ONLY)", 5_000) { engine.assessWith(responses, TraceDetail.RULES_ONLY) }
    measure("assessJson", 5_000) { engine.assessJson(json) }
    measure("assessJsonToJson", 5_000) { engine.assessJsonToJson(json) }
    measure("info (FFI round trip)", 50_000) { engine.info() }
    engine.close()
}

private val threads = ManagementFactory.getThreadMXBean() as com.sun.management.ThreadMXBean

/** Per-call figures of one round of [iterations] calls. */
class Round(val wallNs: Double, val cpuNs: Double, val bytes: Long)

fun round(iterations: Int, call: () -> Unit): Round {
    val id = Thread.currentThread().id
    val wall = System.nanoTime()
    val cpu = threads.currentThreadCpuTime
    val bytes = threads.getThreadAllocatedBytes(id)
    repeat(iterations) { call() }
    return Round(
        (System.nanoTime() - wall).toDouble() / iterations,
        (threads.currentThreadCpuTime - cpu).toDouble() / iterations,
        (threads.getThreadAllocatedBytes(id) - bytes) / iterations,
    )
}

private fun measure(label: String, iterations: Int, call: () -> Unit) {
    repeat(iterations) { call() } // warm-up: JIT, JNA, caches
    val rounds = List(7) { round(iterations, call) }
    val wall = rounds.map { it.wallNs }.sorted()
    val cpu = rounds.map { it.cpuNs }.sorted()
    println("%-26s wall median %6.1f µs (best %5.1f)  cpu median %6.1f µs (best %5.1f)  %6d bytes/call  (%d calls x 7)".format(
        label, wall[3] / 1000, wall[0] / 1000, cpu[3] / 1000, cpu[0] / 1000, rounds[3].bytes, iterations))
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
