package vista.bench.check;

import java.util.ArrayList;
import java.util.List;

/**
 * What the rounds measured for one case at one thread count: each round's median of Vista, of PyTorch
 * and of PyTorch with {@code OMP_WAIT_POLICY=PASSIVE}, and the clock ticks other processes used while
 * they ran (see {@link CpuLoad}).
 */
final class CaseRuns {
    final BenchCase benchCase;
    final int threads;
    final List<Double> vistaMs = new ArrayList<>();
    final List<Double> torchMs = new ArrayList<>();
    final List<Double> torchPassiveMs = new ArrayList<>();
    private long otherTicks;
    private long totalTicks;
    private boolean loadKnown = true;

    CaseRuns(BenchCase benchCase, int threads) {
        this.benchCase = benchCase;
        this.threads = threads;
    }

    /** Adds the counters' change over one process's run; a missing sample makes the load unknown. */
    void addLoad(CpuLoad.Sample before, CpuLoad.Sample after) {
        if (before == null || after == null) {
            loadKnown = false;
            return;
        }
        otherTicks += CpuLoad.otherTicks(before, after);
        totalTicks += after.total() - before.total();
    }

    /** The mean number of cores other processes kept busy during this case's runs, or null if unknown. */
    Double load(int cores) {
        if (!loadKnown || totalTicks <= 0) {
            return null;
        }
        return otherTicks * (double) cores / totalTicks;
    }

    /**
     * The figure of these runs: each side's median over rounds, and the ratio of PyTorch's faster side to
     * Vista's.
     */
    Figure figure(String date, String commit, Machine machine, int cores) {
        double vista = Quartiles.of(vistaMs).median();
        double torch = Quartiles.of(torchMs).median();
        Double passive = torchPassiveMs.isEmpty() ? null : Quartiles.of(torchPassiveMs).median();
        double best = passive != null && passive < torch ? passive : torch;
        return new Figure(date, commit, machine, benchCase.key(), threads, vista, torch, passive, best / vista,
                load(cores));
    }
}
