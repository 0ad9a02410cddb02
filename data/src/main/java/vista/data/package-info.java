/**
 * Data sets and how they reach a model.
 *
 * <ul>
 *   <li>{@link vista.data.Dataset}: labelled images in memory, kept as bytes.</li>
 *   <li>Readers: {@link vista.data.IdxDataset} (IDX files of MNIST-like data) and
 *       {@link vista.data.FashionMnist}, {@link vista.data.Cifar} (CIFAR-10/100 binary),
 *       {@link vista.data.ImageFolder} (one sub-folder per class, PNG/JPEG). Bad files are
 *       {@link vista.data.DataFileException}s naming the file, the byte offset and what was expected.</li>
 *   <li>Transforms, all seeded: {@link vista.data.RandomCrop}, {@link vista.data.RandomHorizontalFlip},
 *       {@link vista.data.Normalize}.</li>
 *   <li>{@link vista.data.DataLoader}: seeded per-epoch shuffling ({@link vista.data.Shuffle}), batching into
 *       float32 (B, C, H, W) tensors ({@link vista.data.Batch}), background prefetch.</li>
 * </ul>
 */
package vista.data;
