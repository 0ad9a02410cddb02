/**
 * Training checkpoints: the binary format, atomic writing and verified reading of
 * {@link vista.nn.checkpoint.Checkpoint}.
 */
package vista.nn.checkpoint;
