package vista.bench.check;

import com.google.gson.annotations.SerializedName;

/**
 * One recorded figure: a line of {@code bench/history/figures.jsonl}.
 *
 * @param date when it was measured, UTC to the minute ({@code 2026-12-07T19:40Z})
 * @param commit the short commit of the measured sources, with {@code +dirty} if they had uncommitted changes
 * @param machine where it was measured
 * @param benchCase the {@link BenchCase#key()} (in JSON: {@code case})
 * @param threads the thread count both sides ran with
 * @param vistaMs Vista's milliseconds per repetition, the median over rounds of each run's median
 * @param torchMs PyTorch's, likewise, with its default OpenMP settings
 * @param torchPassiveMs PyTorch's with {@code OMP_WAIT_POLICY=PASSIVE} (two threads and more), else null
 * @param ratio {@code min(torchMs, torchPassiveMs) / vistaMs}: Vista's speed over PyTorch's
 * @param load the mean number of cores other processes kept busy during the case's runs, or null where
 *     {@code /proc/stat} cannot be read
 */
public record Figure(String date, String commit, Machine machine, @SerializedName("case") String benchCase,
        int threads, double vistaMs, double torchMs, Double torchPassiveMs, double ratio, Double load) {

    /** PyTorch's faster time: the passive run's if there was one and it was faster. */
    public double bestTorchMs() {
        return torchPassiveMs != null && torchPassiveMs < torchMs ? torchPassiveMs : torchMs;
    }
}
