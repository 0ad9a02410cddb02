package vista.bench.check;

import com.google.gson.Gson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import vista.tensor.runtime.Parallel;

/**
 * Times one {@link BenchCase} at one thread count, in the JVM it is started in (a fresh one per case, so
 * that no earlier case's compiled code or heap shapes this one's figure):
 * <pre>
 *   java ... vista.bench.check.StepTimer CASE THREADS WARMUP_SECONDS MEASURE_SECONDS
 * </pre>
 * It warms up for at least {@value #MIN_REPETITIONS} repetitions and {@code WARMUP_SECONDS}, then times
 * repetitions one by one until it has at least {@value #MIN_REPETITIONS} and {@code MEASURE_SECONDS} have
 * passed (what {@code pytorch_training.py} does), and prints one JSON line:
 * {@code {"case":..., "threads":..., "median_ms":..., "iqr_ms":..., "runs":..., "finite":...}}, where
 * {@code finite} says whether the sum of every repetition's result (a loss, or elements of the gradients) is
 * a finite number: the results are used, so the JIT cannot drop the work.
 */
public final class StepTimer {
    static final int MIN_REPETITIONS = 5;

    private StepTimer() {
    }

    public static void main(String[] args) {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: StepTimer CASE THREADS WARMUP_SECONDS MEASURE_SECONDS, e.g. "
                    + "resnet26-mini-step 2 5 10");
        }
        BenchCase benchCase = BenchCase.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        double warmupSeconds = Double.parseDouble(args[2]);
        double measureSeconds = Double.parseDouble(args[3]);
        Parallel.setThreads(threads);
        DoubleSupplier work = benchCase.work();
        double sink = 0;
        long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        for (int i = 0; i < MIN_REPETITIONS || System.nanoTime() < warmupEnd; i++) {
            sink += work.getAsDouble();
        }
        List<Double> millis = new ArrayList<>();
        long start = System.nanoTime();
        while (millis.size() < MIN_REPETITIONS || System.nanoTime() - start < measureSeconds * 1e9) {
            long t0 = System.nanoTime();
            sink += work.getAsDouble();
            millis.add((System.nanoTime() - t0) / 1e6);
        }
        Quartiles q = Quartiles.of(millis);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("case", benchCase.key());
        line.put("threads", threads);
        line.put("median_ms", q.median());
        line.put("iqr_ms", q.range());
        line.put("runs", millis.size());
        line.put("finite", Double.isFinite(sink));
        System.out.println(new Gson().toJson(line));
    }
}
