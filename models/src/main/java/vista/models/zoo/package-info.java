/**
 * The model zoo: {@link vista.models.zoo.ModelZoo} names every network Vista builds ({@code resnet26},
 * {@code sasa-resnet26-mini}, {@code san10-pairwise}, ...) and builds it for an input size and a number of
 * classes. The networks themselves are plain code in {@code zoo.resnet} and {@code zoo.san}.
 *
 * <p><b>Rule.</b> Networks only: imports {@code nn} (with its {@code sasa} and {@code san} layers),
 * {@code autograd} and {@code vista.tensor.geometry}; never the application ({@code vista.models.app}) and
 * never kernels.
 */
package vista.models.zoo;
