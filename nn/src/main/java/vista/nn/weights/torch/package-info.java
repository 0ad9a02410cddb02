/**
 * Reading PyTorch weight files ({@code .pth}, {@code .pt}) in pure Java: the zip archive of torch 1.6
 * and later and the legacy pre-1.6 chain of pickles, through {@link vista.nn.weights.torch.TorchWeights}.
 *
 * <p>The rule of this package: a weight file is untrusted data. Its pickles are interpreted by
 * {@link vista.nn.weights.torch.Unpickler}, which builds inert values only (maps, lists, tuples,
 * strings, numbers, tensor descriptors) and understands an explicit allowlist of globals; nothing here
 * loads a class or calls a function by a name read from a file. Every length, size and stride is checked
 * against the bytes that back it before anything is read or allocated.
 */
package vista.nn.weights.torch;
