/**
 * SASA's local self-attention (Ramachandran et al. 2019, "Stand-Alone Self-Attention in Vision Models"):
 * for pixel (i, j) and head h, {@code y_ij = sum over (a, b) in N_k(i, j) of
 * softmax_ab(q_ijᵀ k_ab + q_ijᵀ r_{a-i, b-j}) v_ab}, with learned relative embeddings r split between
 * row and column offsets.
 * <ul>
 *   <li>{@link vista.nn.sasa.LocalSelfAttention2d}: the layer that replaces a spatial convolution (q, k, v
 *       projections as 1x1 convolutions, the fused attention of the autograd function
 *       {@code LocalSelfAttention}, optional 2x2 average pooling for stride 2), and its capture of the
 *       attention weights for pictures;</li>
 *   <li>{@link vista.nn.sasa.AttentionStem}: the attention stem of the "full attention" models: attention
 *       inside each {@code s x s} block of the image, with spatially aware values (a position-dependent
 *       mixture of value matrices).</li>
 * </ul>
 * <b>Rule.</b> Imports {@code vista.nn}, {@code vista.autograd} and its functions, {@code vista.tensor}
 * and its geometry; never kernels.
 */
package vista.nn.sasa;
