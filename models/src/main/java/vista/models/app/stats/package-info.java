/**
 * Statistics for judging accuracies, as an auditor needs them: how sure one test accuracy is, whether two
 * models differ on the same test images, and whether a published figure fits a run.
 *
 * <ul>
 *   <li>{@link vista.models.app.stats.Proportion}: a count of successes in trials, with its exact 95%
 *       interval ({@link vista.models.app.stats.Interval}, Clopper-Pearson) and the test of a claimed rate
 *       ({@link vista.models.app.stats.ClaimTest});</li>
 *   <li>{@link vista.models.app.stats.PairedProportions}: two classifiers' answers on the same images, with
 *       McNemar's exact test and Newcombe's interval for the difference of their accuracies;</li>
 *   <li>{@link vista.models.app.stats.ExactBinomial}: the exact binomial tail p-values both tests use.</li>
 * </ul>
 * <b>Rule.</b> Distributions and intervals come from Apache Commons Math ({@code org.apache.commons.math3});
 * nothing here writes its own distribution function. This package imports Commons Math only: it knows
 * counts, not models, so {@code app.train} and the commands use it and it uses neither.
 */
package vista.models.app.stats;
