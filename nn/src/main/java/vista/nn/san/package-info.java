/**
 * SAN's self-attention (Zhao, Jia and Koltun 2020, "Exploring Self-attention for Image Recognition"):
 * for pixel i with footprint R(i), {@code y_i = sum over j in R(i) of α_j ⊙ β(x_j)} with
 * {@code α = γ(δ)}, δ relating φ(x) and ψ(x) over the footprint.
 * <ul>
 *   <li>The blocks: {@link vista.nn.san.SanSelfAttention2d} (what both share: φ, ψ, β, γ, the
 *       aggregation, and which way γ runs), {@link vista.nn.san.PairwiseSelfAttention2d} (eq. 2),
 *       {@link vista.nn.san.PatchwiseSelfAttention2d} (eq. 4); their sizes,
 *       {@link vista.nn.san.SanAttentionShape}; their 1x1 layers and γ, {@link vista.nn.san.SanLayers}.</li>
 *   <li>The parameter-free layers: {@link vista.nn.san.Subtraction2d}, {@link vista.nn.san.Neighbourhood2d}
 *       and {@link vista.nn.san.Aggregation2d}.</li>
 *   <li>γ without the relation tensor: {@link vista.nn.san.SanWeightMapping}, which reads δ a few samples
 *       at a time from a {@link vista.nn.san.ChunkedRelation} ({@link vista.nn.san.SubtractionRelation},
 *       {@link vista.nn.san.ConcatenationRelation}) and runs its BatchNorms over the chunks
 *       ({@link vista.nn.san.ChannelMoments}, {@link vista.nn.san.GradientSums},
 *       {@link vista.nn.san.ChunkedBatchNorm}).</li>
 * </ul>
 * <b>Rule.</b> Everything SAN-specific above the kernels lives here, so a change to a SAN block is made in
 * this package. It imports {@code vista.nn} (layers, {@code Module}), {@code vista.autograd} and its
 * functions, {@code vista.tensor} and its geometry; the arithmetic is that of autograd functions
 * ({@code Subtraction2}, {@code Neighbourhood}, {@code Aggregation}, {@code BatchNorm}, {@code Relu}), which
 * alone call the kernels.
 */
package vista.nn.san;
