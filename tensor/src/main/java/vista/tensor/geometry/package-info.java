/**
 * Plain descriptions of where a sliding operation reads: {@link vista.tensor.geometry.ConvGeometry}
 * (convolution and pooling windows: kernel, stride, padding, dilation, groups and the output size),
 * {@link vista.tensor.geometry.Footprint} (SAN's neighbourhoods, with zero or reflection padding) and
 * {@link vista.tensor.geometry.LocalAttentionWindow} (SASA's attention window and heads).
 *
 * <p><b>Rule.</b> Shape arithmetic and argument checks only, no computation on values: layers, models and
 * summaries import these types to describe a layer without touching the kernel room. Imports only
 * {@code vista.tensor}.
 */
package vista.tensor.geometry;
