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
import vista.autograd.Variable;
import vista.bench.check.MiniTrainingStep;
import vista.models.zoo.resnet.Bottleneck;
import vista.nn.Module;
import vista.nn.Sequential;
import vista.tensor.Rng;
import vista.tensor.Tensor;
import vista.tensor.runtime.Parallel;

/**
 * Training work measured the way {@code bench/compare/pytorch_training.py} measures PyTorch, for a
 * side-by-side ratio (same shapes, same thread counts, run one after the other on this machine):
 * <ul>
 *   <li>{@code bottleneckStage}: forward and backward (input and every parameter gradient, BatchNorm in
 *       training mode) of ResNet-50's first stage, three bottlenecks 64 -> 256 channels (mid 64), on a
 *       batch of 8 at 56 x 56, with L = sum(output * R) for a fixed R;</li>
 *   <li>{@code miniResNetStep}: one SGD step (forward, cross-entropy, backward, momentum update) of
 *       {@code resnet26-mini}, of {@code sasa-resnet26-mini} (the same network with every 3x3
 *       convolution replaced by SASA attention, k = 7, 4 heads), or of {@code san10-pairwise-mini} and
 *       {@code san10-patchwise-mini} (the peer's 28 x 28 SAN10s), on a batch of 64 Fashion-MNIST-sized
 *       images (1 x 28 x 28, 10 classes), the peer's {@code bench_train.py} setting; images per second =
 *       64 / time.</li>
 * </ul>
 * The step runs inside a buffer pool and the forked JVM gets the launcher's heap settings, so the step is
 * timed as {@code vista train} runs it ({@code MiniTrainingStep}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:MaxRAMPercentage=25", "-Xms256m",
    "-XX:MaxNewSize=128m"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class TrainingBenchmark {

    /** ResNet-50's layer1 and its input, output weights R, and the thread count. */
    @State(Scope.Benchmark)
    public static class Stage {
        @Param({"1", "2"})
        int threads;

        Module stage;
        Tensor input;
        Tensor outputWeights;

        @Setup
        public void setUp() {
            Rng rng = new Rng(7);
            stage = new Sequential(new Bottleneck(64, 64, 4, 1, false, rng), new Bottleneck(256, 64, 4, 1, false, rng),
                    new Bottleneck(256, 64, 4, 1, false, rng));
            input = Tensor.randn(rng, 8, 64, 56, 56);
            outputWeights = Tensor.randn(rng, 8, 256, 56, 56);
            Parallel.setThreads(threads);
        }
    }

    /** A slim 28 x 28 model, its optimiser, a batch and its labels ({@link MiniTrainingStep}), and the threads. */
    @State(Scope.Benchmark)
    public static class Step {
        @Param({"resnet26-mini", "sasa-resnet26-mini", "san10-pairwise-mini", "san10-patchwise-mini"})
        String model;

        @Param({"1", "2"})
        int threads;

        MiniTrainingStep step;

        @Setup
        public void setUp() {
            step = new MiniTrainingStep(model);
            Parallel.setThreads(threads);
        }
    }

    @Benchmark
    public Tensor bottleneckStage(Stage s) {
        Variable x = new Variable(s.input, true);
        s.stage.forward(x).mul(new Variable(s.outputWeights)).sum().backward();
        for (Variable p : s.stage.parameters()) {
            p.zeroGrad();
        }
        return x.grad();
    }

    @Benchmark
    public double miniResNetStep(Step s) {
        return s.step.run();
    }
}
