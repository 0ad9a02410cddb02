package vista.nn.san;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import vista.autograd.GradCheck;
import vista.autograd.Variable;
import vista.tensor.Rng;
import vista.tensor.Tensor;

/**
 * γ of the SAN blocks through {@link SanWeightMapping} against float64 finite differences, on a relation
 * that is the input itself ({@code (N, C0, P)}; 3 neighbours x 2 pixels): BN(4), ReLU, 1x1 to 3, BN(3),
 * ReLU, 1x1 to C2 with bias; chunks of two samples, so the moments and sums are merged across chunks of
 * unequal size (2, 2, 1).
 */
class SanWeightMappingTest {
    /** The two checks' inputs: δ {@code (5, 4, P)}, then γ0, β0, W2, γ3, β3, W5 and b5 (the γs in [0.5, 2)). */
    static Stream<Arguments> cases() {
        Rng rng = new Rng(2115).split("san weight mapping");
        return Stream.of(
                Arguments.of("with the softmax over 3 neighbours, 5 samples in chunks", true, inputs(rng, 6, 2)),
                Arguments.of("without softmax (patchwise), 5 samples in chunks", false, inputs(rng, 2, 6)));
    }

    private static Tensor[] inputs(Rng rng, int positions, int outputs) {
        return new Tensor[] {Tensor.randn(rng, 5, 4, positions), Tensor.uniform(rng, 0.5, 2, 4), Tensor.randn(rng, 4),
            Tensor.randn(rng, 3, 4, 1, 1), Tensor.uniform(rng, 0.5, 2, 3), Tensor.randn(rng, 3),
            Tensor.randn(rng, outputs, 3, 1, 1), Tensor.randn(rng, outputs)};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsMatchFiniteDifferences(String name, boolean softmax, Tensor[] inputs) {
        GradCheck.of(x -> new SanWeightMapping(new InputIsTheRelation(), 3, 2, softmax, 1e-5, 2 * 4 * 6)
                .apply(new Variable[] {x[0]}, x[1], x[2], x[3], x[4], x[5], x[6], x[7]), inputs).assertPasses();
    }

    /** δ = the first input, {@code (N, C0, P)}; its gradient is dL/dδ. */
    private static final class InputIsTheRelation implements ChunkedRelation {
        @Override
        public int channels(Tensor[] inputs) {
            return inputs[0].dim(1);
        }

        @Override
        public int positions(Tensor[] inputs) {
            return inputs[0].dim(2);
        }

        @Override
        public Tensor forward(Tensor[] inputs, int from, int to) {
            return inputs[0].slice(0, from, to);
        }

        @Override
        public void backward(Tensor[] inputs, int from, int to, Tensor gradient, Tensor[] inputGradients) {
            inputGradients[0].slice(0, from, to).copyFrom(gradient);
        }
    }
}
