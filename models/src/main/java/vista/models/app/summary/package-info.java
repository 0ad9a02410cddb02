/**
 * What a model costs and how that compares with the papers, as {@code vista summary} and
 * {@code vista audit} print it.
 *
 * <ul>
 *   <li>{@link vista.models.app.summary.ModelSummary}: one forward pass of one image under a
 *       {@link vista.autograd.Ledger}, turned into rows of output shape, parameters and multiply-adds;
 *       {@link vista.models.app.summary.SummaryReport} prints it as text or JSON;</li>
 *   <li>{@link vista.models.app.summary.PaperFigures}: the figures SASA's Table 1 and SAN's release print;
 *       {@link vista.models.app.summary.PaperAudit} sets Vista's counts beside them
 *       ({@link vista.models.app.summary.FigureComparison}, one row a figure) and
 *       {@link vista.models.app.summary.PaperDifferences} says why each difference beyond rounding exists;
 *       {@link vista.models.app.summary.AuditReport} prints the audit.</li>
 * </ul>
 * The counting conventions are stated once, in {@link vista.autograd.Complexity}.
 */
package vista.models.app.summary;
