package vista.nn.weights.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.tensor.DType;
import vista.tensor.Rng;
import vista.tensor.Tensor;

/** Writing then reading safetensors, the bytes the writer produces, and the exact widening of F16 and BF16. */
class SafetensorsTest {
    @TempDir
    Path dir;

    private static void assertSameBits(Tensor expected, Tensor actual) {
        assertEquals(expected.dtype(), actual.dtype());
        assertArrayEquals(expected.dims(), actual.dims());
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            assertEquals(Double.doubleToRawLongBits(e[i]), Double.doubleToRawLongBits(a[i]), "element " + i);
        }
    }

    @Test
    void writingThenReadingGivesTheSameBitsNamesShapesAndMetadata() throws Exception {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("layer1.0.conv1.weight", Tensor.randn(new Rng(3), 4, 3, 3, 3));
        tensors.put("bn.running_var", Tensor.fromArray(new float[] {-0.0f, Float.MIN_VALUE, Float.MAX_VALUE,
            Float.NEGATIVE_INFINITY, Float.intBitsToFloat(0x7FC0_1234)}, 5));
        tensors.put("fc.weight", Tensor.randn(new Rng(4), 6, 5).transpose(0, 1));
        tensors.put("scalar", Tensor.scalar(2.5).to(DType.FLOAT32));
        tensors.put("empty", Tensor.zeros(0, 3));
        tensors.put("doubles", Tensor.fromArray(new double[] {Math.PI, -1e300, 5e-324}, 3));
        tensors.put("naïve \"quoted\"\n name", Tensor.ones(1));
        Map<String, String> metadata = Map.of("format", "pt", "note", "ü \\ \"");
        Path file = dir.resolve("round.safetensors");

        Safetensors.write(file, tensors, metadata);
        SafetensorsFile read = Safetensors.read(file);

        assertEquals(tensors.keySet().stream().sorted().toList(), List.copyOf(read.tensors().keySet()));
        tensors.forEach((name, t) -> assertSameBits(t, read.tensors().get(name)));
        assertEquals(metadata, read.metadata());
        assertEquals("F64", read.dtypes().get("doubles"));
        assertEquals("F32", read.dtypes().get("fc.weight"));
        assertEquals(file.toAbsolutePath(), read.file());
    }

    @Test
    void theWriterProducesTheBytesOfThePythonReferenceWriter() throws Exception {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("b", Tensor.fromArray(new float[] {1, 2}, 2));
        tensors.put("a", Tensor.fromArray(new float[] {3}, 1, 1));
        Path file = dir.resolve("small.safetensors");

        Safetensors.write(file, tensors, Map.of("format", "pt"));

        // json.dumps(header, separators=(",", ":")) with __metadata__ first and names sorted, then spaces to 8
        String header = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1,1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        String padded = header + " ".repeat((8 - header.length() % 8) % 8);
        byte[] expected = SafetensorsBytes.file(padded, SafetensorsBytes.floats(3, 1, 2));
        assertArrayEquals(expected, Files.readAllBytes(file));
        assertEquals(0, ByteBuffer.wrap(expected).order(ByteOrder.LITTLE_ENDIAN).getLong() % 8);
    }

    @Test
    void withoutMetadataTheHeaderHasNoMetadataKey() throws Exception {
        Path file = dir.resolve("plain.safetensors");
        Safetensors.write(file, Map.of("w", Tensor.ones(2)), Map.of());
        String text = new String(Files.readAllBytes(file), 8, 56, StandardCharsets.UTF_8);
        assertEquals("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}  ", text);
        assertEquals(Map.of(), Safetensors.read(file).metadata());
    }

    @Test
    void aTensorNamedLikeTheMetadataKeyIsRefusedAndNothingIsWritten() {
        Path file = dir.resolve("bad.safetensors");
        SafetensorsException e = assertThrows(SafetensorsException.class,
                () -> Safetensors.write(file, Map.of("__metadata__", Tensor.ones(1)), Map.of()));
        assertEquals(file.toAbsolutePath() + ": a tensor may not be named __metadata__, the key of the header's"
                + " metadata; rename it", e.getMessage());
        assertEquals(false, Files.exists(file));
    }

    @Test
    void countersAskedForAsI64AreWrittenAsIntegersAndReadBack() throws Exception {
        Path file = dir.resolve("counters.safetensors");
        Map<String, Tensor> tensors = Map.of("bn.num_batches_tracked", Tensor.scalar(1234),
                "bn.running_mean", Tensor.zeros(2));

        Safetensors.write(file, tensors, Map.of("bn.num_batches_tracked", "I64"), Map.of());

        SafetensorsFile read = Safetensors.read(file);
        assertEquals(Map.of("bn.num_batches_tracked", "I64", "bn.running_mean", "F32"), read.dtypes());
        assertEquals(1234.0, read.tensors().get("bn.num_batches_tracked").item());
        byte[] bytes = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(1234L, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(8 + (int) headerLength));
    }

    @Test
    void aTypeTheWriterCannotHonourIsRefusedNamingTheTensorAndNothingIsWritten() {
        Path file = dir.resolve("refused.safetensors");
        SafetensorsException fraction = assertThrows(SafetensorsException.class, () -> Safetensors.write(file,
                Map.of("n", Tensor.fromArray(new float[] {1, 2.5f}, 2)), Map.of("n", "I64"), Map.of()));
        assertEquals(file.toAbsolutePath() + ": tensor \"n\": cannot write it as I64: element 1 is 2.5, not an"
                + " integer of magnitude at most 2^53", fraction.getMessage());
        SafetensorsException half = assertThrows(SafetensorsException.class, () -> Safetensors.write(file,
                Map.of("w", Tensor.ones(1)), Map.of("w", "F16"), Map.of()));
        assertEquals(file.toAbsolutePath() + ": tensor \"w\": cannot write it as F16; Vista writes [F32, F64, I64]",
                half.getMessage());
        assertEquals(false, Files.exists(file));
    }

    @Test
    void float16IsWidenedExactlyOnKnownBitPatterns() throws Exception {
        int[] bits = {0x3C00, 0xC000, 0x7BFF, 0x0001, 0x03FF, 0x8000, 0x7C00, 0xFC00, 0x3555};
        float[] expected = {1f, -2f, 65504f, 0x1p-24f, 1023 * 0x1p-24f, -0.0f, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, 0x1.554p-2f};
        Path file = SafetensorsBytes.write(dir.resolve("half.safetensors"), SafetensorsBytes.file(
                "{\"h\":{\"dtype\":\"F16\",\"shape\":[9],\"data_offsets\":[0,18]}}", SafetensorsBytes.shorts(bits)));
        SafetensorsFile read = Safetensors.read(file);
        assertEquals(DType.FLOAT32, read.tensors().get("h").dtype());
        float[] actual = read.tensors().get("h").toFloatArray();
        for (int i = 0; i < bits.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                    "F16 bits 0x" + Integer.toHexString(bits[i]));
        }
        assertEquals("F16", read.dtypes().get("h"));
    }

    @Test
    void bfloat16IsWidenedExactlyOnKnownBitPatterns() throws Exception {
        int[] bits = {0x3F80, 0x4049, 0xBF80, 0x0001, 0x7F7F, 0xFF80, 0x8000, 0x7FC1};
        float[] expected = {1f, 3.140625f, -1f, 0x1p-133f, Float.intBitsToFloat(0x7F7F_0000),
            Float.NEGATIVE_INFINITY, -0.0f, Float.intBitsToFloat(0x7FC1_0000)};
        Path file = SafetensorsBytes.write(dir.resolve("bf16.safetensors"), SafetensorsBytes.file(
                "{\"b\":{\"dtype\":\"BF16\",\"shape\":[2,4],\"data_offsets\":[0,16]}}", SafetensorsBytes.shorts(bits)));
        float[] actual = Safetensors.read(file).tensors().get("b").toFloatArray();
        for (int i = 0; i < bits.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                    "BF16 bits 0x" + Integer.toHexString(bits[i]));
        }
    }

    @Test
    void integerTypesBecomeExactFloat64Values() throws Exception {
        String header = "{\"count\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]},"
                + "\"i\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[8,16]},"
                + "\"u\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[16,18]},"
                + "\"m\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[18,20]}}";
        byte[] data = SafetensorsBytes.concat(SafetensorsBytes.longs(1L << 53), SafetensorsBytes.shorts(7, 0, -5, -1),
                new byte[] {(byte) 255, 3, 1, 0});
        SafetensorsFile read = Safetensors.read(SafetensorsBytes.write(dir.resolve("ints.safetensors"),
                SafetensorsBytes.file(header, data)));
        assertEquals(DType.FLOAT64, read.tensors().get("count").dtype());
        assertEquals(0, read.tensors().get("count").rank());
        assertEquals(9007199254740992.0, read.tensors().get("count").item());
        assertEquals("[7.0, -5.0]", Arrays.toString(read.tensors().get("i").toDoubleArray()));
        assertEquals("[255.0, 3.0]", Arrays.toString(read.tensors().get("u").toDoubleArray()));
        assertEquals("[1.0, 0.0]", Arrays.toString(read.tensors().get("m").toDoubleArray()));
    }
}
