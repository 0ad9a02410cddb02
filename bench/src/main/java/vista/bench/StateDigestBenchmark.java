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
import vista.models.zoo.ModelZoo;
import vista.nn.Module;
import vista.nn.checkpoint.StateDigest;
import vista.tensor.Rng;

/**
 * The cost of a run manifest's fingerprints: the SHA-256 of a model's state dict
 * ({@link StateDigest}), which {@code vista train} computes after every {@code --digest-every}-th step.
 * Run beside {@code TrainingBenchmark.miniResNetStep} to read it as a fraction of a training step:
 * {@code ./vista bench 'StateDigestBenchmark|TrainingBenchmark.miniResNetStep' -p model=resnet26-mini -p threads=2}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class StateDigestBenchmark {

    /** A freshly initialised model of the zoo (Fashion-MNIST's shape for the minis, ImageNet's otherwise). */
    @State(Scope.Benchmark)
    public static class Weights {
        @Param({"resnet26-mini", "resnet50"})
        String model;

        Module network;

        @Setup
        public void setUp() {
            boolean mini = model.endsWith("-mini");
            network = ModelZoo.create(model, new ModelZoo.Request(mini ? 1 : 3, mini ? 10 : 1000, new Rng(1)));
        }
    }

    @Benchmark
    public String digest(Weights w) {
        return StateDigest.sha256(w.network);
    }
}
