package vista.nn.weights.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vista.tensor.DType;
import vista.tensor.Tensor;

/**
 * Reads the load cases of the PyTorch-written checkpoint fixtures. The expected values were read from
 * the same files by Python's own {@code pickle} and numpy (no torch), independently of this reader.
 */
class TorchWeightsTest {
    private static final double TRACKED = 1234;

    private static double sum(Map<String, Tensor> state) {
        double total = 0;
        for (Tensor t : state.values()) {
            for (double v : t.toDoubleArray()) {
                total += v;
            }
        }
        return total;
    }

    private static void assertFinite(Map<String, Tensor> state) {
        state.forEach((name, t) -> {
            for (double v : t.toDoubleArray()) {
                assertTrue(Double.isFinite(v), name + " holds " + v);
            }
        });
    }

    private static void assertStarts(double[] expected, Tensor t) {
        double[] values = t.toDoubleArray();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], values[i], 2e-7 * Math.abs(expected[i]), "element " + i);
        }
    }

    @Test
    void aPlainZipStateDictGivesEveryTensorByNameWithItsShapeAndValues() throws Exception {
        Map<String, Tensor> state = TorchWeights.stateDict(CheckpointFixtures.file("ckpt_resnet26_mini_zip", "model.pth"));
        assertEquals(176, state.size());
        assertEquals("conv1.weight", state.keySet().iterator().next());
        assertArrayEquals(new int[] {16, 1, 3, 3}, state.get("conv1.weight").dims());
        assertEquals(DType.FLOAT32, state.get("conv1.weight").dtype());
        assertStarts(new double[] {-0.14282057, -0.0459516, 0.11492299}, state.get("conv1.weight"));
        assertStarts(new double[] {0.82163417, 0.7604441, 0.75661844}, state.get("bn1.weight"));
        assertFinite(state);
        assertEquals(43348.096495738064, sum(state), 1e-6);
    }

    @Test
    void int64NumBatchesTrackedIsReadExactlyAsAFloat64Scalar() throws Exception {
        Map<String, Tensor> state = TorchWeights.stateDict(CheckpointFixtures.file("ckpt_resnet26_mini_zip", "model.pth"));
        Tensor tracked = state.get("bn1.num_batches_tracked");
        assertEquals(DType.FLOAT64, tracked.dtype());
        assertEquals(0, tracked.rank());
        assertEquals(TRACKED, tracked.item());
        assertEquals(29, state.keySet().stream().filter(k -> k.endsWith("num_batches_tracked")).count());
    }

    @Test
    void halfStoragesAreWidenedExactlyToFloat32() throws Exception {
        Map<String, Tensor> state = TorchWeights.stateDict(CheckpointFixtures.file("ckpt_resnet26_mini_half", "half.pth"));
        assertEquals(176, state.size());
        assertStarts(new double[] {0.10150146484375, 0.11407470703125, 0.0296325683593750}, state.get("conv1.weight"));
        assertStarts(new double[] {0.83251953125, 1.052734375, 1.3515625}, state.get("bn1.weight"));
        state.forEach((name, t) -> {
            if (t.dtype() == DType.FLOAT32) {
                for (float v : t.toFloatArray()) {
                    assertEquals(v, Float.float16ToFloat(Float.floatToFloat16(v)), name + ": not a float16 value");
                }
            }
        });
        assertEquals(43200.3166783452, sum(state), 1e-6);
    }

    @Test
    void viewsAtOffsetsIntoSharedStoragesAndStridedTensorsAreMaterialisedContiguously() throws Exception {
        Map<String, Tensor> state = TorchWeights.stateDict(
                CheckpointFixtures.file("ckpt_sasa26_mini_wrapped_views", "sasa.pt"));
        assertEquals(208, state.size());
        Tensor relCol = state.get("layer1.0.conv2.rel_col");
        assertArrayEquals(new int[] {7, 2}, relCol.dims());
        assertStarts(new double[] {-0.09603835, -0.36794573, -0.21603613}, relCol);
        Tensor q = state.get("layer4.0.conv2.q_proj.weight");
        assertArrayEquals(new int[] {128, 128, 1, 1}, q.dims());
        assertTrue(q.isContiguous());
        assertStarts(new double[] {-0.0439331, 0.03975445, -0.13821341}, q);
        assertEquals(22.834141584925533, sum(Map.of("q", q)), 1e-9);
        assertFinite(state);
        assertEquals(43301.88934565479, sum(state), 1e-6);
    }

    @Test
    void theOfficialSanLayoutIsUnwrappedFromItsDictionaryAndItsDataParallelPrefixRemoved() throws Exception {
        Path file = CheckpointFixtures.file("ckpt_san10_pairwise_official_legacy", "model_best.pth");
        Map<String, Tensor> state = TorchWeights.stateDict(file);
        assertEquals(368, state.size());
        assertEquals("conv_in.weight", state.keySet().iterator().next());
        assertFalse(state.keySet().stream().anyMatch(k -> k.startsWith("module.")));
        assertArrayEquals(new int[] {32, 1, 1, 1}, state.get("conv_in.weight").dims());
        assertEquals(TRACKED, state.get("bn_in.num_batches_tracked").item());
        assertFinite(state);
    }

    @Test
    void readGivesTheWholeInertValueTreeOfTheOfficialSanDictionary() throws Exception {
        Object root = TorchWeights.read(CheckpointFixtures.file("ckpt_san10_pairwise_official_legacy", "model_best.pth"));
        Map<?, ?> map = assertInstanceOf(Map.class, root);
        assertEquals(List.of("epoch", "state_dict", "optimizer", "scheduler", "top1_val", "top5_val"),
                List.copyOf(map.keySet()));
        assertEquals(100L, map.get("epoch"));
        assertEquals(0.7491, map.get("top1_val"));
        TensorRef conv = assertInstanceOf(TensorRef.class, ((Map<?, ?>) map.get("state_dict")).get("module.conv_in.weight"));
        assertEquals(StorageType.FLOAT, conv.storage().type());
        assertEquals("cuda:0", conv.storage().location());
    }
}
