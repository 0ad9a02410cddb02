/**
 * {@code vista compare}: two models (or one and a published figure) judged on the same test images.
 *
 * <ul>
 *   <li>{@link vista.models.app.compare.PredictionFile}: the per-image CSV that {@code vista eval
 *       --predictions} writes and this package reads;</li>
 *   <li>{@link vista.models.app.compare.ComparedRun}: one side, from a prediction file, a run folder or a
 *       checkpoint (evaluated on its run's test split);</li>
 *   <li>{@link vista.models.app.compare.Comparison}: the paired table and the tests, refusing two sides not
 *       on the same test images; {@link vista.models.app.compare.ComparisonReport}: it in words and as JSON.</li>
 * </ul>
 * <b>Rule.</b> The statistics are {@code app.stats}'s; this package only pairs the answers and words the
 * results. It imports {@code app.stats}, {@code app.train} (to evaluate checkpoints) and
 * {@code nn.checkpoint} (to write files atomically).
 */
package vista.models.app.compare;
