package vista.nn.weights.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import vista.tensor.DType;
import vista.tensor.Tensor;

/**
 * Reads and writes safetensors files (the format of Hugging Face's {@code safetensors} library):
 * <pre>
 *   bytes 0..7      N, the header's length in bytes: an unsigned 64-bit little-endian integer
 *   bytes 8..8+N    the header: UTF-8 JSON, {"name": {"dtype": "F32", "shape": [..],
 *                   "data_offsets": [begin, end]}, ..., "__metadata__": {string: string}}
 *   bytes 8+N..     the data section: each tensor's elements, row-major, little-endian, at
 *                   [begin, end) counted from the start of this section
 * </pre>
 * Reading trusts nothing: the length field is checked against the file's size and a
 * {@linkplain #MAX_HEADER_BYTES bound} before the header is read, the header must be valid UTF-8 and
 * strict JSON ({@link HeaderJson}), and every entry is checked against the file ({@link SafetensorsHeader})
 * before any tensor is allocated, so that every allocation is backed by bytes the file really has.
 * Element types and how they become Vista tensors: {@link SafetensorsDType}.
 *
 * <p>Writing ({@link SafetensorsWriter}) does what the reference writers do: tensors sorted by name,
 * {@code __metadata__} first, compact JSON, the header padded with spaces to a multiple of 8 bytes;
 * the file is written atomically.
 */
public final class Safetensors {
    /** The largest header accepted: 100 MiB (a header for a million tensors is about 100 MB). */
    public static final long MAX_HEADER_BYTES = 100L << 20;

    private static final int LENGTH_BYTES = 8;
    private static final int CHUNK_BYTES = 1 << 20;

    private Safetensors() {
    }

    /**
     * The tensors and metadata of the safetensors file {@code file}.
     *
     * @throws SafetensorsException naming the file (and the tensor) if it cannot be read or is not a
     *     valid safetensors file of types Vista reads
     */
    public static SafetensorsFile read(Path file) throws SafetensorsException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < LENGTH_BYTES) {
                throw new SafetensorsException(file, "the file has " + size + " bytes, fewer than the 8-byte"
                        + " header length a safetensors file starts with");
            }
            long headerBytes = readFully(file, channel, 0, LENGTH_BYTES).getLong();
            boolean beyondFile = headerBytes < 0 || headerBytes > size - LENGTH_BYTES;
            if (beyondFile || headerBytes > MAX_HEADER_BYTES) {
                throw new SafetensorsException(file, "the header length field says "
                        + Long.toUnsignedString(headerBytes) + " bytes, but the file has " + size + " bytes"
                        + (beyondFile ? "" : " and headers above " + MAX_HEADER_BYTES
                                + " bytes are refused") + "; the file is truncated, damaged or not safetensors");
            }
            String text = utf8(file, readFully(file, channel, LENGTH_BYTES, (int) headerBytes));
            Object json;
            try {
                json = HeaderJson.parse(text);
            } catch (HeaderJson.Malformed e) {
                throw new SafetensorsException(file, "the header is not valid JSON (" + e.getMessage()
                        + "); the file is damaged or not safetensors");
            }
            long dataStart = LENGTH_BYTES + headerBytes;
            SafetensorsHeader header = SafetensorsHeader.check(file, json, size - dataStart);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            Map<String, String> dtypes = new LinkedHashMap<>();
            for (SafetensorsHeader.Entry e : header.entries()) {
                tensors.put(e.name(), readTensor(file, channel, dataStart, e));
                dtypes.put(e.name(), e.dtype().name());
            }
            return new SafetensorsFile(file.toAbsolutePath(), tensors, dtypes, header.metadata());
        } catch (SafetensorsException e) {
            throw e;
        } catch (NoSuchFileException e) {
            throw new SafetensorsException(file, "no such file", e);
        } catch (IOException e) {
            throw new SafetensorsException(file, "cannot be read (" + e.getMessage() + ")", e);
        }
    }

    private static Tensor readTensor(Path file, FileChannel channel, long dataStart, SafetensorsHeader.Entry e)
            throws IOException {
        SafetensorsDType dtype = e.dtype();
        Object values = dtype.widened() == DType.FLOAT32 ? new float[e.numel()] : new double[e.numel()];
        int perChunk = CHUNK_BYTES / dtype.bytes();
        for (int done = 0; done < e.numel(); done += perChunk) {
            int count = Math.min(perChunk, e.numel() - done);
            ByteBuffer bytes = readFully(file, channel, dataStart + e.begin() + (long) done * dtype.bytes(),
                    count * dtype.bytes());
            String wrong = dtype.decode(bytes, count, values, done);
            if (wrong != null) {
                throw new SafetensorsException(file, "tensor \"" + e.name() + "\" (" + dtype + "): " + wrong);
            }
        }
        return values instanceof float[] f ? Tensor.fromArray(f, e.shape()) : Tensor.fromArray((double[]) values,
                e.shape());
    }

    /** {@code length} bytes at {@code position}, little-endian; the caller has checked they are in the file. */
    private static ByteBuffer readFully(Path file, FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new SafetensorsException(file, "the file ended at byte " + (position + buffer.position())
                        + " while being read; was it changed meanwhile?");
            }
        }
        return buffer.flip();
    }

    private static String utf8(Path file, ByteBuffer bytes) throws SafetensorsException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw new SafetensorsException(file, "the header is not valid UTF-8 text; the file is damaged or"
                    + " not safetensors");
        }
    }

    /**
     * Writes {@code tensors} (float32 or float64, any layout) and {@code metadata} to {@code file} as
     * safetensors, atomically, as the class comment says: float32 tensors as F32, float64 as F64.
     *
     * @throws SafetensorsException naming the file if a tensor is named {@code __metadata__}
     * @throws IOException          naming the file if it cannot be written (then it is unchanged)
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        SafetensorsWriter.write(file, tensors, Map.of(), metadata);
    }

    /**
     * Writes as {@link #write(Path, Map, Map)}, each tensor named in {@code dtypes} as the type given
     * there: "F32", "F64", or "I64" for integer counters such as {@code num_batches_tracked} (whose values
     * must then be integers of magnitude at most 2<sup>53</sup>). The {@link SafetensorsFile#dtypes} of a
     * file read fit here, so that such a file is written back with its types.
     *
     * @throws SafetensorsException naming the file and the tensor if a type is not one of these three or
     *     an I64 tensor holds a value that is not such an integer (then nothing is written)
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> dtypes,
            Map<String, String> metadata) throws IOException {
        SafetensorsWriter.write(file, tensors, dtypes, metadata);
    }
}
