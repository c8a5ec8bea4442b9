package org.rekindle

import java.lang.management.ManagementFactory
import java.nio.ByteBuffer

/**
 * FFI cost of each call through the Kotlin binding, after warm-up: wall time, the thread's CPU
 * time (steadier than wall time on a shared machine) and the bytes the JVM allocates per call,
 * then where the time of a typed `assess` goes.
 * Run: `mvn -q test-compile exec:java` in bindings/kotlin (it builds the native library);
 * `-Dbench.calls=N` changes the calls per round (20,000).
 */
fun main() {
    val calls = System.getProperty("bench.calls")?.toInt() ?: 20_000
    val engine = Engine()
    val responses = scenarioResponses()
    val json = JSONish.responses(responses)
    println("Each call (per call; $calls calls to warm up, then the median and best of $ROUNDS rounds of $calls):")
    measure("assess (typed Responses)", calls) { engine.assess(responses) }
    measure("assessWith (RULES_ONLY)", calls) { engine.assessWith(responses, TraceDetail.RULES_ONLY) }
    measure("assessJson", calls) { engine.assessJson(json) }
    measure("assessJsonToJson", calls) { engine.assessJsonToJson(json) }
    val lines = List(LINES) { json }.joinToString("\n")
    measure("assessJsonLines, per line", calls / LINES, LINES) { engine.assessJsonLines(lines, TraceDetail.FULL) }
    measure("  the same, RULES_ONLY", calls / LINES, LINES) { engine.assessJsonLines(lines, TraceDetail.RULES_ONLY) }
    measure("info (FFI round trip)", calls * 5) { engine.info() }

    println("Where the time of a typed assess goes:")
    val result = engine.assess(responses)
    val resultBytes = ByteBuffer.allocate(FfiConverterTypeRecommendation.allocationSize(result).toInt())
        .also { FfiConverterTypeRecommendation.write(result, it) }
        .let { it.array().copyOf(it.position()) }
    val status = UniffiCallStatusPool.take() // as the binding passes it: no field-by-field copies
    measure("whole call", calls) { engine.assess(responses) }
    measure("all but lifting the result", calls) {
        val recommendation = UniffiLib.uniffi_rekindle_fn_method_engine_assess(
            engine.uniffiCloneHandle(), FfiConverterTypeResponses.lower(responses), status,
        )
        RustBuffer.free(recommendation)
    }
    measure("  lowering the answers", calls) { RustBuffer.free(FfiConverterTypeResponses.lower(responses)) }
    measure("  cloning the engine handle", calls) { engine.uniffiCloneHandle().also { UniffiLib.uniffi_rekindle_fn_free_engine(it, status) } }
    measure("lifting the result (Kotlin)", calls) { FfiConverterTypeRecommendation.read(ByteBuffer.wrap(resultBytes)) }
    println("(${responses.answers.size} answers, ${responses.context.size} context facts; the result is ${resultBytes.size} bytes across the FFI)")
    engine.close()
}

private const val ROUNDS = 7
private const val LINES = 100

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

/** Times [call], each of which does [per] units of work; figures are per unit. */
private fun measure(label: String, iterations: Int, per: Int = 1, call: () -> Unit) {
    repeat(iterations) { call() } // warm-up: JIT, JNA, caches, heap
    val rounds = List(ROUNDS) { round(iterations, call) }
    val wall = rounds.map { it.wallNs / per }.sorted()
    val cpu = rounds.map { it.cpuNs / per }.sorted()
    val bytes = rounds.map { it.bytes / per }.sorted()
    println("  %-30s wall median %6.1f µs (best %6.1f)  cpu median %6.1f µs (best %6.1f)  %6d bytes".format(
        label, wall[ROUNDS / 2] / 1000, wall[0] / 1000, cpu[ROUNDS / 2] / 1000, cpu[0] / 1000, bytes[ROUNDS / 2]))
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
