/**
 * Data sets and their loading: IDX, CIFAR and image-folder readers, seeded transforms, and a loader with
 * deterministic shuffling, batching and prefetch. Filled by the convolutional-network issue.
 */
package vista.data;
