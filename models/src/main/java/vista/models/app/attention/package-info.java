/**
 * Looking at what a trained model's attention does, as {@code vista attention} shows it.
 *
 * <ul>
 *   <li>{@link vista.models.app.attention.AttentionModel}: the model, from a checkpoint or from released
 *       weights of a zoo model, with its test images and their normalisation;</li>
 *   <li>{@link vista.models.app.attention.PixelAttention}: runs a SASA model on one image with a capture of one
 *       layer's weights ({@link vista.nn.sasa.LocalSelfAttention2d#captureWeights()}) and maps an image pixel
 *       to the feature cell it lies in, and each neighbour cell to the image pixels it covers;</li>
 *   <li>{@link vista.models.app.attention.SanPixelWeights}: the same for a SAN block
 *       ({@link vista.nn.san.SanSelfAttention2d#captureWeights()}): pairwise softmax weights per
 *       weight-channel group, patchwise weight vectors by their norm or one channel;</li>
 *   <li>{@link vista.models.app.attention.WindowWeights}: what both give the picture, panels of values over
 *       one cell's window; {@link vista.models.app.attention.AttentionPicture}: the PNG, one panel per head
 *       or group, with the {@code Inferno} heat colours and a legend of the window and the chosen pixel;</li>
 *   <li>{@link vista.models.app.attention.AttentionMap}: the command's work, from model to picture and
 *       printout.</li>
 * </ul>
 */
package vista.models.app.attention;
