package vista.nn.checkpoint;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import vista.tensor.DType;
import vista.tensor.Storage;
import vista.tensor.Tensor;
import vista.tensor.fuzz.Field;
import vista.tensor.fuzz.Mutation;

/**
 * The checkpoint format seen from the outside, for the fuzz tests, written from {@link Checkpoint}'s
 * description independently of the reader and writer: an encoder, the SHA-256 seal, and a walk that finds
 * every integer field (lengths, counts, position, dtypes, ranks, dimensions).
 */
final class CheckpointBytes {
    private static final int CHECKSUM = 32;

    private CheckpointBytes() {
    }

    /** {@code c} in the file format, without the checksum. */
    static byte[] encode(Checkpoint c) {
        Out out = new Out();
        out.bytes.writeBytes(Checkpoint.MAGIC.getBytes(StandardCharsets.US_ASCII));
        out.int32(Checkpoint.VERSION);
        out.int32(c.config().size());
        c.config().forEach((k, v) -> {
            out.string(k);
            out.string(v);
        });
        out.int64(c.epoch());
        out.int64(c.step());
        out.int32(c.rng().size());
        c.rng().forEach((k, v) -> {
            out.string(k);
            out.int64(v);
        });
        section(out, "model", c.model());
        section(out, "optimizer", c.optimizer());
        return out.bytes.toByteArray();
    }

    private static void section(Out out, String name, Map<String, Tensor> tensors) {
        out.string(name);
        out.int32(tensors.size());
        tensors.forEach((k, t) -> {
            out.string(k);
            out.bytes.write(t.dtype() == DType.FLOAT32 ? 1 : 2);
            out.int32(t.rank());
            for (int d : t.dims()) {
                out.int32(d);
            }
            Tensor c = t.contiguous();
            for (int i = 0; i < c.numel(); i++) {
                if (t.dtype() == DType.FLOAT32) {
                    out.int32(Float.floatToRawIntBits(((Storage.Floats) c.storage()).array()[c.offset() + i]));
                } else {
                    out.int64(Double.doubleToRawLongBits(((Storage.Doubles) c.storage()).array()[c.offset() + i]));
                }
            }
        });
    }

    /** {@code structure} followed by its SHA-256, as a checkpoint file ends. */
    static byte[] sealed(byte[] structure) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(structure);
            byte[] file = Arrays.copyOf(structure, structure.length + CHECKSUM);
            System.arraycopy(digest, 0, file, structure.length, CHECKSUM);
            return file;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code file} without its last 32 bytes (the checksum). */
    static byte[] unsealed(byte[] file) {
        return Arrays.copyOf(file, Math.max(0, file.length - CHECKSUM));
    }

    /** Every integer field of a well-formed {@code structure}, in file order. */
    static List<Field> fields(byte[] structure) {
        Walk w = new Walk(ByteBuffer.wrap(structure).order(ByteOrder.LITTLE_ENDIAN));
        w.b.position(8);
        w.int32("version");
        int config = w.int32("config count");
        for (int i = 0; i < config; i++) {
            w.string("config key " + i);
            w.string("config value " + i);
        }
        w.int64("epoch");
        w.int64("step");
        int rng = w.int32("rng count");
        for (int i = 0; i < rng; i++) {
            w.string("rng name " + i);
            w.int64("rng value " + i);
        }
        for (String section : List.of("model", "optimizer")) {
            w.string(section + " section name");
            int tensors = w.int32(section + " tensor count");
            for (int i = 0; i < tensors; i++) {
                String where = section + " tensor " + i;
                w.string(where + " name");
                int dtype = w.uint8(where + " dtype");
                int rank = w.int32(where + " rank");
                long numel = 1;
                for (int a = 0; a < rank; a++) {
                    numel *= w.int32(where + " dimension " + a);
                }
                w.b.position(w.b.position() + (int) numel * (dtype == 1 ? 4 : 8));
            }
        }
        return w.fields;
    }

    /**
     * Changes to the names of a well-formed {@code structure} with the given {@code fields}: each name's
     * first byte made invalid UTF-8, and each name made a copy of the one before it in the same map when
     * both have the same length.
     */
    static List<Mutation> nameMutations(byte[] structure, List<Field> fields) {
        List<Mutation> mutations = new ArrayList<>();
        Field previous = null;
        for (Field f : fields) {
            if (!f.name().matches(".*(config key \\d+|rng name \\d+|tensor \\d+ name) length")) {
                continue;
            }
            int length = (int) f.read(structure);
            if (length > 0) {
                mutations.add(Mutation.overwrite(f.offset() + 4, new byte[] {(byte) 0xFF}));
            }
            if (previous != null && sameMap(previous, f) && previous.read(structure) == length) {
                mutations.add(Mutation.overwrite(f.offset() + 4,
                        Arrays.copyOfRange(structure, previous.offset() + 4, previous.offset() + 4 + length)));
            }
            previous = f;
        }
        return mutations;
    }

    /** Whether two name fields belong to the same map: their names agree up to the entry number. */
    private static boolean sameMap(Field a, Field b) {
        return a.name().replaceAll("\\d+", "#").equals(b.name().replaceAll("\\d+", "#"));
    }

    /** A cursor that records the fields it passes. */
    private static final class Walk {
        final ByteBuffer b;
        final List<Field> fields = new ArrayList<>();

        Walk(ByteBuffer b) {
            this.b = b;
        }

        int uint8(String name) {
            fields.add(Field.uint8(name, b.position()));
            return b.get() & 0xFF;
        }

        int int32(String name) {
            fields.add(Field.int32LittleEndian(name, b.position()));
            return b.getInt();
        }

        void int64(String name) {
            fields.add(new Field(name, b.position(), 8, ByteOrder.LITTLE_ENDIAN));
            b.getLong();
        }

        void string(String name) {
            int length = int32(name + " length");
            b.position(b.position() + length);
        }
    }

    /** Little-endian output. */
    private static final class Out {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        void int32(int v) {
            bytes.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
        }

        void int64(long v) {
            bytes.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
        }

        void string(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            int32(utf8.length);
            bytes.writeBytes(utf8);
        }
    }
}
