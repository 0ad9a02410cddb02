package vista.nn.inference;

import vista.autograd.Variable;
import vista.nn.Module;

/**
 * A residual block in inference form, {@code y = relu(last(body(x)) + shortcut(x))} (or without the ReLU),
 * where last is an {@link InferenceConv2d} (its norm, if any, folded in) and the add and the ReLU, if last
 * has one, run in last's epilogue:
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

    /** The block {@code last(body(x)) + shortcut(x)}, the ReLU if {@code last} has one; {@code shortcut} null: x. */
    public FoldedResidualBlock(Module body, InferenceConv2d last, Module shortcut) {
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
