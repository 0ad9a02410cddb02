/**
 * Training checkpoints: the binary format, atomic writing and verified reading of
 * {@link vista.nn.checkpoint.Checkpoint}; {@link vista.nn.checkpoint.AtomicFiles}, through which every
 * file Vista writes is written (a new temporary file, never through a symbolic link, renamed into place).
 */
package vista.nn.checkpoint;
