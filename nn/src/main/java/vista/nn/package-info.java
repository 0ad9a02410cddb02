/**
 * Neural-network building blocks on top of {@code vista.autograd}: {@link vista.nn.Module} with named
 * parameters and buffers, the layers, losses, optimisers, learning-rate schedules and checkpoints.
 */
package vista.nn;
