package vista.learn.exercises;

import vista.autograd.Function;
import vista.autograd.functions.Sigmoid;

/** The sigmoid exercise's checks passing on Vista's own {@link Sigmoid}: the checks are right. */
class Chapter2SigmoidSolutionTest extends Chapter2SigmoidChecks {
    @Override
    Function sigmoid() {
        return new Sigmoid();
    }
}
