/**
 * Weight files of any supported format behind one door: {@link vista.nn.weights.WeightFiles} recognises a
 * file by its first bytes, never by its name (a PyTorch zip archive, a legacy PyTorch pickle, safetensors,
 * a Vista checkpoint), hands it to the reader of that format ({@code vista.nn.weights.torch},
 * {@code vista.nn.weights.safetensors}, {@code vista.nn.checkpoint}) and loads the state dict into a model.
 *
 * <p>The rule of this package: it decides and delegates; it parses nothing itself beyond the few bytes that
 * name the format, and every refusal is an {@link java.io.IOException} whose message names the file.
 */
package vista.nn.weights;
