/**
 * Tensors: {@link vista.tensor.Shape}, {@link vista.tensor.Storage} (float32 or float64 values) and
 * {@link vista.tensor.Tensor}, a view of a storage through a shape, strides and an offset, with creation,
 * views ({@code reshape}, {@code permute}, {@code slice}, {@code expand}), the portable seeded
 * generator {@link vista.tensor.Rng}, and {@link vista.tensor.BufferPool}, from which new float32 storage
 * is lent while a training step runs inside it (see its ownership rule).
 *
 * <p><b>Rule.</b> Owns values and views, knows nothing of gradients, layers or files. The only package it
 * imports is {@code vista.tensor.kernels}: the math methods of {@code Tensor} ({@code add}, {@code sum},
 * {@code softmax}, ...) are a fluent face over the kernel fronts, which in turn take tensors. That pair is
 * one of the two deliberate package cycles of the project (the other is {@code vista.autograd} with its
 * functions), both for the same reason: {@code a.add(b)} reads like the formula.
 */
package vista.tensor;
