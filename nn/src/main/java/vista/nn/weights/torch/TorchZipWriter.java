package vista.nn.weights.torch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import vista.nn.checkpoint.AtomicFiles;
import vista.tensor.DType;
import vista.tensor.Tensor;

/**
 * Writes a state dict as {@code torch.save} (torch 1.6 and later) does, so that
 * {@code torch.load(f, weights_only=True)} reads it: a zip archive of uncompressed entries
 * <pre>
 *   archive/data.pkl     a protocol-2 pickle ({@link PickleWriter}) of
 *                        OrderedDict([(name, torch._utils._rebuild_tensor_v2(
 *                            persistent_id(("storage", torch.FloatStorage, "k", "cpu", numel)),
 *                            0, size, stride, False, OrderedDict())), ...])
 *   archive/byteorder    "little"
 *   archive/data/k       storage k: the tensor's elements, row-major, little-endian
 *   archive/version      "3"
 * </pre>
 * One storage per tensor, key {@code 0, 1, ...} in the map's order, contiguous strides, offset 0. Element
 * types: FloatStorage for a float32 tensor, DoubleStorage for a float64 one, LongStorage (int64) for the
 * names in {@code int64} (BatchNorm's {@code num_batches_tracked}), whose values must be integers of at
 * most 2^53. The file goes through {@link AtomicFiles}: a reader never sees half of it.
 */
public final class TorchZipWriter {
    private static final String PREFIX = "archive/";
    /** The first time a zip entry can hold: entries carry it so that equal state dicts give equal files. */
    private static final long ZIP_EPOCH = LocalDateTime.of(1980, 1, 1, 0, 0).atZone(ZoneId.systemDefault())
            .toInstant().toEpochMilli();
    private static final double EXACT_IN_DOUBLE = 0x1p53;

    private TorchZipWriter() {
    }

    /**
     * Writes {@code tensors} to {@code file}, the names in {@code int64} as int64 storages.
     *
     * @throws IOException naming the file (and the tensor) if an int64 value is not an integer of at most
     *     2^53, or the file cannot be written (then any previous file at the name is unchanged)
     */
    public static void write(Path file, Map<String, Tensor> tensors, Set<String> int64) throws IOException {
        PickleWriter pickle = new PickleWriter().global("collections", "OrderedDict").emptyTuple().reduce().mark();
        Map<String, byte[]> storages = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String key = Integer.toString(storages.size());
            Tensor t = e.getValue();
            boolean isLong = int64.contains(e.getKey());
            String storageType = isLong ? "LongStorage" : t.dtype() == DType.FLOAT64 ? "DoubleStorage" : "FloatStorage";
            storages.put(key, isLong ? longs(file, e.getKey(), t) : elements(t));
            pickle.string(e.getKey()).global("torch._utils", "_rebuild_tensor_v2").mark()
                    .mark().string("storage").global("torch", storageType).string(key).string("cpu").integer(t.numel())
                    .tuple().persistentId()
                    .integer(0).integers(size(t)).integers(contiguousStrides(t)).newFalse()
                    .global("collections", "OrderedDict").emptyTuple().reduce()
                    .tuple().reduce();
        }
        byte[] dataPkl = pickle.setItems().stop();
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            stored(zip, "data.pkl", dataPkl);
            stored(zip, "byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            for (Map.Entry<String, byte[]> s : storages.entrySet()) {
                stored(zip, "data/" + s.getKey(), s.getValue());
            }
            stored(zip, "version", "3".getBytes(StandardCharsets.US_ASCII));
            zip.finish();
        });
    }

    private static void stored(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry entry = new ZipEntry(PREFIX + name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        entry.setCrc(crc.getValue());
        entry.setTime(ZIP_EPOCH);
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
    }

    private static long[] size(Tensor t) {
        int[] dims = t.dims();
        long[] size = new long[dims.length];
        for (int k = 0; k < dims.length; k++) {
            size[k] = dims[k];
        }
        return size;
    }

    /** Row-major strides: the last dimension's is 1, each other's the product of the sizes after it. */
    private static long[] contiguousStrides(Tensor t) {
        int[] dims = t.dims();
        long[] stride = new long[dims.length];
        long step = 1;
        for (int k = dims.length - 1; k >= 0; k--) {
            stride[k] = step;
            step *= dims[k];
        }
        return stride;
    }

    private static byte[] elements(Tensor t) {
        if (t.dtype() == DType.FLOAT64) {
            ByteBuffer b = ByteBuffer.allocate(t.numel() * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            b.asDoubleBuffer().put(t.toDoubleArray());
            return b.array();
        }
        ByteBuffer b = ByteBuffer.allocate(t.numel() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(t.toFloatArray());
        return b.array();
    }

    private static byte[] longs(Path file, String name, Tensor t) throws IOException {
        double[] values = t.toDoubleArray();
        ByteBuffer b = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            if (v != Math.rint(v) || Math.abs(v) > EXACT_IN_DOUBLE) {
                throw new IOException("cannot write " + file.toAbsolutePath() + ": tensor '" + name + "' is written as"
                        + " int64, but holds " + v + ", not an integer of at most 2^53; write it as a float tensor");
            }
            b.putLong((long) v);
        }
        return b.array();
    }
}
