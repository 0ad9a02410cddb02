/** JMH benchmarks of Vista's kernels and layers; the figures are reported in {@code bench/RESULTS.md}. */
package vista.bench;
