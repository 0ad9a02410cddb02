package vista.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vista.autograd.Variable;
import vista.tensor.Rng;
import vista.tensor.Tensor;

/** Names, order, modes and state dicts of a nested module built from Linear and BatchNorm2d. */
class ModuleStateTest {

    /** A residual-style block: a bias-free Linear "conv1" then "bn1" (the names of a ResNet block). */
    static final class Block extends Module {
        private final Linear conv1;
        private final BatchNorm2d bn1;

        Block(Rng rng) {
            conv1 = registerModule("conv1", new Linear(4, 4, false, rng));
            bn1 = registerModule("bn1", new BatchNorm2d(4));
        }

        @Override
        public Variable forward(Variable input) {
            Variable y = conv1.forward(input.permute(0, 2, 3, 1)).permute(0, 3, 1, 2);
            return bn1.forward(y);
        }
    }

    /** "stem" Linear, "layer1" = Sequential(Block, Block), "fc" Linear (4 -> 3). */
    static final class Net extends Module {
        Net(Rng rng) {
            registerModule("stem", new Linear(4, 4, rng));
            registerModule("layer1", new Sequential(new Block(rng), new Block(rng)));
            registerModule("fc", new Linear(4, 3, rng));
        }

        @Override
        public Variable forward(Variable input) {
            return input;
        }
    }

    @Test
    void namedParametersOfANestedModuleFollowPyTorchOrder() {
        assertEquals(List.of("stem.weight", "stem.bias",
                "layer1.0.conv1.weight", "layer1.0.bn1.weight", "layer1.0.bn1.bias",
                "layer1.1.conv1.weight", "layer1.1.bn1.weight", "layer1.1.bn1.bias",
                "fc.weight", "fc.bias"), List.copyOf(new Net(new Rng(1)).namedParameters().keySet()));
    }

    @Test
    void stateDictPutsEachModulesBuffersAfterItsParameters() {
        assertEquals(List.of("stem.weight", "stem.bias",
                "layer1.0.conv1.weight",
                "layer1.0.bn1.weight", "layer1.0.bn1.bias", "layer1.0.bn1.running_mean", "layer1.0.bn1.running_var",
                "layer1.1.conv1.weight",
                "layer1.1.bn1.weight", "layer1.1.bn1.bias", "layer1.1.bn1.running_mean", "layer1.1.bn1.running_var",
                "fc.weight", "fc.bias"), List.copyOf(new Net(new Rng(1)).stateDict().keySet()));
    }

    @Test
    void loadStateDictCopiesEveryTensor() {
        Net source = new Net(new Rng(2));
        source.stateDict().get("layer1.1.bn1.running_var").fill(7);
        Net target = new Net(new Rng(3));
        target.loadStateDict(source.stateDict());
        source.stateDict().forEach((name, t) ->
                assertArrayEquals(t.toFloatArray(), target.stateDict().get(name).toFloatArray(), name));
    }

    @Test
    void loadStateDictRejectsMissingUnexpectedAndWronglyShapedEntriesAndChangesNothing() {
        Net net = new Net(new Rng(4));
        float[] before = net.stateDict().get("stem.weight").toFloatArray();
        Map<String, Tensor> state = new LinkedHashMap<>(new Net(new Rng(5)).stateDict());
        state.remove("layer1.1.bn1.running_var");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.loadStateDict(state));
        assertEquals("loadStateDict(Net): the state does not fit this module. Missing: layer1.1.bn1.running_var.",
                e.getMessage());

        state.put("layer1.1.bn1.running_var", Tensor.ones(4));
        state.put("layer1.0.bn1.num_batches_tracked", Tensor.scalar(3));
        e = assertThrows(IllegalArgumentException.class, () -> net.loadStateDict(state));
        assertEquals("loadStateDict(Net): the state does not fit this module. "
                + "Unexpected: layer1.0.bn1.num_batches_tracked.", e.getMessage());

        state.remove("layer1.0.bn1.num_batches_tracked");
        state.put("fc.weight", Tensor.zeros(4, 3));
        e = assertThrows(IllegalArgumentException.class, () -> net.loadStateDict(state));
        assertEquals("loadStateDict(Net): the state does not fit this module. "
                + "Wrong shape: fc.weight (expected [3, 4], got [4, 3]).", e.getMessage());
        assertArrayEquals(before, net.stateDict().get("stem.weight").toFloatArray(), "nothing was loaded");
    }

    @Test
    void evalReachesEveryDescendant() {
        Net net = new Net(new Rng(6));
        net.eval();
        Module bn = net.children().get("layer1").children().get("1").children().get("bn1");
        assertFalse(bn.isTraining());
        assertEquals(4 * 4 + 4 + 2 * (16 + 8) + 3 * 4 + 3, net.parameterCount());
    }

    @Test
    void nestedForwardRuns() {
        Block block = new Block(new Rng(7));
        Variable y = block.forward(new Variable(Tensor.randn(new Rng(8), 2, 4, 3, 3)));
        assertArrayEquals(new int[] {2, 4, 3, 3}, y.dims());
    }
}
