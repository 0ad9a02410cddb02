/**
 * {@code ./vista bench-check}: re-runs Vista's key speed figures side by side with PyTorch and reports any
 * figure whose Vista/PyTorch ratio is more than 15% worse than the last one recorded on the same machine in
 * {@code bench/history/figures.jsonl}.
 * <p>
 * Owns the timed work of each case ({@link vista.bench.check.BenchCase}, {@link vista.bench.check.MiniTrainingStep},
 * {@link vista.bench.check.Conv3x3Pass}), the timer run in a fresh JVM per case ({@link vista.bench.check.StepTimer}),
 * the history and its regression rule, and the orchestration ({@link vista.bench.check.BenchCheck}).
 * May import the zoo, {@code nn}, {@code autograd}, {@code tensor} and its kernels (for the timed work),
 * {@code vista.nn.checkpoint.AtomicFiles} (the only writer of the history), Gson and picocli; never
 * {@code vista.bench} (the JMH benchmarks use this package's work, not the other way round).
 */
package vista.bench.check;
