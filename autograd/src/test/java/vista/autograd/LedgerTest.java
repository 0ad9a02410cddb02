package vista.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import vista.autograd.Complexity.Cost;
import vista.autograd.functions.Convolution;
import vista.tensor.Rng;
import vista.tensor.Shape;
import vista.tensor.Tensor;
import vista.tensor.geometry.ConvGeometry;

/** The one recording channel: layer calls with their costs, and calls, time and multiply-adds per kind of operation. */
class LedgerTest {

    @Test
    void filesEveryForwardAndBackwardUnderItsKind() {
        Rng rng = new Rng(1);
        Variable x = new Variable(Tensor.randn(rng, 2, 4, 5, 5), true);
        Variable w1 = new Variable(Tensor.randn(rng, 8, 4, 1, 1), true);
        Variable w3 = new Variable(Tensor.randn(rng, 8, 8, 3, 3), true);
        Ledger ledger = Ledger.open();
        try (ledger) {
            Variable h = Convolution.apply(x, w1, null, ConvGeometry.convolution(4, 8, 1).build()).relu();
            Convolution.apply(h, w3, null, ConvGeometry.convolution(8, 8, 3).padding(1).build()).sum().backward();
        }
        Map<String, Ledger.Operation> byKind = ledger.operations().stream()
                .collect(Collectors.toMap(Ledger.Operation::kind, e -> e));
        assertEquals(Map.of("Conv2d 1x1", 1L, "Conv2d 3x3", 1L, "Relu", 1L, "Sum", 1L),
                byKind.values().stream().collect(Collectors.toMap(Ledger.Operation::kind, Ledger.Operation::forwardCalls)));
        byKind.values().forEach(e -> assertEquals(1, e.backwardCalls(), e.kind()));
        assertEquals(2L * 8 * 25 * 4, byKind.get("Conv2d 1x1").forwardMacs(), "N C_out H W C_in");
        assertEquals(2L * 8 * 25 * 8 * 9, byKind.get("Conv2d 3x3").forwardMacs());
        assertEquals(0, byKind.get("Relu").forwardMacs());
        assertTrue(ledger.operationNanos() > 0);
        assertEquals(ledger.operationNanos(), ledger.operations().stream().mapToLong(Ledger.Operation::nanos).sum());
    }

    /** A layer of one convolution, as the nn layers are: it records itself and reports its operation's cost. */
    private record PointwiseLayer(Variable weight) implements Complexity {
        Variable forward(Variable x) {
            return Ledger.record(this, x, Convolution.apply(x, weight, null, geometry()));
        }

        ConvGeometry geometry() {
            return ConvGeometry.convolution(weight.dims()[1], weight.dims()[0], 1).build();
        }

        @Override
        public Cost cost(Shape input, Shape output) {
            return Convolution.cost(geometry(), false, output);
        }
    }

    @Test
    void layerCallsAndTheirOperationsCountTheSameMultiplyAdds() {
        PointwiseLayer layer = new PointwiseLayer(new Variable(Tensor.randn(new Rng(2), 6, 3, 1, 1)));
        Object silent = new Object();
        Variable x = new Variable(Tensor.randn(new Rng(3), 2, 3, 4, 4));
        Ledger ledger = Ledger.open();
        try (ledger) {
            Ledger.record(silent, x, layer.forward(x));
        }
        List<Ledger.LayerCall> calls = ledger.layerCalls();
        assertEquals(List.of(new Ledger.LayerCall(layer, Shape.of(2, 3, 4, 4), Shape.of(2, 6, 4, 4)),
                new Ledger.LayerCall(silent, Shape.of(2, 3, 4, 4), Shape.of(2, 6, 4, 4))), calls);
        assertEquals(new Cost(2L * 6 * 16 * 3, 0), calls.get(0).cost());
        assertEquals(calls.get(0).cost(), calls.get(0).paperCost(), "no paper convention of its own");
        assertEquals(calls.get(0).cost().macs(), ledger.operations().get(0).forwardMacs(), "one formula, two views");
        assertNull(calls.get(1).cost(), "an owner that does not implement Complexity reports no cost");
    }

    @Test
    void recordsNothingOutsideALedgerChangesNoBitsAndDoesNotNest() {
        Variable x = new Variable(Tensor.ones(3), true);
        Ledger empty = Ledger.open();
        empty.close();
        x.mul(2).sum().backward();
        assertTrue(empty.operations().isEmpty());
        assertSame(x, Ledger.record(this, new Variable(Tensor.ones(1)), x), "record returns the output");
        assertTrue(empty.layerCalls().isEmpty());

        Variable image = new Variable(Tensor.randn(new Rng(4), 1, 2, 5, 5));
        Variable weight = new Variable(Tensor.randn(new Rng(5), 3, 2, 3, 3));
        ConvGeometry geometry = ConvGeometry.convolution(2, 3, 3).padding(1).build();
        float[] plain = Convolution.apply(image, weight, null, geometry).data().toFloatArray();
        try (Ledger ledger = Ledger.open()) {
            assertArrayEquals(plain, Convolution.apply(image, weight, null, geometry).data().toFloatArray());
            assertThrows(IllegalStateException.class, Ledger::open);
        }
    }
}
