/**
 * Every computation on tensor values, family by family. A family {@code X} has up to three files:
 * <ul>
 *   <li>{@code XKernels}, the front: the formula in its javadoc, argument checks, and the choice between
 *       the two implementations ({@code float64} tensors and {@code -Dvista.kernels=reference} take the
 *       reference);</li>
 *   <li>{@code XReference}: plain scalar loops in double precision that read like the formula, the
 *       oracle of the tests and the version to learn from;</li>
 *   <li>{@code XFast}: the float32 kernel with the Vector API, register blocking and deterministic tiles;
 *       its javadoc says what it does differently and why.</li>
 * </ul>
 * Families: elementwise ({@link vista.tensor.kernels.ElementwiseKernels}, {@link vista.tensor.kernels.FastExp}),
 * reductions, softmax, GEMM and matmul, movement (copies, concat, pad), convolution (im2col + GEMM),
 * pooling, batch normalisation (alone or with its ReLU), a sum with its ReLU ({@code AddRelu}), SASA's
 * fused local self-attention, and SAN's aggregation, subtraction and neighbourhood (over
 * {@link vista.tensor.kernels.PaddedPlanes}).
 *
 * <p><b>Rule.</b> Imports {@code vista.tensor}, its geometry and runtime. Outside the {@code tensor}
 * module only the autograd functions ({@code vista.autograd.functions}) call kernels; layers and models
 * go through those functions, so every kernel has exactly one differentiable caller. No kernel whose bits
 * must be reproducible uses {@code reduceLanes} or a vector math-library operator
 * ({@link vista.tensor.kernels.LogicalLanes} fixes the summation order).
 */
package vista.tensor.kernels;
