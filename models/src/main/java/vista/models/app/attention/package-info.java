/**
 * Looking at what a trained model's local self-attention does, as {@code vista attention} shows it.
 *
 * <ul>
 *   <li>{@link vista.models.app.attention.PixelAttention}: runs a model on one image with a capture of one
 *       layer's weights ({@link vista.nn.sasa.LocalSelfAttention2d#captureWeights()}) and maps an image pixel
 *       to the feature cell it lies in, and each neighbour cell to the image pixels it covers;</li>
 *   <li>{@link vista.models.app.attention.AttentionPicture}: the PNG, one panel per head, with the
 *       {@code Inferno} heat colours;</li>
 *   <li>{@link vista.models.app.attention.AttentionMap}: the command's work, from checkpoint to picture and
 *       printout.</li>
 * </ul>
 */
package vista.models.app.attention;
