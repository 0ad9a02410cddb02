package vista.autograd;

import vista.tensor.Shape;

/**
 * Something that can say what one forward pass costs, from the shapes of its input and output: a layer
 * (a convolution layer, an attention layer) or an operation (a {@link Function} such as the convolution).
 * A {@link Ledger} asks for it: model summaries ({@code vista summary}, {@code vista audit}) add up the
 * costs of the layer calls it recorded, step profiles set the multiply-adds of its operations beside
 * their time. So a new layer or operation reports its own cost by implementing this interface; nothing
 * in the counters changes. For an operation, {@code input} is the shape of its first input, and the cost
 * is asked for after its forward pass.
 *
 * <p><b>The conventions.</b> Two counts are kept apart:
 * <ul>
 *   <li>{@link Cost#macs() MACs}, multiply-adds (one multiplication and one addition, a fused
 *       multiply-add) of the products: those of convolutions and linear layers, and an attention
 *       layer's projections, logits (q·k and the positional q·r) and weighted sums of values. FLOPs are
 *       defined as {@code 2 x MACs}. The MAC count is the one ptflops prints as "GMac" and torchvision's
 *       model tables and fvcore print as "GFLOPS": 4.09 G for ResNet-50 at 224 x 224 (so 8.18 GFLOPs
 *       here).</li>
 *   <li>{@link Cost#otherOps() other ops}: everything else, counted per element: bias additions,
 *       normalisation, activations, pooling, softmax. They are reported beside the MACs, never added
 *       to them or to the FLOPs.</li>
 * </ul>
 * Each implementation states in its {@link #cost} javadoc exactly what it counts. A layer that applies
 * one operation reports that operation's formula rather than writing it again: the {@code Conv2d} layer
 * and the {@link vista.autograd.functions.Convolution} operation both report
 * {@code Convolution.cost(geometry, bias, output)}, SAN's {@code Aggregation2d} layer and the
 * {@link vista.autograd.functions.Aggregation} operation both {@code Aggregation.cost(footprint, output)}.
 */
public interface Complexity {

    /**
     * The cost of one forward pass that turned an input of shape {@code input} into an output of
     * shape {@code output}, for the whole batch (the batch size is the first axis of both shapes).
     */
    Cost cost(Shape input, Shape output);

    /**
     * The same call's cost counted as the paper that introduced the layer counts it, where that differs
     * from {@link #cost}; by default it does not. SASA's attention layers ({@code vista.nn.sasa}) are the
     * case: the paper's Table 1 counts their positional logits as a full product per neighbour.
     */
    default Cost paperCost(Shape input, Shape output) {
        return cost(input, output);
    }

    /**
     * What one forward pass costs.
     *
     * @param macs     multiply-adds of the products (convolution, linear, attention logits and sums)
     * @param otherOps other elementwise operations: bias adds, normalisation, activations, pooling
     */
    record Cost(long macs, long otherOps) {
        /** No cost at all (reshapes, identities). */
        public static final Cost NONE = new Cost(0, 0);

        public Cost {
            if (macs < 0 || otherOps < 0) {
                throw new IllegalArgumentException("Cost: counts must not be negative, got " + macs + " MACs and "
                        + otherOps + " other ops");
            }
        }

        /** Only other ops, no multiply-adds. */
        public static Cost otherOps(long count) {
            return new Cost(0, count);
        }
    }
}
