// Written by hand (not generated): what the generated binding uses instead of
// JNA's general machinery on every native call. scripts/generate-bindings.sh
// points the generated code here; bindings/kotlin/README.md ("Where the time
// of a call goes") has the measurements.
//
// Why: an `assess` makes four native calls (clone the engine handle, allocate
// the argument buffer, assess, free the result buffer). JNA's general way of
// passing a Structure costs more than some of the calls themselves: it reads
// and writes every field by reflection before and after each call, makes a
// returned structure by reflection with two native allocations that JNA frees
// only after garbage collection (registered in a global map and with its
// single cleaner thread), and lifting a result copied every string twice.
package org.rekindle

import com.sun.jna.Pointer
import java.nio.Buffer
import java.nio.BufferUnderflowException
import java.nio.ByteBuffer
import java.nio.CharBuffer
import java.nio.charset.CharsetEncoder
import java.nio.charset.CodingErrorAction

/**
 * Call statuses for the native calls of each thread, reused. A status is taken for one call and
 * given back after its error (if any) has been lifted; a call made while lifting (freeing the
 * error buffer) takes another, so a thread holds at most a few.
 *
 * JNA would write every field of a status to native memory before each call and read them all
 * back after it, by reflection. The native side writes a status only when the call fails, so
 * these statuses have JNA's automatic reading and writing turned off: [take] clears the native
 * status, and [readAfterCall] reads its fields only when the call did not succeed.
 */
internal object UniffiCallStatusPool {
    private const val KEEP = 4
    // An initialValue override rather than ThreadLocal.withInitial, which Android has only from API 26.
    private val free = object : ThreadLocal<ArrayList<UniffiRustCallStatus>>() {
        override fun initialValue() = ArrayList<UniffiRustCallStatus>(KEEP)
    }

    fun take(): UniffiRustCallStatus {
        val statuses = free.get()
        val status = if (statuses.isEmpty()) newStatus() else statuses.removeAt(statuses.size - 1)
        // Start from success, no buffer, on both sides: the native side writes only on error.
        status.code = UNIFFI_CALL_SUCCESS
        status.error_buf.capacity = 0
        status.error_buf.len = 0
        status.error_buf.data = null
        status.pointer.clear(status.size().toLong())
        return status
    }

    /** After the native call: the status's fields, read from native memory if the call failed. */
    fun readAfterCall(status: UniffiRustCallStatus) {
        // `code` is the status's first field.
        if (status.pointer.getByte(0) != UNIFFI_CALL_SUCCESS) {
            status.read()
        }
    }

    fun give(status: UniffiRustCallStatus) {
        val statuses = free.get()
        if (statuses.size < KEEP) {
            statuses.add(status)
        }
    }

    private fun newStatus() = UniffiRustCallStatus().apply { setAutoSynch(false) }
}

/**
 * The fields of a `RustBuffer` (`uint64_t capacity, uint64_t len, uint8_t *data`: offsets 0, 8
 * and 16 on every platform), read and written directly instead of by JNA's reflection.
 * EngineTest checks these offsets against JNA's own layout.
 */
internal object UniffiRustBufferFields {
    const val CAPACITY = 0L
    const val LEN = 8L
    const val DATA = 16L

    fun read(buf: RustBuffer) {
        val memory = buf.pointer
        buf.capacity = memory.getLong(CAPACITY)
        buf.len = memory.getLong(LEN)
        buf.data = memory.getPointer(DATA)
    }

    fun write(buf: RustBuffer) {
        val memory = buf.pointer
        memory.setLong(CAPACITY, buf.capacity)
        memory.setLong(LEN, buf.len)
        memory.setPointer(DATA, buf.data)
    }

    /**
     * Whether [returned] is a real returned value: when it registers a function, JNA makes a
     * structure on a null placeholder only to learn its type.
     */
    fun isReturned(returned: Pointer) = Pointer.nativeValue(returned) != 0L
}

/**
 * The bytes of a returned `RustBuffer`, copied in one piece into an array reused by each thread,
 * to be lifted from there: strings are then made straight from that array (see [UniffiUtf8.decode])
 * instead of each being copied out of native memory into an array of its own first.
 */
internal object UniffiLiftBuffer {
    /** A thread keeps its array up to this size; larger results get an array of their own. */
    private const val KEEP_BYTES = 64 * 1024
    private val kept = object : ThreadLocal<ByteArray?>() {
        override fun initialValue(): ByteArray? = ByteArray(16 * 1024)
    }

    /** A buffer over a copy of [rbuf]'s bytes; give it back with [give] once lifted. */
    fun copyOf(rbuf: RustBuffer): ByteBuffer {
        val len = rbuf.len
        require(len in 0..Int.MAX_VALUE) { "RustBuffer length out of range: $len" }
        val size = len.toInt()
        // Taken out while in use, so a lift inside a lift (none today) would get an array of its own.
        val array = kept.get()?.takeIf { it.size >= size }?.also { kept.set(null) }
            ?: ByteArray(if (size <= KEEP_BYTES) maxOf(size, 16 * 1024) else size)
        if (size > 0) {
            val data = rbuf.data ?: throw NullPointerException("RustBuffer with $size bytes and no data")
            data.read(0, array, 0, size)
        }
        return ByteBuffer.wrap(array, 0, size)
    }

    fun give(buf: ByteBuffer) {
        val array = buf.array()
        if (array.size <= KEEP_BYTES && kept.get().let { it == null || it.size < array.size }) {
            kept.set(array)
        }
    }
}

/** UTF-8 encoding and decoding of strings, without a new encoder or array for every string. */
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

    /** The next [len] bytes of [buf] as a string, straight from its array when it has one. */
    fun decode(buf: ByteBuffer, len: Int): String {
        if (len < 0 || len > buf.remaining()) {
            throw BufferUnderflowException()
        }
        if (!buf.hasArray()) {
            val bytes = ByteArray(len)
            buf.get(bytes)
            return String(bytes, Charsets.UTF_8)
        }
        val text = String(buf.array(), buf.arrayOffset() + buf.position(), len, Charsets.UTF_8)
        // Through Buffer: ByteBuffer.position(Int) exists only from Java 9 and recent Android.
        (buf as Buffer).position(buf.position() + len)
        return text
    }
}
