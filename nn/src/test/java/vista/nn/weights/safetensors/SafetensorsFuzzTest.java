package vista.nn.weights.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.tensor.fuzz.Field;
import vista.tensor.fuzz.FuzzCampaign;
import vista.tensor.fuzz.Mutation;
import vista.tensor.fuzz.Refusal;

/**
 * Fuzzes {@link Safetensors#read} with the property of {@link FuzzCampaign}: every damaged file is refused
 * with a {@link SafetensorsException} naming it, or read exactly as its bytes say (checked here by
 * decoding each tensor's bytes independently of the reader), quickly and without allocating what its
 * header claims.
 */
class SafetensorsFuzzTest {
    private static final String HEADER = "{\"__metadata__\":{\"format\":\"pt\"},"
            + "\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},"
            + "\"b\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[16,22]},"
            + "\"c\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[22,24]},"
            + "\"n\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[24,32]}}  ";
    private static final byte[] DATA = SafetensorsBytes.concat(SafetensorsBytes.floats(1.5f, -2f, 0f, 3e-3f),
            SafetensorsBytes.shorts(0x3C00, 0x8001, 0x7BFF), SafetensorsBytes.shorts(0x4049),
            SafetensorsBytes.longs(12345));
    private static final byte[] FILE = SafetensorsBytes.file(HEADER, DATA);

    @TempDir
    Path dir;

    /** Whole files whose header and data agree, reaching shapes a one-field mutation never gives. */
    private static List<Mutation> consistentFiles() {
        List<Mutation> files = new ArrayList<>();
        files.add(new Mutation("replace with an empty header and no data",
                b -> SafetensorsBytes.file("{}", new byte[0])));
        files.add(new Mutation("replace with a zero-element tensor", b -> SafetensorsBytes.file(
                "{\"z\":{\"dtype\":\"F32\",\"shape\":[0,5],\"data_offsets\":[0,0]}}", new byte[0])));
        files.add(new Mutation("replace with tensors listed out of offset order", b -> SafetensorsBytes.file(
                "{\"y\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[4,5]},"
                        + "\"x\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                new byte[] {1, 2, 3, 4, 5})));
        files.add(new Mutation("replace with a header in other whitespace", b -> SafetensorsBytes.file(
                " {\n\t\"w\" : { \"shape\" : [ 1 ] , \"dtype\" : \"BOOL\" , \"data_offsets\" : [ 0 , 1 ] } }\r\n",
                new byte[] {1})));
        return files;
    }

    /** Checks that {@code read} holds exactly what {@code stored} says, decoding its bytes independently. */
    private static void checkExact(byte[] stored, SafetensorsFile read) throws Exception {
        ByteBuffer bytes = ByteBuffer.wrap(stored).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = (int) bytes.getLong(0);
        int dataStart = 8 + headerLength;
        Map<?, ?> header = (Map<?, ?>) HeaderJson.parse(new String(stored, 8, headerLength, StandardCharsets.UTF_8));
        Map<String, String> metadata = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (Map.Entry<?, ?> e : header.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                ((Map<?, ?>) e.getValue()).forEach((k, v) -> metadata.put((String) k, (String) v));
                continue;
            }
            String name = (String) e.getKey();
            names.add(name);
            Map<?, ?> entry = (Map<?, ?>) e.getValue();
            String dtype = (String) entry.get("dtype");
            int begin = ((Long) ((List<?>) entry.get("data_offsets")).get(0)).intValue();
            int[] dims = ((List<?>) entry.get("shape")).stream().mapToInt(d -> ((Long) d).intValue()).toArray();
            assertArrayEquals(dims, read.tensors().get(name).dims(), name);
            double[] actual = read.tensors().get(name).toDoubleArray();
            for (int i = 0; i < actual.length; i++) {
                assertEquals(Double.doubleToRawLongBits(element(bytes, dtype, dataStart + begin, i)),
                        Double.doubleToRawLongBits(actual[i]), name + "[" + i + "]");
            }
            assertEquals(dtype, read.dtypes().get(name));
        }
        assertEquals(names, List.copyOf(read.tensors().keySet()));
        assertEquals(metadata, read.metadata());
    }

    /** Element {@code i} of a tensor of type {@code dtype} at {@code at}, decoded from the format's definition. */
    private static double element(ByteBuffer bytes, String dtype, int at, int i) {
        return switch (dtype) {
            case "F32" -> Float.intBitsToFloat(bytes.getInt(at + 4 * i));
            case "F64" -> bytes.getDouble(at + 8 * i);
            case "F16" -> half(bytes.getShort(at + 2 * i) & 0xFFFF);
            case "BF16" -> Float.intBitsToFloat((bytes.getShort(at + 2 * i) & 0xFFFF) << 16);
            case "I64" -> bytes.getLong(at + 8 * i);
            case "I32" -> bytes.getInt(at + 4 * i);
            case "U8", "BOOL" -> bytes.get(at + i) & 0xFF;
            default -> throw new AssertionError("the reader accepted dtype " + dtype);
        };
    }

    /** IEEE binary16 by its definition: (-1)^s 2^(e-15) (1 + m/1024), subnormal 2^-14 m/1024. */
    private static float half(int bits) {
        int sign = bits >> 15;
        int exponent = bits >> 10 & 0x1F;
        int mantissa = bits & 0x3FF;
        float magnitude = exponent == 0x1F ? (mantissa == 0 ? Float.POSITIVE_INFINITY : Float.NaN)
                : exponent == 0 ? Math.scalb(mantissa / 1024f, -14) : Math.scalb(1 + mantissa / 1024f, exponent - 15);
        return Float.isNaN(magnitude) ? Float.intBitsToFloat(0x7F80_0000 | sign << 31 | mantissa << 13)
                : sign == 1 ? -magnitude : magnitude;
    }

    @Test
    void damagedFilesAreRefusedClearlyOrReadExactly() {
        Path file = dir.resolve("fuzz.safetensors");
        FuzzCampaign.Report report = FuzzCampaign.of("safetensors", FILE)
                .fields(List.of(new Field("header length", 0, 8, ByteOrder.LITTLE_ENDIAN)))
                .mutations(consistentFiles())
                .budget(Duration.ofMillis(600))
                .run(Refusal.naming(SafetensorsException.class, file.toAbsolutePath().toString()),
                        stored -> Safetensors.read(SafetensorsBytes.write(file, stored)),
                        SafetensorsFuzzTest::checkExact);
        assertTrue(report.accepted() >= 1 + consistentFiles().size(),
                "the unchanged and the consistent files are read: " + report);
        assertTrue(report.refused() > 100, "most damage is refused: " + report);
    }
}
