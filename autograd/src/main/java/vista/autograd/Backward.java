package vista.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import vista.tensor.BufferPool;
import vista.tensor.Tensor;

/**
 * The reverse pass: from a root with gradient {@code dL/droot}, push gradients to every variable that
 * requires one.
 *
 * <ol>
 *   <li>Order the graph topologically (every variable after its parents) by a depth-first search with
 *       an explicit stack, so that a chain of any length fits in the Java call stack.</li>
 *   <li>Walk that order backwards. A variable is reached only after all its consumers, so the
 *       gradients they sent it are complete. They are summed as they arrive, {@code ((g_0 + g_1) + g_2)}
 *       in the order fixed by the ordered parent lists, so that at most one partial sum per variable is
 *       held; the sum goes to the creator's {@code backward}, whose results go to its inputs, or, for
 *       a leaf, is added to {@code leaf.grad}.</li>
 * </ol>
 * Non-leaf variables keep no gradient unless {@link Variable#retainGrad()} asked for it. Unless
 * {@code retainGraph} is set, every creator on the way releases its saved tensors and input edges
 * right after its backward. A graph that reaches a released creator is refused before any gradient is
 * touched.
 *
 * <p>Inside {@link BufferPool#use()}, a pass without {@code retainGraph} also gives the arrays of the
 * intermediate results and of the gradients between nodes back to the pool as soon as no node needs
 * them ({@link GraphRecycling}).
 */
final class Backward {
    private Backward() {
    }

    static void run(Variable root, Tensor rootGrad, boolean retainGraph) {
        List<Variable> order = topologicalOrder(root);
        for (Variable v : order) {
            if (v.gradFn() != null && v.gradFn().isReleased()) {
                throw new IllegalStateException("backward: the graph through " + v.gradFn().name()
                        + " (result shape " + v.shape() + ") was already freed by an earlier backward call, "
                        + "which releases the tensors saved for backward; to backpropagate through the same "
                        + "graph twice, pass retainGraph = true to the first call (backward(true) or "
                        + "backward(grad, true)), or rebuild the graph by running the forward pass again");
            }
        }
        BufferPool pool = retainGraph ? null : BufferPool.current();
        GraphRecycling recycling = pool == null ? null : new GraphRecycling(pool, root, rootGrad, order);
        Map<Variable, Tensor> received = new IdentityHashMap<>();
        received.put(root, rootGrad);
        if (recycling != null) {
            recycling.gradientPending(rootGrad);
        }
        for (int n = order.size() - 1; n >= 0; n--) {
            Variable v = order.get(n);
            Tensor grad = received.remove(v);
            Function creator = v.gradFn();
            if (creator == null || v.retainsGrad()) {
                v.accumulateGrad(grad);
            }
            if (creator != null) {
                Tensor[] inputGrads = creator.gradients(grad);
                List<Variable> inputs = creator.inputs();
                for (int i = 0; i < inputs.size(); i++) {
                    if (creator.needsInputGrad(i)) {
                        receive(received, inputs.get(i), inputGrads[i], recycling);
                    }
                }
                if (recycling != null) {
                    recycling.processed(v);
                }
                if (!retainGraph) {
                    creator.release();
                }
            }
            if (recycling != null) {
                recycling.gradientConsumed(grad);
            }
        }
    }

    /** Adds {@code gradient} to what {@code input} has received so far ({@code previous + gradient}). */
    private static void receive(Map<Variable, Tensor> received, Variable input, Tensor gradient,
            GraphRecycling recycling) {
        Tensor previous = received.get(input);
        Tensor sum = previous == null ? gradient : previous.add(gradient);
        received.put(input, sum);
        if (recycling != null) {
            recycling.gradientPending(gradient);
            if (previous != null) {
                recycling.gradientPending(sum);
                recycling.gradientConsumed(previous);
                recycling.gradientConsumed(gradient);
            }
        }
    }

    /** Every variable that requires grad and leads to {@code root}, parents before children. */
    private static List<Variable> topologicalOrder(Variable root) {
        List<Variable> order = new ArrayList<>();
        Set<Variable> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Variable> path = new ArrayDeque<>();
        Deque<Iterator<Variable>> parentsLeft = new ArrayDeque<>();
        visited.add(root);
        path.push(root);
        parentsLeft.push(parentsNeedingGrad(root).iterator());
        while (!path.isEmpty()) {
            Iterator<Variable> parents = parentsLeft.peek();
            if (parents.hasNext()) {
                Variable parent = parents.next();
                if (visited.add(parent)) {
                    path.push(parent);
                    parentsLeft.push(parentsNeedingGrad(parent).iterator());
                }
            } else {
                order.add(path.pop());
                parentsLeft.pop();
            }
        }
        return order;
    }

    private static List<Variable> parentsNeedingGrad(Variable v) {
        Function creator = v.gradFn();
        if (creator == null) {
            return List.of();
        }
        List<Variable> parents = new ArrayList<>();
        for (int i = 0; i < creator.inputs().size(); i++) {
            if (creator.needsInputGrad(i)) {
                parents.add(creator.inputs().get(i));
            }
        }
        return parents;
    }
}
