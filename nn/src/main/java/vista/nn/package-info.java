/**
 * Neural-network building blocks on top of {@code vista.autograd}: {@code Module} with named parameters
 * and buffers, the layers (convolution, normalisation, pooling, the SASA and SAN attention layers),
 * losses, optimisers, learning-rate schedules and checkpoints. Filled by the convolutional-network issue.
 */
package vista.nn;
