package vista.nn.weights.torch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Small PyTorch weight files written byte by byte as torch writes them, for tests: the state dict
 * {@code {"w": 2x3 float32 with strides (1, 2) over the storage 1..6, "n": int64 scalar 1234}}, as a zip
 * archive and in the legacy format.
 */
final class TorchFiles {
    /** {@code w} read row by row: element (i, j) is storage element i + 2 j. */
    static final float[] W = {1, 3, 5, 2, 4, 6};
    static final long N = 1234;

    private TorchFiles() {
    }

    /** The object pickle; {@code legacy} adds the sixth, None, element of legacy persistent ids. */
    static byte[] statePickle(boolean legacy) {
        Pickle p = new Pickle().proto().global("collections", "OrderedDict").op(')').op('R').op('(');
        p.string("w").global("torch._utils", "_rebuild_tensor_v2").op('(');
        p.storage("FloatStorage", "0", 6, legacy).int1(0).int1(2).int1(3).op(0x86).int1(1).int1(2).op(0x86);
        p.op(0x89).global("collections", "OrderedDict").op(')').op('R').op('t').op('R');
        p.string("n").global("torch._utils", "_rebuild_tensor_v2").op('(');
        p.storage("LongStorage", "1", 1, legacy).int1(0).op(')').op(')');
        p.op(0x89).global("collections", "OrderedDict").op(')').op('R').op('t').op('R');
        return p.op('u').op('.').bytes();
    }

    /** The storages' bytes: 1..6 as float32, and 1234 as int64. */
    static byte[][] storages() {
        ByteBuffer floats = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 1; i <= 6; i++) {
            floats.putFloat(i);
        }
        return new byte[][] {floats.array(), ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(N).array()};
    }

    /** A zip archive as torch.save writes it, holding {@code pickle} as {@code archive/data.pkl}. */
    static byte[] zip(byte[] pickle) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            stored(z, "archive/data.pkl", pickle);
            stored(z, "archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            stored(z, "archive/data/0", storages()[0]);
            stored(z, "archive/data/1", storages()[1]);
            stored(z, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void stored(ZipOutputStream z, String name, byte[] bytes) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setTimeLocal(LocalDateTime.of(2020, 1, 1, 0, 0));
        e.setSize(bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        e.setCrc(crc.getValue());
        z.putNextEntry(e);
        z.write(bytes);
        z.closeEntry();
    }

    /** The legacy format: magic, protocol version, sys_info, object and key-list pickles, then the storages. */
    static byte[] legacy() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new Pickle().proto().op(0x8a).op(10)
                .raw(0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19).op('.').bytes());
        out.writeBytes(new Pickle().proto().op('M').raw(0xe9, 0x03).op('.').bytes());
        out.writeBytes(new Pickle().proto().op('}').op('(').string("little_endian").op(0x88).op('u').op('.').bytes());
        out.writeBytes(statePickle(true));
        out.writeBytes(new Pickle().proto().op(']').op('(').string("0").string("1").op('e').op('.').bytes());
        byte[][] storages = storages();
        long[] counts = {6, 1};
        for (int i = 0; i < 2; i++) {
            out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(counts[i]).array());
            out.writeBytes(storages[i]);
        }
        return out.toByteArray();
    }

    /** A protocol-2 pickle written opcode by opcode. */
    static final class Pickle {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickle op(int opcode) {
            out.write(opcode);
            return this;
        }

        Pickle raw(int... bytes) {
            for (int b : bytes) {
                out.write(b);
            }
            return this;
        }

        Pickle proto() {
            return raw(0x80, 2);
        }

        Pickle int1(int value) {
            return raw('K', value);
        }

        Pickle string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.write('X');
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
            out.writeBytes(b);
            return this;
        }

        Pickle global(String module, String name) {
            out.write('c');
            out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
            return this;
        }

        /** The persistent id {@code ('storage', torch.<type>, key, 'cpu', count[, None])} and BINPERSID. */
        Pickle storage(String type, String key, int count, boolean legacy) {
            op('(').string("storage").global("torch", type).string(key).string("cpu").int1(count);
            if (legacy) {
                op('N');
            }
            return op('t').op('Q');
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
