package vista.nn.weights.torch;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Emits the opcodes of a protocol-2 pickle, the protocol of {@code torch.save}: only the few that a
 * state dict needs, each written as Python's {@code pickle} module writes it. Numbers are little-endian.
 * <pre>
 *   PROTO 2        0x80 0x02             GLOBAL     'c' module '\n' name '\n'
 *   MARK           '('                   TUPLE      't' (the items since the MARK)
 *   EMPTY_TUPLE    ')'                   REDUCE     'R' (call the callable under the arguments tuple)
 *   BININT1/2/BININT  'K' u8, 'M' u16, 'J' i32; LONG1 0x8a 0x08 i64
 *   BINUNICODE     'X' u32 length, UTF-8   BINPERSID  'Q' (the persistent id tuple below it)
 *   NEWFALSE       0x89                  SETITEMS   'u' (key, value pairs since the MARK)
 *   STOP           '.'
 * </pre>
 */
final class PickleWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    PickleWriter() {
        out.write(0x80);
        out.write(2);
    }

    PickleWriter global(String module, String name) {
        out.write('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    PickleWriter string(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.write('X');
        littleEndian(utf8.length, 4);
        out.writeBytes(utf8);
        return this;
    }

    /** The smallest of BININT1, BININT2, BININT and LONG1 that holds {@code v}. */
    PickleWriter integer(long v) {
        if (v >= 0 && v < 1 << 8) {
            out.write('K');
            littleEndian(v, 1);
        } else if (v >= 0 && v < 1 << 16) {
            out.write('M');
            littleEndian(v, 2);
        } else if (v == (int) v) {
            out.write('J');
            littleEndian(v, 4);
        } else {
            out.write(0x8a);
            out.write(8);
            littleEndian(v, 8);
        }
        return this;
    }

    /** A tuple of the integers {@code values}. */
    PickleWriter integers(long[] values) {
        mark();
        for (long v : values) {
            integer(v);
        }
        return tuple();
    }

    PickleWriter mark() {
        return op('(');
    }

    PickleWriter tuple() {
        return op('t');
    }

    PickleWriter emptyTuple() {
        return op(')');
    }

    PickleWriter reduce() {
        return op('R');
    }

    PickleWriter persistentId() {
        return op('Q');
    }

    PickleWriter newFalse() {
        return op(0x89);
    }

    PickleWriter setItems() {
        return op('u');
    }

    /** Ends the pickle with STOP; returns its bytes. */
    byte[] stop() {
        op('.');
        return out.toByteArray();
    }

    private PickleWriter op(int opcode) {
        out.write(opcode);
        return this;
    }

    private void littleEndian(long v, int bytes) {
        for (int k = 0; k < bytes; k++) {
            out.write((int) (v >>> (8 * k)) & 0xFF);
        }
    }
}
