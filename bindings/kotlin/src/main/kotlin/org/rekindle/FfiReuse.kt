// Written by hand (not generated): what the generated binding reuses instead of
// allocating on every call. scripts/generate-bindings.sh points the generated
// helpers here.
//
// Why: each JNA Structure owns native memory (a `Memory`) that JNA registers
// in a global map and with its cleaner thread, and frees only after garbage
// collection. The generated code made a new call status (two such
// allocations) for every native call, four or more per `assess`: that was
// most of the cost of a small call, and in a long-running process the
// registrations outran the cleaner thread until every call slowed down.
package org.rekindle

import java.nio.ByteBuffer
import java.nio.CharBuffer
import java.nio.charset.CharsetEncoder
import java.nio.charset.CodingErrorAction

/**
 * Call statuses for the native calls of each thread, reused. A status is taken for one call and
 * given back after its error (if any) has been lifted; a call made while lifting (freeing the
 * error buffer) takes another, so a thread holds at most a few.
 */
internal object UniffiCallStatusPool {
    private const val KEEP = 4
    // An initialValue override rather than ThreadLocal.withInitial, which Android has only from API 26.
    private val free = object : ThreadLocal<ArrayList<UniffiRustCallStatus>>() {
        override fun initialValue() = ArrayList<UniffiRustCallStatus>(KEEP)
    }

    fun take(): UniffiRustCallStatus {
        val statuses = free.get()
        val status = if (statuses.isEmpty()) UniffiRustCallStatus() else statuses.removeAt(statuses.size - 1)
        // The native side writes the status only on error: start from success, no buffer.
        status.code = UNIFFI_CALL_SUCCESS
        status.error_buf.capacity = 0
        status.error_buf.len = 0
        status.error_buf.data = null
        return status
    }

    fun give(status: UniffiRustCallStatus) {
        val statuses = free.get()
        if (statuses.size < KEEP) {
            statuses.add(status)
        }
    }
}

/** UTF-8 encoding of strings sent to Rust, without a new encoder for every string. */
internal object UniffiUtf8 {
    private val encoder = object : ThreadLocal<CharsetEncoder>() {
        // Lone surrogates are an error, as in the generated code.
        override fun initialValue(): CharsetEncoder = Charsets.UTF_8.newEncoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
    }

    fun encode(value: String): ByteBuffer {
        // String.getBytes is the JDK's fast path, but it turns a lone surrogate into '?' where the
        // binding must report an error: only strings with a surrogate take the checking encoder.
        for (char in value) {
            if (Character.isSurrogate(char)) {
                return encoder.get().encode(CharBuffer.wrap(value))
            }
        }
        return ByteBuffer.wrap(value.toByteArray(Charsets.UTF_8))
    }
}
