package vista.nn.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vista.tensor.Tensor;

class StateDigestTest {

    /** The bytes the class comment specifies for one float32 tensor, written out by hand. */
    private static byte[] encoded(String name, int[] dims, float[] values) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + utf8.length + 1 + 4 + 4 * dims.length + 4 * values.length)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(utf8.length).put(utf8).put((byte) 1).putInt(dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    @Test
    void digestIsTheSha256OfTheDocumentedEncoding() throws NoSuchAlgorithmException {
        float[] w = {1.5f, -2f, 0f, Float.MIN_VALUE, 3e38f, -0.25f};
        float[] bias = {7f};
        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put("conv.weight", Tensor.fromArray(w, 2, 3));
        state.put("bn.bias", Tensor.fromArray(bias, 1));
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(encoded("conv.weight", new int[] {2, 3}, w));
        sha.update(encoded("bn.bias", new int[] {1}, bias));
        assertEquals(HexFormat.of().formatHex(sha.digest()), StateDigest.sha256(state));
    }

    @Test
    void oneBitOrTheOrderChangesTheDigest() {
        Map<String, Tensor> a = new LinkedHashMap<>();
        a.put("x", Tensor.fromArray(new float[] {0f, 1f}, 2));
        a.put("y", Tensor.fromArray(new float[] {2f}, 1));
        Map<String, Tensor> signedZero = new LinkedHashMap<>(a);
        signedZero.put("x", Tensor.fromArray(new float[] {-0f, 1f}, 2));
        Map<String, Tensor> reordered = new LinkedHashMap<>();
        reordered.put("y", a.get("y"));
        reordered.put("x", a.get("x"));
        Map<String, Tensor> reshaped = new LinkedHashMap<>(a);
        reshaped.put("x", Tensor.fromArray(new float[] {0f, 1f}, 1, 2));
        String digest = StateDigest.sha256(a);
        assertEquals(64, digest.length());
        assertEquals(digest, StateDigest.sha256(new LinkedHashMap<>(a)), "same state, same digest");
        assertNotEquals(digest, StateDigest.sha256(signedZero), "-0.0 and 0.0 are different bits");
        assertNotEquals(digest, StateDigest.sha256(reordered), "the order is part of the state dict");
        assertNotEquals(digest, StateDigest.sha256(reshaped), "the shape is part of the state dict");
    }

    @Test
    void aStridedViewHasTheDigestOfItsContiguousCopy() {
        Tensor matrix = Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor transposed = matrix.permute(1, 0);
        assertEquals(StateDigest.sha256(Map.of("t", transposed.contiguous())),
                StateDigest.sha256(Map.of("t", transposed)));
    }
}
