package vista.nn.weights.torch;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The format of {@code torch.save} before PyTorch 1.6 (the official SAN release uses it): five pickles
 * in a row, then the storages.
 * <ol>
 *   <li>the magic number {@code 0x1950a86a20f9469cfc6c};</li>
 *   <li>the protocol version, 1001;</li>
 *   <li>{@code sys_info}, a dict whose {@code little_endian} must be true;</li>
 *   <li>the object, whose persistent ids are {@code ('storage', storage class, key, location, count,
 *       None)};</li>
 *   <li>the list of storage keys;</li>
 * </ol>
 * then, for each key in that order, the storage's element count as a little-endian int64 followed by its
 * raw little-endian elements. Each count must equal the one the object pickle claimed and fit in the
 * bytes that remain; nothing may follow the last storage. Locations such as {@code cuda:0} are read to
 * the CPU. The file is mapped, not read into the heap.
 */
final class LegacyArchive implements TorchArchive {
    private static final BigInteger MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final long PROTOCOL_VERSION = 1001;

    private final Path file;
    private final Object root;
    private final ByteBuffer bytes;
    private final Map<String, Integer> positions;

    private LegacyArchive(Path file, Object root, ByteBuffer bytes, Map<String, Integer> positions) {
        this.file = file;
        this.root = root;
        this.bytes = bytes;
        this.positions = positions;
    }

    /** Opens {@code file}, interprets its pickles and locates every storage. */
    static LegacyArchive open(Path file) throws WeightFileException {
        String where = file.toString();
        ByteBuffer in;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.size() > Integer.MAX_VALUE) {
                throw new WeightFileException(where, "a legacy checkpoint over 2 GiB, which Vista does not read");
            }
            in = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
        } catch (WeightFileException e) {
            throw e;
        } catch (IOException e) {
            throw new WeightFileException(where, "unreadable: " + e.getMessage(), e);
        }
        Map<String, StorageRef> storages = new LinkedHashMap<>();
        Object magic = Unpickler.load(where, in, storages);
        if (!(magic instanceof BigInteger b && b.equals(MAGIC))) {
            throw new WeightFileException(where, "a pickle, but not a PyTorch checkpoint: its first value is not"
                    + " torch's magic number 0x1950a86a20f9469cfc6c");
        }
        Object version = Unpickler.load(where, in, storages);
        if (!Long.valueOf(PROTOCOL_VERSION).equals(version)) {
            throw new WeightFileException(where, "legacy protocol version " + version + ", expected 1001");
        }
        if (!(Unpickler.load(where, in, storages) instanceof Map<?, ?> sysInfo)
                || !Boolean.TRUE.equals(sysInfo.get("little_endian"))) {
            throw new WeightFileException(where, "saved on a big-endian machine or without sys_info; Vista reads"
                    + " little-endian checkpoints");
        }
        Object root = Unpickler.load(where, in, storages);
        if (!(Unpickler.load(where, in, new HashMap<>()) instanceof List<?> keys)) {
            throw new WeightFileException(where, "the list of storage keys after the object is not a list");
        }
        return new LegacyArchive(file, root, in, locate(where, in, keys, storages));
    }

    /** Where each storage's elements start, checking the key list, each count and the file's end. */
    private static Map<String, Integer> locate(String where, ByteBuffer in, List<?> keys,
            Map<String, StorageRef> storages) throws WeightFileException {
        Map<String, Integer> positions = new HashMap<>();
        for (Object key : keys) {
            StorageRef ref = key instanceof String k ? storages.get(k) : null;
            if (ref == null || positions.containsKey(ref.key())) {
                throw new WeightFileException(where, "the storage key list names " + key + ", which the object"
                        + " does not use or which is listed twice");
            }
            if (in.remaining() < Long.BYTES) {
                throw new WeightFileException(where, "truncated at byte " + in.position() + ": storage '" + key
                        + "' has no element count");
            }
            long count = in.order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (count != ref.elements()) {
                throw new WeightFileException(where, "storage '" + key + "' holds " + count + " elements but the"
                        + " object claims " + ref.elements());
            }
            long length = ref.byteLength();
            if (length < 0 || length > in.remaining()) {
                throw new WeightFileException(where, "truncated at byte " + in.position() + ": storage '" + key
                        + "' needs " + (length < 0 ? "more than 2^63" : length) + " bytes, " + in.remaining()
                        + " remain");
            }
            positions.put(ref.key(), in.position());
            in.position(in.position() + (int) length);
        }
        if (positions.size() != storages.size()) {
            throw new WeightFileException(where, "the storage key list names " + positions.size() + " of the "
                    + storages.size() + " storages the object uses");
        }
        if (in.hasRemaining()) {
            throw new WeightFileException(where, in.remaining() + " unexpected bytes after the last storage");
        }
        return positions;
    }

    @Override
    public String where() {
        return file.toString();
    }

    @Override
    public Object root() {
        return root;
    }

    @Override
    public ByteBuffer storage(StorageRef storage) throws WeightFileException {
        Integer at = positions.get(storage.key());
        if (at == null) {
            throw new WeightFileException(file.toString(), "storage '" + storage.key() + "' is not in the file");
        }
        return bytes.slice(at, (int) storage.byteLength()).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void close() {
        // a mapped buffer is released by the garbage collector
    }
}
