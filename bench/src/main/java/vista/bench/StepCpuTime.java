package vista.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleSupplier;
import vista.bench.check.BenchCase;
import vista.bench.check.Quartiles;
import vista.tensor.runtime.Parallel;

/**
 * A {@code bench-check} case on one thread, timed by the CPU time of the thread that runs it as well as by
 * the clock: for comparing two builds of Vista on a machine that other processes keep busy, where clock
 * times measure the sharing more than the code. A thread's CPU time counts only the time it ran: on this
 * project's machine, while two training runs kept both cores busy, it gave 39.0-40.3 ms for {@code conv3x3}
 * (39.0 quiet, by the clock) and 290 ms for the {@code resnet26-mini} step (287 quiet), after 40 and 15
 * warm-up steps; fewer warm-up steps leave the JIT's work in the figure. It still sees what the other
 * processes do to the shared caches and memory bandwidth, so memory-bound steps spread by 10-20% from run
 * to run: interleave the builds and compare medians ({@code bench/compare/cpu_time_side_by_side.sh}). Work
 * on other threads (the garbage collector) is not counted, which is why it runs one kernel thread only.
 * <pre>
 *   ./vista bench-main vista.bench.StepCpuTime san10-patchwise-mini-step 6 16
 * </pre>
 * The arguments are the case, the warm-up steps and the timed steps; it prints one line with the median
 * and quartiles of the thread's CPU milliseconds per step and the median clock milliseconds.
 */
public final class StepCpuTime {
    private StepCpuTime() {
    }

    public static void main(String[] args) {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: StepCpuTime CASE WARMUP_STEPS TIMED_STEPS, e.g."
                    + " san10-patchwise-mini-step 6 16");
        }
        BenchCase benchCase = BenchCase.of(args[0]);
        int warmup = Integer.parseInt(args[1]);
        int steps = Integer.parseInt(args[2]);
        if (warmup < 0 || steps < 4) {
            throw new IllegalArgumentException("StepCpuTime: need at least 0 warm-up and 4 timed steps, got " + warmup
                    + " and " + steps);
        }
        Parallel.setThreads(1);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        DoubleSupplier work = benchCase.work();
        double sink = 0;
        for (int i = 0; i < warmup; i++) {
            sink += work.getAsDouble();
        }
        List<Double> cpu = new ArrayList<>();
        List<Double> clock = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            long cpuStart = threads.getCurrentThreadCpuTime();
            long clockStart = System.nanoTime();
            sink += work.getAsDouble();
            cpu.add((threads.getCurrentThreadCpuTime() - cpuStart) / 1e6);
            clock.add((System.nanoTime() - clockStart) / 1e6);
        }
        Quartiles c = Quartiles.of(cpu);
        System.out.printf(Locale.ROOT, "%s, 1 thread, %d steps: CPU time %.1f ms per step (quartiles %.1f-%.1f),"
                + " clock %.1f ms; results finite: %s%n", benchCase.key(), steps, c.median(), c.lower(), c.upper(),
                Quartiles.of(clock).median(), Double.isFinite(sink));
    }
}
