package vista.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import vista.tensor.Rng;
import vista.tensor.Tensor;
import vista.tensor.kernels.AggregationKernels;
import vista.tensor.kernels.AggregationReference;
import vista.tensor.geometry.Footprint;
import vista.tensor.kernels.SubtractionKernels;
import vista.tensor.kernels.SubtractionReference;
import vista.tensor.runtime.Parallel;

/**
 * SAN's local operators in float32 by the fast kernels ({@link AggregationKernels}, {@link SubtractionKernels}), the
 * kernels alone, at the shapes of the first stage of SAN10 (56 x 56, batch 8, 7 x 7 footprint with
 * reflection padding, stride 1):
 * <ul>
 *   <li>aggregation of values x {@code 8 x 64 x 56 x 56} with weights w {@code 8 x 8 x 49 x 3136} (eight
 *       channels share each weight channel): {@code 8 * 64 * 49 * 3136 = 79 M} multiply-adds forward,
 *       twice that backward; w (39 MB) is the largest operand, and backward writes dL/dw (39 MB);</li>
 *   <li>subtraction of {@code 8 x 16 x 56 x 56} operands (the pairwise SAM's φ(x) and ψ(x)) into
 *       {@code 8 x 16 x 49 x 3136} (79 MB): forward writes it, backward reads its gradient; both are
 *       bound by memory bandwidth.</li>
 * </ul>
 * {@code forward} computes the result; {@code forwardBackward} adds the gradients of both operands from a
 * given output gradient. The scalar references, in double precision, would take seconds per call at
 * these shapes, so they are measured on one 14 x 14 image ({@code referenceSmall}: aggregation of 16
 * channels in 2 weight channels, subtraction of 16 channels; forward and backward), next to the fast
 * kernels on the same problems with one thread ({@code fastSmall}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:InitialRAMPercentage=25",
    "-XX:MaxRAMPercentage=25"})
@Warmup(iterations = 4, time = 4)
@Measurement(iterations = 5, time = 4)
public class SanOpsBenchmark {

    /** Values, weights and an output gradient of one aggregation. */
    static final class AggregationProblem {
        final Footprint footprint = Footprint.of(7);
        final Tensor x;
        final Tensor w;
        final Tensor gradOutput;

        AggregationProblem(int batch, int channels, int shared, int size) {
            Rng rng = new Rng(42);
            x = Tensor.randn(rng, batch, channels, size, size);
            w = Tensor.randn(rng, batch, shared, footprint.neighbours(), size * size).mul(0.2);
            gradOutput = Tensor.randn(rng, batch, channels, size, size);
        }

        void forwardBackward(Blackhole blackhole) {
            blackhole.consume(AggregationKernels.forward(x, w, footprint));
            blackhole.consume(AggregationKernels.backward(gradOutput, x, w, footprint));
        }

        void reference(Blackhole blackhole) {
            blackhole.consume(AggregationReference.forward(x, w, footprint));
            blackhole.consume(AggregationReference.backward(gradOutput, x, w, footprint));
        }
    }

    /** Both operands and a gradient of the result of one subtraction. */
    static final class SubtractionProblem {
        final Footprint footprint = Footprint.of(7);
        final Tensor x1;
        final Tensor x2;
        final Tensor gradOutput;

        SubtractionProblem(int batch, int channels, int size) {
            Rng rng = new Rng(43);
            x1 = Tensor.randn(rng, batch, channels, size, size);
            x2 = Tensor.randn(rng, batch, channels, size, size);
            gradOutput = Tensor.randn(rng, batch, channels, footprint.neighbours(), size * size);
        }

        void forwardBackward(Blackhole blackhole) {
            blackhole.consume(SubtractionKernels.forward(x1, x2, footprint));
            blackhole.consume(SubtractionKernels.backward(gradOutput, x1.shape(), footprint));
        }

        void reference(Blackhole blackhole) {
            blackhole.consume(SubtractionReference.forward(x1, x2, footprint));
            blackhole.consume(SubtractionReference.backward(gradOutput, x1.shape(), footprint));
        }
    }

    /** The aggregation of SAN10's first stage, for one thread count. */
    @State(Scope.Benchmark)
    public static class AggregationLayer {
        @Param({"1", "2"})
        int threads;

        AggregationProblem problem;

        @Setup
        public void setUp() {
            problem = new AggregationProblem(8, 64, 8, 56);
            Parallel.setThreads(threads);
        }
    }

    /** The subtraction of SAN10's first stage, for one thread count. */
    @State(Scope.Benchmark)
    public static class SubtractionLayer {
        @Param({"1", "2"})
        int threads;

        SubtractionProblem problem;

        @Setup
        public void setUp() {
            problem = new SubtractionProblem(8, 16, 56);
            Parallel.setThreads(threads);
        }
    }

    /** One 14 x 14 image, on one thread, small enough for the references. */
    @State(Scope.Benchmark)
    public static class Small {
        AggregationProblem aggregation;
        SubtractionProblem subtraction;

        @Setup
        public void setUp() {
            aggregation = new AggregationProblem(1, 16, 2, 14);
            subtraction = new SubtractionProblem(1, 16, 14);
            Parallel.setThreads(1);
        }
    }

    @Benchmark
    public Tensor aggregationForward(AggregationLayer s) {
        AggregationProblem p = s.problem;
        return AggregationKernels.forward(p.x, p.w, p.footprint);
    }

    @Benchmark
    public void aggregationForwardBackward(AggregationLayer s, Blackhole blackhole) {
        s.problem.forwardBackward(blackhole);
    }

    @Benchmark
    public Tensor subtractionForward(SubtractionLayer s) {
        SubtractionProblem p = s.problem;
        return SubtractionKernels.forward(p.x1, p.x2, p.footprint);
    }

    @Benchmark
    public void subtractionForwardBackward(SubtractionLayer s, Blackhole blackhole) {
        s.problem.forwardBackward(blackhole);
    }

    @Benchmark
    public void aggregationFastSmall(Small s, Blackhole blackhole) {
        s.aggregation.forwardBackward(blackhole);
    }

    @Benchmark
    public void aggregationReferenceSmall(Small s, Blackhole blackhole) {
        s.aggregation.reference(blackhole);
    }

    @Benchmark
    public void subtractionFastSmall(Small s, Blackhole blackhole) {
        s.subtraction.forwardBackward(blackhole);
    }

    @Benchmark
    public void subtractionReferenceSmall(Small s, Blackhole blackhole) {
        s.subtraction.reference(blackhole);
    }
}
