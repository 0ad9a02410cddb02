/**
 * How kernels run: {@link vista.tensor.runtime.Parallel} (the helper threads, sized by
 * {@code --threads}), {@link vista.tensor.runtime.Crew} (how a call shares its tiles with them),
 * {@link vista.tensor.runtime.Tiles} (work cut into tiles chosen from the problem's shape only, so the
 * thread count never changes a result), {@link vista.tensor.runtime.Vectors} (the vector species of
 * every fast kernel, {@code -Dvista.vector.bits}),
 * {@link vista.tensor.runtime.Kernels} (fast or reference kernels, {@code -Dvista.kernels}) and
 * {@link vista.tensor.runtime.Workspaces} (the kernels' scratch arrays, kept between calls).
 *
 * <p><b>Rule.</b> Imports nothing of Vista. Anyone may read these settings (run manifests record them);
 * only kernels use them to compute.
 */
package vista.tensor.runtime;
