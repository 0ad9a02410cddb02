import java.util.ArrayList;
import java.util.List;
import vista.autograd.Variable;
import vista.data.Spirals;
import vista.nn.Linear;
import vista.nn.Module;
import vista.nn.ReLU;
import vista.nn.Sequential;
import vista.nn.checkpoint.StateDigest;
import vista.nn.loss.CrossEntropyLoss;
import vista.nn.optim.Sgd;
import vista.tensor.Rng;
import vista.tensor.runtime.Parallel;

/**
 * Lesson 8 (docs/learn/08-reproducibility.md): a run is a function of its seed, its data and its code.
 * <ol>
 *   <li>Seeds and streams: {@code Rng} is SplitMix64, the same numbers on every JVM; {@code split(name)} gives
 *       each consumer (initialisation, data, shuffling) a stream that depends on the seed and the name only,
 *       so drawing from one never shifts another.</li>
 *   <li>A small training run repeated: same seed, 1 or 2 threads, the same SHA-256 of the weights
 *       ({@code StateDigest}, the fingerprint a checkpoint and a manifest record); another seed, another one.</li>
 *   <li>Replay in miniature: a manifest keeps every step's loss; re-running and comparing names the first step
 *       that differs, here a run whose learning rate was changed at step 7.</li>
 * </ol>
 * <p>Run: {@code ./vista learn 8}; {@code --quick} trains for fewer steps. The real thing:
 * {@code ./vista train ... --out DIR}, then {@code ./vista replay DIR/manifest.json}.
 */
public class Lesson8 {
    record Run(String digest, List<Double> losses) {
    }

    public static void main(String[] args) {
        boolean quick = List.of(args).contains("--quick");
        int steps = quick ? 15 : 150;
        streams();

        Run first = Parallel.withThreads(1, () -> train(42, steps, -1));
        Run again = Parallel.withThreads(2, () -> train(42, steps, -1));
        Run otherSeed = train(43, steps, -1);
        System.out.printf("%d SGD steps on spirals, seed 42, 1 thread:  weights SHA-256 %s, last loss %.6f%n", steps,
                first.digest().substring(0, 20), first.losses().getLast());
        System.out.printf("%d SGD steps on spirals, seed 42, 2 threads: weights SHA-256 %s%n", steps,
                again.digest().substring(0, 20));
        System.out.printf("%d SGD steps on spirals, seed 43:            weights SHA-256 %s%n", steps,
                otherSeed.digest().substring(0, 20));
        check(first.equals(again), "the same seed gives the same bits on 1 and 2 threads, every loss included");
        check(!first.digest().equals(otherSeed.digest()), "another seed gives other weights");

        Run changed = train(42, steps, 7);
        int differs = firstDifference(first.losses(), changed.losses());
        System.out.printf("replaying against the recorded losses: the run with a changed learning rate first differs"
                + " at step %d (%.9f recorded, %.9f now)%n", differs, first.losses().get(differs - 1),
                changed.losses().get(differs - 1));
        check(differs == 8, "the change made at step 7 shows in the loss of step 8");
        System.out.println("lesson 8 ok: same seed, same bits on any thread count: " + first.digest().substring(0, 16));
    }

    static void streams() {
        Rng root = new Rng(42);
        double initFirst = root.split("init").nextGaussian();
        Rng data = root.split("data");
        for (int i = 0; i < 1000; i++) {
            data.nextDouble();
            root.nextDouble();
        }
        double initAfter = root.split("init").nextGaussian();
        System.out.printf("Rng(42).split(\"init\") starts with %.12f; after 1,000 draws from the root and from"
                + " split(\"data\"): %.12f%n", initFirst, initAfter);
        check(initFirst == initAfter, "a stream depends on the seed and its name only");
    }

    /**
     * Trains a 2-32-3 MLP on a 3-arm spiral with full-batch SGD; at {@code changeAt} (1-based; -1: never) the
     * learning rate is changed, as a code edit would. Returns the weights' digest and every step's loss.
     */
    static Run train(long seed, int steps, int changeAt) {
        Rng rng = new Rng(seed);
        Spirals spirals = Spirals.generate(rng.split("data"), 100, 3);
        Rng init = rng.split("init");
        Module model = new Sequential(new Linear(2, 32, init), new ReLU(), new Linear(32, 3, init));
        Sgd sgd = Sgd.builder(model.namedParameters()).setLearningRate(0.2).optMomentum(0.9).build();
        CrossEntropyLoss lossFunction = new CrossEntropyLoss();
        List<Double> losses = new ArrayList<>();
        for (int step = 1; step <= steps; step++) {
            if (step == changeAt) {
                sgd.setLearningRate(0.21);
            }
            Variable loss = lossFunction.forward(model.forward(new Variable(spirals.features())), spirals.labels());
            sgd.zeroGrad();
            loss.backward();
            sgd.step();
            losses.add(loss.item());
        }
        return new Run(StateDigest.sha256(model), losses);
    }

    /** The first step (1-based) whose loss differs in its bits, or 0. */
    static int firstDifference(List<Double> recorded, List<Double> now) {
        for (int i = 0; i < recorded.size(); i++) {
            if (Double.doubleToRawLongBits(recorded.get(i)) != Double.doubleToRawLongBits(now.get(i))) {
                return i + 1;
            }
        }
        return 0;
    }

    static void check(boolean condition, String claim) {
        if (!condition) {
            throw new IllegalStateException("lesson 8: expected that " + claim);
        }
    }
}
