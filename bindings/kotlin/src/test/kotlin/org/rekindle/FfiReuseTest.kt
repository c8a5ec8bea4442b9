package org.rekindle

import com.sun.jna.Memory
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.nio.BufferUnderflowException
import java.nio.ByteBuffer

/** What FfiReuse.kt does in place of JNA's general machinery, checked against JNA and the engine. */
class FfiReuseTest {
    /** JNA's own layout of the structure, which the direct reads and writes assume. */
    private class Layout : RustBuffer() {
        val offsets = listOf(fieldOffset("capacity"), fieldOffset("len"), fieldOffset("data")).map { it.toLong() }
    }

    private fun engineTitled(title: String): Engine =
        Engine.fromJson(JSONObject(defaultPackJson()).put("title", title).toString())

    @Test
    fun `RustBuffer fields sit where JNA puts them`() {
        assertEquals(
            listOf(UniffiRustBufferFields.CAPACITY, UniffiRustBufferFields.LEN, UniffiRustBufferFields.DATA),
            Layout().offsets,
        )
    }

    @Test
    fun `a buffer written directly reads back as JNA reads it, and the other way round`() {
        val buf = RustBuffer.ByValue()
        buf.capacity = 40
        buf.len = 12
        buf.data = buf.pointer // any address: it is only read back
        buf.write()
        assertEquals(listOf(40L, 12L, buf.pointer), listOf("capacity", "len", "data").map { buf.readField(it) })

        buf.writeField("capacity", 7L)
        buf.writeField("len", 3L)
        buf.writeField("data", null)
        buf.capacity = 99
        buf.len = 99
        buf.data = buf.pointer
        buf.read()
        assertEquals(listOf(7L, 3L, null), listOf(buf.capacity, buf.len, buf.data))
    }

    @Test
    fun `texts in any script and of the largest size come back intact`() {
        // Through lowering and lifting both: the pack's title goes into Rust and comes back in
        // PackInfo and in every result. 8192 bytes is the longest text a pack may hold.
        for (title in listOf("café, naïve, 😀 and 家庭", "é".repeat(4096), "x".repeat(8192))) {
            engineTitled(title).use { engine ->
                assertEquals(title, engine.info().title)
                assertEquals(title, engine.assess(scenarioResponses()).pack.title)
            }
        }
    }

    @Test
    fun `a lift copies the whole buffer, into the kept array or one of its own`() {
        fun returned(bytes: ByteArray) = RustBuffer.ByValue().apply {
            val memory = Memory(bytes.size.toLong())
            memory.write(0, bytes, 0, bytes.size)
            capacity = bytes.size.toLong()
            len = bytes.size.toLong()
            data = memory
        }
        val small = returned(ByteArray(100) { it.toByte() })
        val large = returned(ByteArray(300_000) { (it % 251).toByte() }) // over what a thread keeps

        val outer = UniffiLiftBuffer.copyOf(small)
        val nested = UniffiLiftBuffer.copyOf(small) // a lift inside a lift
        assertTrue(outer.array() !== nested.array())
        for (buf in listOf(outer, nested)) {
            assertEquals(100, buf.remaining())
            assertEquals(99.toByte(), buf.get(99))
        }
        UniffiLiftBuffer.give(nested)
        UniffiLiftBuffer.give(outer)
        val kept = UniffiLiftBuffer.copyOf(small).also { UniffiLiftBuffer.give(it) }.array()
        assertTrue(kept === outer.array() || kept === nested.array())

        val big = UniffiLiftBuffer.copyOf(large)
        assertEquals(300_000, big.remaining())
        assertEquals((299_999 % 251).toByte(), big.get(299_999))
        UniffiLiftBuffer.give(big)
        // Too large to keep: the thread goes on with its smaller array.
        assertTrue(UniffiLiftBuffer.copyOf(small).also { UniffiLiftBuffer.give(it) }.array() === kept)

        assertThrows<IllegalArgumentException> { UniffiLiftBuffer.copyOf(RustBuffer.ByValue().apply { len = -1 }) }
    }

    @Test
    fun `strings decode from heap and direct buffers alike`() {
        val bytes = "ok café 😀".toByteArray(Charsets.UTF_8)
        val direct = ByteBuffer.allocateDirect(bytes.size + 2).put(1).put(bytes).put(2).flip()
        val heap = ByteBuffer.wrap(byteArrayOf(1) + bytes + byteArrayOf(2))
        for (buf in listOf(direct, heap)) {
            buf.position(1)
            assertEquals("ok café 😀", UniffiUtf8.decode(buf, bytes.size))
            assertEquals(2.toByte(), buf.get())
            buf.position(1)
            assertThrows<BufferUnderflowException> { UniffiUtf8.decode(buf, bytes.size + 2) }
            assertThrows<BufferUnderflowException> { UniffiUtf8.decode(buf, -1) }
        }
    }
}
