/**
 * PyTorch parity: runs the fixtures' cases (an op, a block or a whole network with its parameters,
 * inputs and float64 results from PyTorch; format in the fixtures' FORMAT.md) through Vista and
 * compares outputs, gradients and updated BatchNorm statistics element by element.
 *
 * <ul>
 *   <li>{@link vista.models.app.parity.ParityCase}: one case folder, case.json and the tensor files;</li>
 *   <li>{@link vista.models.app.parity.CaseBuilders}: the op, block or model a case names, built from Vista's layers;</li>
 *   <li>{@link vista.models.app.parity.ParityRunner}: load by name, forward, loss, backward, compare;</li>
 *   <li>{@link vista.models.app.parity.TensorComparison}: the tolerance rule {@code |a - e| <= atol + rtol |e|}.</li>
 * </ul>
 * {@code vista parity DIR} prints the results; {@code ParityTest} asserts them on the copy of the
 * fixtures in the test resources.
 */
package vista.models.app.parity;
