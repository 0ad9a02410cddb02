package vista.tensor.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The harness catches what it promises to catch, on a toy format (a big-endian int32 length, then that
 * many payload bytes): foreign exceptions, unclear messages, hangs, allocations sized by the length field
 * and wrong results, and it reports the same failures for the same seed.
 */
class FuzzCampaignTest {
    private static final byte[] TOY = ByteBuffer.allocate(12).putInt(8).put("payload!".getBytes()).array();
    private static final Refusal NAMES_TOY = Refusal.naming(IOException.class, "toy");

    /** The careful reader: checks the length against the bytes there before it allocates. */
    private static byte[] careful(byte[] stored) throws IOException {
        if (stored.length < 4) {
            throw new IOException("toy: " + stored.length + " bytes, fewer than the 4 of the length field");
        }
        int length = ByteBuffer.wrap(stored).getInt();
        if (length < 0 || length != stored.length - 4) {
            throw new IOException("toy: the length field says " + length + ", but " + (stored.length - 4) + " bytes follow");
        }
        return Arrays.copyOfRange(stored, 4, stored.length);
    }

    private static void readsExactly(byte[] stored, byte[] payload) {
        assertArrayEquals(Arrays.copyOfRange(stored, 4, stored.length), payload);
    }

    private static FuzzCampaign toy() {
        return FuzzCampaign.of("toy", TOY).fields(List.of(Field.int32BigEndian("length", 0)))
                .randomCases(300).budget(Duration.ofMillis(200));
    }

    private static String failure(FuzzCampaign campaign, FuzzCampaign.Reader<byte[]> reader) {
        return assertThrows(AssertionError.class, () -> campaign.run(NAMES_TOY, reader, FuzzCampaignTest::readsExactly))
                .getMessage();
    }

    @Test
    void aCarefulReaderPasses() {
        FuzzCampaign.Report report = toy().run(NAMES_TOY, FuzzCampaignTest::careful, FuzzCampaignTest::readsExactly);
        assertTrue(report.refused() > 0 && report.accepted() > 0, report.toString());
    }

    @Test
    void reportsAForeignExceptionWithTheSeedAndTheMutation() {
        String message = failure(toy(), stored -> Arrays.copyOfRange(stored, 4, 4 + ByteBuffer.wrap(stored).getInt()));
        assertTrue(message.startsWith("fuzz campaign 'toy' (seed "), message);
        assertTrue(message.contains("case 18 (structure): set length (4 bytes at offset 0, big-endian) to 0xFFFFFFFF:"
                + " threw java.lang.IllegalArgumentException"), message);
        assertTrue(message.contains("replay one case with -Dvista.fuzz.seed="), message);
    }

    @Test
    void reportsAnUnclearMessage() {
        String message = failure(toy(), stored -> {
            try {
                return careful(stored);
            } catch (IOException e) {
                throw new IOException("cannot be read: java.io.EOFException: null");
            }
        });
        assertTrue(message.contains("refused it with an unclear message (it must name toy and leak no Java internals)"),
                message);
    }

    @Test
    void reportsAHang() {
        String message = failure(toy().timeout(Duration.ofMillis(200)), stored -> {
            if (stored.length == 0) {
                Thread.sleep(5_000);
            }
            return careful(stored);
        });
        assertTrue(message.contains("case 1 (structure): truncate to 0 bytes: did not finish within 200 ms"), message);
    }

    @Test
    void reportsAnAllocationSizedByTheLengthField() {
        String message = failure(toy().allocationAllowance(1 << 20), stored -> {
            if (stored.length >= 4) {
                byte[] buffer = new byte[Math.clamp(ByteBuffer.wrap(stored).getInt(), 0, 1 << 24)];
                buffer[0] = 1;
            }
            return careful(stored);
        });
        assertTrue(message.contains("set length (4 bytes at offset 0, big-endian) to 0x7FFFFFFF: allocated "), message);
    }

    @Test
    void reportsAWrongResultAndARefusedOriginal() {
        assertTrue(failure(toy(), stored -> new byte[8]).contains("case 0 (structure): no change: accepted the input but"
                + " read it wrongly"));
        assertTrue(failure(toy(), stored -> {
            throw new IOException("toy: never");
        }).contains("case 0 (structure): no change: refused the unchanged file"));
    }

    @Test
    void theSameSeedGivesTheSameFailures() {
        FuzzCampaign.Reader<byte[]> fragile = stored -> {
            if (stored.length > 5 && stored[5] != 'a') {
                throw new IllegalStateException("byte 5");
            }
            return careful(stored);
        };
        assertEquals(failure(toy().seed(3).randomCases(300).budget(Duration.ofMinutes(1)), fragile),
                failure(toy().seed(3).randomCases(300).budget(Duration.ofMinutes(1)), fragile));
    }
}
