/**
 * {@code vista runs}: finished or unfinished training runs side by side, one row each.
 *
 * <ul>
 *   <li>{@link vista.models.app.runs.RunResult}: what one run folder says about the whole run (model, size,
 *       epochs, last test accuracy as a count, training speed, threads per session);</li>
 *   <li>{@link vista.models.app.runs.RunTable}: the rows as aligned text, Markdown or JSON, with the exact
 *       95% interval of each accuracy.</li>
 * </ul>
 * <b>Rule.</b> It reads what runs wrote and never trains or evaluates; it builds each run's model only to
 * count its parameters and multiply-adds.
 */
package vista.models.app.runs;
