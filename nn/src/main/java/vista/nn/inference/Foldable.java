package vista.nn.inference;

import vista.nn.Module;

/**
 * A module that has an inference form: a module that computes what this one computes in evaluation mode,
 * with its BatchNorms folded into the convolutions before them and its ReLUs and residual adds in their
 * epilogues (see the package's rule). {@link Folding#fold} asks every module for it.
 */
public interface Foldable {
    /**
     * This module's inference form, for inputs under {@code Autograd.noGrad()}. It holds copies of the
     * folded weights (changing this module later does not change it) and may share the modules it keeps
     * unfolded, which the caller has put in evaluation mode.
     */
    Module folded();
}
