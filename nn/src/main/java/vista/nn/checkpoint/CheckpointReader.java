package vista.nn.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import vista.tensor.Shape;
import vista.tensor.Storage;
import vista.tensor.Tensor;

/**
 * Reads the format described in {@link Checkpoint} in two passes over the file: the first checks the
 * magic, the version and the SHA-256 checksum; only then does the second interpret the structure, with
 * every count and size checked against the bytes that remain before anything is allocated. It also
 * refuses what no run writes, even under a valid checksum: an epoch outside 0 to 2^31 - 1, a negative
 * step, a name used twice in one map (the map would silently keep one) and strings that are not UTF-8.
 */
final class CheckpointReader {
    private static final int HEADER = 12;
    private static final int CHECKSUM = 32;

    private final Path file;
    private final FileChannel channel;
    private final long end;
    private final ByteBuffer buffer = ByteBuffer.allocate(CheckpointWriter.BUFFER).order(ByteOrder.LITTLE_ENDIAN);
    private long position;

    private CheckpointReader(Path file, FileChannel channel, long end) {
        this.file = file;
        this.channel = channel;
        this.end = end;
        buffer.limit(0);
    }

    static Checkpoint read(Path given) throws IOException {
        Path file = given.toAbsolutePath().normalize();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < HEADER + CHECKSUM) {
                throw new IOException("Checkpoint " + file + " is truncated: " + size + " bytes, fewer than the "
                        + (HEADER + CHECKSUM) + " of a header and a checksum");
            }
            verify(file, channel, size);
            CheckpointReader in = new CheckpointReader(file, channel, size - CHECKSUM);
            in.skip(HEADER);
            return in.body();
        }
    }

    /** Checks magic and version, then the SHA-256 of everything before the last 32 bytes. */
    private static void verify(Path file, FileChannel channel, long size) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, channel, header, 0);
        byte[] magic = Arrays.copyOf(header.array(), 8);
        if (!Arrays.equals(magic, Checkpoint.MAGIC.getBytes(StandardCharsets.US_ASCII))) {
            throw new IOException("Checkpoint " + file + " is not a Vista checkpoint: expected the magic "
                    + Checkpoint.MAGIC + " at offset 0, found bytes " + HexFormat.ofDelimiter(" ").formatHex(magic));
        }
        int version = header.getInt(8);
        if (version != Checkpoint.VERSION) {
            throw new IOException("Checkpoint " + file + " has format version " + version + " (at offset 8); "
                    + "this Vista reads version " + Checkpoint.VERSION);
        }
        MessageDigest digest = CheckpointWriter.sha256();
        ByteBuffer chunk = ByteBuffer.allocate(CheckpointWriter.BUFFER);
        for (long at = 0; at < size - CHECKSUM; ) {
            chunk.clear().limit((int) Math.min(chunk.capacity(), size - CHECKSUM - at));
            readFully(file, channel, chunk, at);
            digest.update(chunk.array(), 0, chunk.limit());
            at += chunk.limit();
        }
        ByteBuffer stored = ByteBuffer.allocate(CHECKSUM);
        readFully(file, channel, stored, size - CHECKSUM);
        byte[] computed = digest.digest();
        if (!MessageDigest.isEqual(computed, stored.array())) {
            throw new IOException("Checkpoint " + file + " is corrupt or truncated: the SHA-256 of its first "
                    + (size - CHECKSUM) + " bytes does not match the checksum stored in its last " + CHECKSUM
                    + " bytes");
        }
    }

    private static void readFully(Path file, FileChannel channel, ByteBuffer into, long at) throws IOException {
        long p = at;
        while (into.hasRemaining()) {
            int n = channel.read(into, p);
            if (n < 0) {
                throw endedEarly(file, p);
            }
            p += n;
        }
        into.flip();
    }

    private Checkpoint body() throws IOException {
        int configCount = count("config entries", 8);
        Map<String, String> config = new LinkedHashMap<>();
        for (int i = 0; i < configCount; i++) {
            long at = position;
            String key = string("config key");
            requireNew(config, key, at, "config key");
            config.put(key, string("config value of " + key));
        }
        long at = position;
        long epoch = int64("epoch");
        if (epoch < 0 || epoch > Integer.MAX_VALUE) {
            throw malformedAt(at, "the epochs finished (0 to " + Integer.MAX_VALUE + ")", String.valueOf(epoch));
        }
        at = position;
        long step = int64("step");
        if (step < 0) {
            throw malformedAt(at, "the optimiser steps taken (0 or more)", String.valueOf(step));
        }
        int rngCount = count("rng entries", 12);
        Map<String, Long> rng = new LinkedHashMap<>();
        for (int i = 0; i < rngCount; i++) {
            at = position;
            String name = string("rng name");
            requireNew(rng, name, at, "rng name");
            rng.put(name, int64("rng value of " + name));
        }
        Map<String, Tensor> model = section("model");
        Map<String, Tensor> optimizer = section("optimizer");
        if (position != end) {
            throw malformed("the checksum after the optimizer section", (end - position) + " further bytes");
        }
        return new Checkpoint(config, epoch, step, rng, model, optimizer);
    }

    private Map<String, Tensor> section(String expected) throws IOException {
        long at = position;
        String name = string("section name");
        if (!name.equals(expected)) {
            throw malformedAt(at, "the section \"" + expected + "\"", "\"" + name + "\"");
        }
        int count = count(expected + " tensors", 9);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            at = position;
            String tensorName = string(expected + " tensor name");
            requireNew(tensors, tensorName, at, expected + " tensor name");
            tensors.put(tensorName, tensor(expected + "/" + tensorName));
        }
        return tensors;
    }

    private Tensor tensor(String what) throws IOException {
        long at = position;
        int dtype = uint8();
        if (dtype != CheckpointWriter.FLOAT32 && dtype != CheckpointWriter.FLOAT64) {
            throw malformedAt(at, "the dtype of " + what + " (1 = float32, 2 = float64)", String.valueOf(dtype));
        }
        at = position;
        int rank = int32("rank of " + what);
        if (rank < 0 || rank > CheckpointWriter.MAX_RANK) {
            throw malformedAt(at, "the rank of " + what + " (0 to " + CheckpointWriter.MAX_RANK + ")",
                    String.valueOf(rank));
        }
        int[] dims = new int[rank];
        long numel = 1;
        for (int a = 0; a < rank; a++) {
            at = position;
            dims[a] = int32("dimension " + a + " of " + what);
            numel *= Math.max(0, dims[a]);
            if (dims[a] < 0 || numel > Integer.MAX_VALUE) {
                throw malformedAt(at, "dimension " + a + " of " + what + " (>= 0, at most 2^31 - 1 elements)",
                        String.valueOf(dims[a]));
            }
        }
        int size = dtype == CheckpointWriter.FLOAT32 ? 4 : 8;
        if (numel * size > end - position) {
            throw malformed(numel * size + " bytes of data for " + what + " " + Arrays.toString(dims),
                    "only " + (end - position) + " bytes before the checksum");
        }
        if (dtype == CheckpointWriter.FLOAT32) {
            float[] values = new float[(int) numel];
            for (int i = 0; i < values.length; ) {
                int n = Math.min(values.length - i, CheckpointWriter.BUFFER / 8);
                ByteBuffer b = need(4 * n);
                b.asFloatBuffer().get(values, i, n);
                b.position(b.position() + 4 * n);
                i += n;
            }
            return Tensor.of(new Storage.Floats(values), Shape.of(dims));
        }
        double[] values = new double[(int) numel];
        for (int i = 0; i < values.length; ) {
            int n = Math.min(values.length - i, CheckpointWriter.BUFFER / 16);
            ByteBuffer b = need(8 * n);
            b.asDoubleBuffer().get(values, i, n);
            b.position(b.position() + 8 * n);
            i += n;
        }
        return Tensor.of(new Storage.Doubles(values), Shape.of(dims));
    }

    // ---------------------------------------------------------------- primitives with bounds checks

    /** An int32 count of items of at least {@code minBytes} each, checked against the remaining bytes. */
    private int count(String what, int minBytes) throws IOException {
        long at = position;
        int n = int32("the number of " + what);
        if (n < 0 || (long) n * minBytes > end - position) {
            throw malformedAt(at, "the number of " + what + " (at most what the remaining "
                    + (end - position) + " bytes can hold)", String.valueOf(n));
        }
        return n;
    }

    private String string(String what) throws IOException {
        long at = position;
        int length = int32("the byte length of the " + what);
        if (length < 0 || length > end - position) {
            throw malformedAt(at, "the byte length of the " + what + " (0 to " + (end - position) + ")",
                    String.valueOf(length));
        }
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; ) {
            int n = Math.min(length - i, CheckpointWriter.BUFFER / 2);
            need(n).get(bytes, i, n);
            i += n;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw malformedAt(at + 4, "UTF-8 text for the " + what, "bytes that are not UTF-8");
        }
    }

    /** Refuses a second entry named {@code name} (read at {@code at}): a map would silently keep only one. */
    private void requireNew(Map<String, ?> map, String name, long at, String what) throws IOException {
        if (map.containsKey(name)) {
            throw malformedAt(at, "each " + what + " only once", "a second \"" + name + "\"");
        }
    }

    /** Consumes {@code bytes} bytes (at most half the buffer) without interpreting them. */
    private void skip(int bytes) throws IOException {
        ByteBuffer b = need(bytes);
        b.position(b.position() + bytes);
    }

    private int uint8() throws IOException {
        return need(1).get() & 0xFF;
    }

    private int int32(String what) throws IOException {
        requireRemaining(4, what);
        return need(4).getInt();
    }

    private long int64(String what) throws IOException {
        requireRemaining(8, what);
        return need(8).getLong();
    }

    private void requireRemaining(int bytes, String what) throws IOException {
        if (end - position < bytes) {
            throw malformed(what + " (" + bytes + " bytes)", "only " + (end - position) + " bytes before the checksum");
        }
    }

    /**
     * The buffer, holding at least {@code bytes} (at most half the buffer) unread bytes, refilled from the
     * file if needed, with {@link #position} advanced past them: the caller consumes exactly {@code bytes}.
     */
    private ByteBuffer need(int bytes) throws IOException {
        if (end - position < bytes) {
            throw malformed(bytes + " more bytes", "the end of the data (the checksum follows)");
        }
        if (buffer.remaining() < bytes) {
            buffer.compact();
            long fileAt = position + buffer.position();
            buffer.limit((int) Math.min(buffer.capacity(), buffer.position() + (end - fileAt)));
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, fileAt);
                if (n < 0) {
                    throw endedEarly(file, fileAt);
                }
                fileAt += n;
            }
            buffer.flip();
        }
        position += bytes;
        return buffer;
    }

    /** The file ended before its size said it would: it changed while being read. */
    private static IOException endedEarly(Path file, long offset) {
        return new IOException("Checkpoint " + file + " ended at offset " + offset + ", before the end its size"
                + " announced; it changed while being read (is a training run writing it?)");
    }

    private IOException malformed(String expected, String found) {
        return malformedAt(position, expected, found);
    }

    private IOException malformedAt(long offset, String expected, String found) {
        return new IOException("Checkpoint " + file + " is malformed at offset " + offset + ": expected "
                + expected + ", found " + found + "; vista train writes no such file: use another checkpoint or"
                + " train again");
    }
}
