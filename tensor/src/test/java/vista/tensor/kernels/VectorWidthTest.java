package vista.tensor.kernels;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The fast kernels without a width probe of their own give the same bits whatever the vector width:
 * {@link VectorWidthProbe} run in fresh JVMs with {@code -Dvista.vector.bits=128} and {@code 256} must
 * print exactly what it computes in this JVM (the widest species the CPU has), and give the same bits in
 * each of {@value WidthProbes#ROUNDS} rounds (before and after the JIT compiles the kernels). Reductions
 * and softmax are the kernels most at risk: their summation order is defined on 16 logical accumulators,
 * not on hardware lanes; GEMM keeps one FMA chain per element; elementwise kernels, the channel affine
 * maps and pooling run their last, partial vector through the same expression as the others.
 */
class VectorWidthTest {
    @Test
    void sameBitsForEveryVectorWidth() throws IOException, InterruptedException {
        WidthProbes.assertSameLinesForEveryVectorWidth(VectorWidthProbe.class, VectorWidthProbe.results());
    }
}
