/**
 * The inference form of a trained network: what {@code vista eval} and {@code vista predict} run unless
 * told {@code --no-fold}. Every BatchNorm that follows a convolution is folded into it (for a convolution
 * w, b followed by BatchNorm γ, β, μ, σ², eps: {@code s = γ / sqrt(σ² + eps)}, {@code w' = w s[o]},
 * {@code b' = β + (b - μ) s}, in double, rounded once: {@link vista.nn.inference.BatchNormFolding}), and
 * the ReLU and residual add after it run in the convolution's epilogue,
 * {@code y = relu(conv(x, w') + b' + r)} ({@link vista.nn.inference.InferenceConv2d}). SASA's BatchNorm
 * after a masked-border attention layer folds into its value projection
 * ({@link vista.nn.inference.FoldedLocalSelfAttention}). A norm that follows no convolution runs with its
 * ReLU in one per-channel pass ({@link vista.nn.inference.InferenceNormRelu}).
 *
 * <p><b>Rule.</b> A folded network computes what the network it comes from computes in evaluation mode,
 * up to float rounding, and is for inference only: its layers run on raw tensors under
 * {@code Autograd.noGrad()} and record and save nothing for a backward pass. It copies the weights it
 * folds, so the original network stays as it was and can still be trained or saved. A module offers its
 * inference form by implementing {@link vista.nn.inference.Foldable}; {@link vista.nn.inference.Folding}
 * folds the generic containers and keeps every other module as it is, in evaluation mode.
 *
 * <p>Imports {@code vista.nn}, {@code vista.nn.sasa}, {@code vista.autograd} and its functions,
 * {@code vista.tensor} and its geometry; never kernels.
 */
package vista.nn.inference;
