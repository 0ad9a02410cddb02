/**
 * {@code vista plot}: the learning curves of training runs as one PNG.
 *
 * <ul>
 *   <li>{@link vista.models.app.plot.RunMetrics}: a run folder's {@code metrics.jsonl}, one row per epoch;</li>
 *   <li>{@link vista.models.app.plot.TrainingCurves}: the chart, drawn with JFreeChart: four panels over a
 *       shared epoch axis (training loss, test loss, training accuracy, test accuracy), one colour per run,
 *       written through {@code AtomicFiles}.</li>
 * </ul>
 * <b>Rule.</b> The plot reads what a run wrote and never trains or evaluates: it imports {@code app.train}
 * only for the run folder's file names, {@code nn.checkpoint} to write, and JFreeChart (headless AWT).
 */
package vista.models.app.plot;
