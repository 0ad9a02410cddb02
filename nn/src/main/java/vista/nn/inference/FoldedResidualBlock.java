package vista.nn.inference;

import vista.autograd.Variable;
import vista.nn.Module;

/**
 * A residual block in inference form, {@code y = relu(last(body(x)) + shortcut(x))}, where last is an
 * {@link InferenceConv2d} with a ReLU (its norm folded in) and the add and the ReLU run in last's epilogue:
 * <pre>
 *   y = relu(conv(body(x), w') + b' + shortcut(x))
 * </pre>
 * The shortcut is x itself when {@code shortcut} is null (an identity shortcut), else that module (e.g. a
 * folded 1x1 convolution and its norm).
 */
public final class FoldedResidualBlock extends Module {
    private final Module body;
    private final InferenceConv2d last;
    private final Module shortcut;

    /**
     * @throws IllegalArgumentException if {@code last} has no ReLU: the block's ReLU is taken in its epilogue
     */
    public FoldedResidualBlock(Module body, InferenceConv2d last, Module shortcut) {
        if (!last.relu()) {
            throw new IllegalArgumentException("FoldedResidualBlock: " + last + " must end in the block's ReLU, which"
                    + " runs in its epilogue after the shortcut is added; build it with relu = true");
        }
        this.body = registerModule("body", body);
        this.last = registerModule("last", last);
        this.shortcut = shortcut == null ? null : registerModule("shortcut", shortcut);
    }

    @Override
    public Variable forward(Variable x) {
        Variable residual = shortcut == null ? x : shortcut.forward(x);
        return last.forward(body.forward(x), residual);
    }
}
