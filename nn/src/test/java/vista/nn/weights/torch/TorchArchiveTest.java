package vista.nn.weights.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vista.tensor.Tensor;

/** Both layouts of a small state dict read alike; each disagreement between a claim and the bytes is refused. */
class TorchArchiveTest {
    @TempDir
    Path dir;

    private String refusal(byte[] bytes) throws Exception {
        Path file = Files.write(dir.resolve("x.pth"), bytes);
        return assertThrows(WeightFileException.class, () -> TorchWeights.stateDict(file)).getMessage()
                .substring(file.toString().length());
    }

    @Test
    void theZipAndLegacyLayoutsOfOneStateDictReadAlike() throws Exception {
        for (byte[] bytes : new byte[][] {TorchFiles.zip(TorchFiles.statePickle(false)), TorchFiles.legacy()}) {
            Map<String, Tensor> state = TorchWeights.stateDict(Files.write(dir.resolve("x.pth"), bytes));
            assertArrayEquals(new int[] {2, 3}, state.get("w").dims());
            assertArrayEquals(TorchFiles.W, state.get("w").toFloatArray());
            assertEquals(TorchFiles.N, state.get("n").item());
        }
    }

    @Test
    void aLegacyStorageWhoseCountDisagreesWithTheObjectIsRefused() throws Exception {
        byte[] legacy = TorchFiles.legacy();
        ByteBuffer.wrap(legacy).order(ByteOrder.LITTLE_ENDIAN).putLong(legacy.length - 48, 7);
        assertEquals(": storage '0' holds 7 elements but the object claims 6", refusal(legacy));
    }

    @Test
    void bytesAfterTheLastLegacyStorageAreRefused() throws Exception {
        byte[] legacy = TorchFiles.legacy();
        byte[] longer = Arrays.copyOf(legacy, legacy.length + 3);
        assertEquals(": 3 unexpected bytes after the last storage", refusal(longer));
    }

    @Test
    void aZipStorageEntryWhoseSizeDisagreesWithItsClaimIsRefused() throws Exception {
        String pickle = new String(TorchFiles.statePickle(false), StandardCharsets.ISO_8859_1)
                .replace("K\u0006t", "K\u0005t");
        assertEquals(" (entry archive/data/0): holds 24 bytes but its storage claims 5 FloatStorage elements",
                refusal(TorchFiles.zip(pickle.getBytes(StandardCharsets.ISO_8859_1))));
    }

    @Test
    void aFileWithoutAStateDictIsRefusedNamingWhatItHolds() throws Exception {
        byte[] pickle = new TorchFiles.Pickle().proto().op('}').op('(').string("epoch").int1(3).op('u').op('.').bytes();
        assertEquals(": no state dict found: expected a dict of tensors, or one under the key state_dict, model or"
                + " module; the file holds a dict with the keys [epoch]", refusal(TorchFiles.zip(pickle)));
    }
}
