package vista.nn.weights.safetensors;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import vista.nn.checkpoint.AtomicFiles;
import vista.tensor.DType;
import vista.tensor.Tensor;

/**
 * Writes safetensors files as the reference writers do (Hugging Face's library, and
 * {@code save_safetensors} in ../shared/peer/checkpoints.py, whose bytes this writer reproduces for
 * ASCII names): {@code __metadata__} first, then the tensors sorted by name (Java's {@code String} order,
 * Python's for names in the Basic Multilingual Plane), compact JSON with the fields in the order dtype,
 * shape, data_offsets, the header padded with spaces to a multiple of 8 bytes so that the data section
 * is aligned, then each tensor's elements, row-major, little-endian, back to back. Types written: F32,
 * F64 and I64. The file goes through {@link AtomicFiles}: a reader never sees half of it.
 */
final class SafetensorsWriter {
    private static final List<SafetensorsDType> WRITTEN = List.of(SafetensorsDType.F32, SafetensorsDType.F64,
            SafetensorsDType.I64);
    private static final int CHUNK_BYTES = 1 << 20;
    /** The largest integer up to which every integer is a double. */
    private static final double EXACT_IN_DOUBLE = 0x1p53;

    private SafetensorsWriter() {
    }

    /** See {@link Safetensors#write(Path, Map, Map, Map)}. */
    static void write(Path file, Map<String, Tensor> tensors, Map<String, String> dtypes, Map<String, String> metadata)
            throws IOException {
        if (tensors.containsKey(SafetensorsHeader.METADATA)) {
            throw new SafetensorsException(file, "a tensor may not be named " + SafetensorsHeader.METADATA
                    + ", the key of the header's metadata; rename it");
        }
        Map<String, Tensor> sorted = new TreeMap<>(tensors);
        Map<String, SafetensorsDType> types = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> t : sorted.entrySet()) {
            types.put(t.getKey(), typeOf(file, t.getKey(), t.getValue(), dtypes.get(t.getKey())));
        }
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            json.append(quote(SafetensorsHeader.METADATA)).append(":{");
            String separator = "";
            for (Map.Entry<String, String> m : new TreeMap<>(metadata).entrySet()) {
                json.append(separator).append(quote(m.getKey())).append(':').append(quote(m.getValue()));
                separator = ",";
            }
            json.append('}');
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> t : sorted.entrySet()) {
            SafetensorsDType type = types.get(t.getKey());
            long end = offset + (long) t.getValue().numel() * type.bytes();
            json.append(json.length() > 1 ? "," : "").append(quote(t.getKey())).append(":{\"dtype\":\"")
                    .append(type).append("\",\"shape\":").append(shape(t.getValue().dims()))
                    .append(",\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        json.append('}');
        byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (header.length + 7) / 8 * 8;
        AtomicFiles.write(file, out -> {
            OutputStream buffered = new BufferedOutputStream(out, CHUNK_BYTES);
            buffered.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
            buffered.write(header);
            buffered.write(" ".repeat(padded - header.length).getBytes(StandardCharsets.US_ASCII));
            for (Map.Entry<String, Tensor> t : sorted.entrySet()) {
                writeData(buffered, t.getValue(), types.get(t.getKey()));
            }
            buffered.flush();
        });
    }

    /** The type {@code name} is written as: {@code asked} if given (and possible), else F32 or F64. */
    private static SafetensorsDType typeOf(Path file, String name, Tensor tensor, String asked)
            throws SafetensorsException {
        if (asked == null) {
            return tensor.dtype() == DType.FLOAT32 ? SafetensorsDType.F32 : SafetensorsDType.F64;
        }
        SafetensorsDType type = SafetensorsDType.named(asked).filter(WRITTEN::contains).orElseThrow(
                () -> new SafetensorsException(file, "tensor \"" + name + "\": cannot write it as " + asked
                        + "; Vista writes " + WRITTEN.stream().map(Enum::name).toList()));
        if (type == SafetensorsDType.I64) {
            double[] values = tensor.toDoubleArray();
            for (int i = 0; i < values.length; i++) {
                if (values[i] != Math.rint(values[i]) || Math.abs(values[i]) > EXACT_IN_DOUBLE) {
                    throw new SafetensorsException(file, "tensor \"" + name + "\": cannot write it as I64: element "
                            + i + " is " + values[i] + ", not an integer of magnitude at most 2^53");
                }
            }
        }
        return type;
    }

    /** The elements of {@code tensor} as {@code type}, row-major and little-endian, a chunk at a time. */
    private static void writeData(OutputStream out, Tensor tensor, SafetensorsDType type) throws IOException {
        float[] floats = type == SafetensorsDType.F32 ? tensor.toFloatArray() : null;
        double[] doubles = type == SafetensorsDType.F32 ? null : tensor.toDoubleArray();
        int perChunk = CHUNK_BYTES / type.bytes();
        for (int done = 0; done < tensor.numel(); done += perChunk) {
            int count = Math.min(perChunk, tensor.numel() - done);
            ByteBuffer bytes = ByteBuffer.allocate(count * type.bytes()).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = done; i < done + count; i++) {
                switch (type) {
                    case F32 -> bytes.putFloat(floats[i]);
                    case F64 -> bytes.putDouble(doubles[i]);
                    default -> bytes.putLong((long) doubles[i]);
                }
            }
            out.write(bytes.array());
        }
    }

    private static String shape(int[] dims) {
        StringBuilder s = new StringBuilder("[");
        for (int a = 0; a < dims.length; a++) {
            s.append(a == 0 ? "" : ",").append(dims[a]);
        }
        return s.append(']').toString();
    }

    /** {@code s} as a JSON string: quotes, backslashes and control characters escaped. */
    private static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                q.append('\\').append(c);
            } else if (c < 0x20) {
                q.append(String.format("\\u%04x", (int) c));
            } else {
                q.append(c);
            }
        }
        return q.append('"').toString();
    }
}
