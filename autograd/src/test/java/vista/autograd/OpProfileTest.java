package vista.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import vista.autograd.functions.Convolution;
import vista.tensor.Rng;
import vista.tensor.Tensor;
import vista.tensor.geometry.ConvGeometry;

/** The per-operation profile: calls, time and multiply-adds by kind, forward and backward. */
class OpProfileTest {

    @Test
    void filesEveryForwardAndBackwardUnderItsKind() {
        Rng rng = new Rng(1);
        Variable x = new Variable(Tensor.randn(rng, 2, 4, 5, 5), true);
        Variable w1 = new Variable(Tensor.randn(rng, 8, 4, 1, 1), true);
        Variable w3 = new Variable(Tensor.randn(rng, 8, 8, 3, 3), true);
        OpProfile profile = OpProfile.run(() -> {
            Variable h = Convolution.apply(x, w1, null, ConvGeometry.convolution(4, 8, 1).build()).relu();
            Convolution.apply(h, w3, null, ConvGeometry.convolution(8, 8, 3).padding(1).build()).sum().backward();
        });
        Map<String, OpProfile.Entry> byOp = profile.entries().stream()
                .collect(Collectors.toMap(OpProfile.Entry::op, e -> e));
        assertEquals(Map.of("Conv2d 1x1", 1L, "Conv2d 3x3", 1L, "Relu", 1L, "Sum", 1L),
                byOp.values().stream().collect(Collectors.toMap(OpProfile.Entry::op, OpProfile.Entry::forwardCalls)));
        byOp.values().forEach(e -> assertEquals(1, e.backwardCalls(), e.op()));
        assertEquals(2L * 8 * 25 * 4, byOp.get("Conv2d 1x1").forwardMacs(), "N C_out H W C_in");
        assertEquals(2L * 8 * 25 * 8 * 9, byOp.get("Conv2d 3x3").forwardMacs());
        assertEquals(0, byOp.get("Relu").forwardMacs());
        assertTrue(profile.totalNanos() > 0);
        assertEquals(profile.totalNanos(), profile.entries().stream().mapToLong(OpProfile.Entry::nanos).sum());
    }

    @Test
    void recordsNothingOutsideARunAndDoesNotNest() {
        Variable x = new Variable(Tensor.ones(3), true);
        OpProfile empty = OpProfile.run(() -> { });
        x.mul(2).sum().backward();
        assertTrue(empty.entries().isEmpty());
        assertThrows(IllegalStateException.class, () -> OpProfile.run(() -> OpProfile.run(() -> { })));
    }
}
