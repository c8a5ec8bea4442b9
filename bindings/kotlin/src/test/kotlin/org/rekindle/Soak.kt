package org.rekindle

/**
 * Whether the cost of `assess` stays flat in a long-running process: 1,000,000 typed `assess`
 * calls on one engine in one JVM, reported per block of 100,000 (wall and CPU time per call,
 * bytes allocated per call). A binding that leaks native memory registrations slows down block
 * after block; the last block's time should be about the first's.
 * Run: `mvn -q test-compile exec:java -Dbench.main=org.rekindle.SoakKt` in bindings/kotlin;
 * `-Dsoak.calls=N` changes the count.
 */
fun main() {
    val calls = System.getProperty("soak.calls")?.toInt() ?: 1_000_000
    val block = 100_000.coerceAtMost(calls)
    val engine = Engine()
    val responses = scenarioResponses()
    repeat(10_000) { engine.assess(responses) } // warm-up
    val blocks = (0 until calls / block).map { index ->
        round(block) { engine.assess(responses) }.also {
            println("calls %,9d-%,9d: wall %6.1f µs/call, cpu %6.1f µs/call, %6d bytes/call".format(
                index * block + 1, (index + 1) * block, it.wallNs / 1000, it.cpuNs / 1000, it.bytes))
        }
    }
    val first = blocks.first().cpuNs
    val last = blocks.last().cpuNs
    val sorted = blocks.map { it.cpuNs }.sorted()
    println("%,d calls: cpu per call %.1f µs in the first block, %.1f µs in the last (%.2fx); median block %.1f µs, slowest %.1f µs".format(
        calls, first / 1000, last / 1000, last / first, sorted[sorted.size / 2] / 1000, sorted.last() / 1000))
    engine.close()
}
