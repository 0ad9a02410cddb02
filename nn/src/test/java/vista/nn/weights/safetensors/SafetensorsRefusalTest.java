package vista.nn.weights.safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken or hostile safetensors files made by hand: each refused with a sentence naming the file and the fault. */
class SafetensorsRefusalTest {
    private static final String ONE = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";

    @TempDir
    Path dir;

    private String refusal(byte[] bytes) {
        Path file = SafetensorsBytes.write(dir.resolve("bad.safetensors"), bytes);
        SafetensorsException e = assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> assertThrows(SafetensorsException.class, () -> Safetensors.read(file)));
        String prefix = file.toAbsolutePath() + ": ";
        assertEquals(prefix, e.getMessage().substring(0, prefix.length()), "the message names the file first");
        return e.getMessage().substring(prefix.length());
    }

    private String refusal(String header, byte[] data) {
        return refusal(SafetensorsBytes.file(header, data));
    }

    @Test
    void aFileShorterThanTheLengthFieldIsRefused() {
        assertEquals("the file has 5 bytes, fewer than the 8-byte header length a safetensors file starts with",
                refusal(new byte[5]));
    }

    @Test
    void aHeaderLengthBeyondTheFileIsRefusedBeforeAllocating() {
        assertEquals("the header length field says 18446744073709551615 bytes, but the file has 10 bytes; the file"
                + " is truncated, damaged or not safetensors",
                refusal(SafetensorsBytes.file(-1L, "{}".getBytes(StandardCharsets.UTF_8), new byte[0])));
        assertEquals("the header length field says 11 bytes, but the file has 18 bytes; the file"
                + " is truncated, damaged or not safetensors",
                refusal(SafetensorsBytes.file(11, "{}".getBytes(StandardCharsets.UTF_8), new byte[8])));
    }

    @Test
    void aHeaderLongerThan100MiBIsRefusedEvenIfTheFileIsThatLong() throws Exception {
        Path file = dir.resolve("sparse.safetensors");
        long claimed = Safetensors.MAX_HEADER_BYTES + 1;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, claimed));
            channel.write(ByteBuffer.wrap(new byte[] {'}'}), 8 + claimed - 1);
        }
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> Safetensors.read(file));
        assertEquals(file.toAbsolutePath() + ": the header length field says 104857601 bytes, but the file has"
                + " 104857609 bytes and headers above 104857600 bytes are refused; the file is truncated, damaged or"
                + " not safetensors", e.getMessage());
    }

    @Test
    void aHeaderThatIsNotUtf8IsRefused() {
        assertEquals("the header is not valid UTF-8 text; the file is damaged or not safetensors",
                refusal(SafetensorsBytes.file(4, new byte[] {'{', (byte) 0xC3, '(', '}'}, new byte[0])));
    }

    @Test
    void aHeaderThatIsNotJsonIsRefusedSayingWhereItBreaks() {
        assertEquals("the header is not valid JSON (invalid JSON at character 5: expected ':'); the file is"
                + " damaged or not safetensors", refusal("{\"w\" 1}", new byte[0]));
        assertEquals("the header is not valid JSON (invalid JSON at character 1: expected a key in double quotes);"
                + " the file is damaged or not safetensors", refusal("{'w':1}", new byte[0]));
        assertEquals("the header is not valid JSON (invalid JSON at character 2: unexpected text after the end of"
                + " the JSON value); the file is damaged or not safetensors", refusal("{}}", new byte[0]));
        assertEquals("the header is not valid JSON (invalid JSON at character 0: the JSON text ends where a value"
                + " was expected); the file is damaged or not safetensors", refusal("", new byte[0]));
    }

    @Test
    void aKeyGivenTwiceIsRefused() {
        assertEquals("the header is not valid JSON (invalid JSON at character 54: the key \"w\" appears twice in one"
                + " object); the file is damaged or not safetensors",
                refusal(ONE.substring(0, ONE.length() - 1) + "," + ONE.substring(1), new byte[8]));
    }

    @Test
    void deepNestingIsRefusedWithoutExhaustingTheStack() {
        assertEquals("the header is not valid JSON (invalid JSON at character 16: arrays and objects nested deeper"
                + " than 16); the file is damaged or not safetensors", refusal("[".repeat(100_000), new byte[0]));
    }

    @Test
    void aHeaderThatIsNotAnObjectIsRefused() {
        assertEquals("the header is JSON but not an object of tensors (it is an array of 0); this is not a"
                + " safetensors file", refusal("[]", new byte[0]));
    }

    @Test
    void offsetsPastTheEndOfTheDataAreRefusedNamingTheTensor() {
        assertEquals("tensor \"w\": data_offsets [0, 8] end past the data section, which has 4 bytes; the file is"
                + " truncated or its header is wrong", refusal(ONE, new byte[4]));
    }

    @Test
    void offsetsThatDisagreeWithTheShapeAreRefused() {
        assertEquals("tensor \"w\": data_offsets [0, 8] span 8 bytes, but shape [3] of F32 needs 3 x 4 = 12 bytes",
                refusal(ONE.replace("[2]", "[3]"), new byte[8]));
        assertEquals("tensor \"w\": data_offsets [8, 0] are not a byte range (expected 0 <= begin <= end)",
                refusal(ONE.replace("[0,8]", "[8,0]"), new byte[8]));
    }

    @Test
    void negativeAndOverflowingDimensionsAreRefused() {
        assertEquals("tensor \"w\": dimension 1 of shape [2, -1] is -1; dimensions are integers from 0 to 2147483647",
                refusal(ONE.replace("[2]", "[2,-1]"), new byte[8]));
        assertEquals("tensor \"w\": shape [65536, 65536] has more than 2147483647 elements, more than a Vista tensor"
                + " holds", refusal(ONE.replace("[2]", "[65536,65536]"), new byte[8]));
        assertEquals("tensor \"w\": dimension 0 of shape [9223372036854775807, 2] is 9223372036854775807; dimensions"
                + " are integers from 0 to 2147483647", refusal(ONE.replace("[2]", "[9223372036854775807,2]"),
                new byte[8]));
        assertEquals("the header is not valid JSON (invalid JSON at character 29: an integer outside the 64-bit range);"
                + " the file is damaged or not safetensors", refusal(ONE.replace("[2]", "[99999999999999999999]"),
                new byte[8]));
    }

    @Test
    void overlapsGapsAndTrailingBytesAreRefused() {
        String two = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
        assertEquals("tensor \"b\": data_offsets [4, 8] overlap the bytes of tensor \"a\" [0, 8]; the format requires"
                + " the tensors to tile the data section exactly", refusal(two, new byte[8]));
        assertEquals("tensor \"b\": data_offsets [12, 16] leave the bytes [8, 12) of the data section to no tensor;"
                + " the format requires the tensors to tile the data section exactly",
                refusal(two.replace("[4,8]", "[12,16]"), new byte[16]));
        assertEquals("the data section has 12 bytes, but the tensors cover only the first 8; the file has bytes after"
                + " its last tensor", refusal(ONE, new byte[12]));
    }

    @Test
    void unsupportedTypesAndMalformedEntriesAreRefusedByName() {
        assertEquals("tensor \"w\": dtype I16 is not one Vista reads (it reads F32, F64, F16, BF16, I64, I32, U8,"
                + " BOOL); convert the tensor, e.g. to F32, before loading",
                refusal(ONE.replace("F32", "I16").replace("[2]", "[4]"), new byte[8]));
        assertEquals("tensor \"w\": unknown field \"offsets\"; an entry has only dtype, shape and data_offsets",
                refusal(ONE.replace("data_offsets", "offsets"), new byte[8]));
        assertEquals("tensor \"w\": shape is the string \"2\"; expected an array of integers",
                refusal(ONE.replace("[2]", "\"2\""), new byte[8]));
        assertEquals("tensor \"w\": data_offsets is an array of 3; expected an array of 2 integers",
                refusal(ONE.replace("[0,8]", "[0,4,8]"), new byte[8]));
        assertEquals("tensor \"w\": dtype is missing; expected a string such as \"F32\"",
                refusal(ONE.replace("\"dtype\":\"F32\",", ""), new byte[8]));
        assertEquals("the header's __metadata__ entry \"n\" is the value 1; metadata values must be strings",
                refusal("{\"__metadata__\":{\"n\":1}}", new byte[0]));
    }

    @Test
    void valuesThatVistaCannotHoldExactlyAreRefusedNamingTheElement() {
        assertEquals("tensor \"n\" (I64): element 1 is 9007199254740993, beyond 2^53 in magnitude, where a float64"
                + " (Vista's widest type) no longer holds every integer", refusal(
                "{\"n\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]}}",
                SafetensorsBytes.longs(1, (1L << 53) + 1)));
        assertEquals("tensor \"m\" (BOOL): element 0 is the byte 2, not a boolean (0 or 1)",
                refusal("{\"m\":{\"dtype\":\"BOOL\",\"shape\":[1],\"data_offsets\":[0,1]}}", new byte[] {2}));
    }

    @Test
    void aMissingFileIsNamed() {
        Path file = dir.resolve("absent.safetensors");
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> Safetensors.read(file));
        assertEquals(file.toAbsolutePath() + ": no such file", e.getMessage());
    }
}
