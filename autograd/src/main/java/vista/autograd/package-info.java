/**
 * Reverse-mode automatic differentiation over {@code vista.tensor}, built as the program runs.
 *
 * <ul>
 *   <li>{@link vista.autograd.Variable}: a tensor with a gradient and the operation that produced it;
 *       its methods mirror {@link vista.tensor.Tensor}'s and record the graph.</li>
 *   <li>{@link vista.autograd.Function}: one operation, with {@code forward} on raw tensors and
 *       {@code backward} mapping dL/dy to dL/dx_i; the operations themselves live in
 *       {@code vista.autograd.functions}, one small class each, with their formulas in the javadoc.</li>
 *   <li>{@code Backward}: the reverse pass (iterative topological order, gradients summed once per
 *       node in a fixed order, saved tensors released afterwards); inside a
 *       {@link vista.tensor.BufferPool}, {@code GraphRecycling} gives the arrays no node needs any more
 *       back to the pool during the pass.</li>
 *   <li>{@link vista.autograd.Autograd#noGrad()}: a scope without recording.</li>
 *   <li>{@link vista.autograd.GradCheck}: analytic gradients against float64 finite differences.</li>
 *   <li>{@link vista.autograd.Ledger}: the one recording of costs and times, layer calls and operations,
 *       that model summaries and step profiles read; {@link vista.autograd.Complexity}: what a layer or
 *       an operation costs, and the counting conventions.</li>
 * </ul>
 */
package vista.autograd;
