package vista.learn.exercises;

import vista.tensor.geometry.Footprint;
import vista.tensor.kernels.SubtractionKernels;

/** The SAN-subtraction checks passing on Vista's own {@link SubtractionKernels}: the checks are right. */
class Chapter7SanSubtractionSolutionTest extends Chapter7SanSubtractionChecks {
    @Override
    SanSubtraction san() {
        return (x1, x2, kernelSize) -> SubtractionKernels.forward(x1, x2, Footprint.of(kernelSize));
    }
}
