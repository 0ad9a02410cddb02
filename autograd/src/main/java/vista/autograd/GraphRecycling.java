package vista.autograd;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import vista.tensor.BufferPool;
import vista.tensor.Storage;
import vista.tensor.Tensor;

/**
 * The bookkeeping by which a backward pass run inside {@link BufferPool#use()} gives arrays back to the
 * pool: those of the graph's intermediate results, of the tensors its nodes saved as their own, and of
 * the gradients it passes between nodes, each as soon as nothing in the graph can read it again.
 *
 * <p>Every float array the pass knows of has a count of its holders: a variable of the graph not yet
 * processed (its data), a creator not yet released (each tensor it saved), and a gradient waiting in the
 * pass for its variable. Processing a variable (its creator's backward done) drops the variable and its
 * creator's saved tensors; consuming a gradient drops it. An array is given back when its count reaches
 * zero, if it is a <em>candidate</em> (the data of an intermediate result, a tensor a node saved as its
 * own with {@code Function.saveOwned}, or a gradient made during the pass) and not <em>kept</em>: the
 * root's data, the upstream gradient and the data of every leaf the graph reads (parameters, inputs,
 * constants, detached values) are never given back, so views sharing their arrays are safe. Other saved
 * tensors only keep arrays alive; they never make one a candidate, since a creator may also hand them
 * out (BatchNorm's batch statistics). {@link BufferPool#giveBack} itself refuses arrays the pool did not
 * lend.
 */
final class GraphRecycling {
    private final BufferPool pool;
    private final Map<float[], int[]> holders = new IdentityHashMap<>();
    private final Set<float[]> candidates = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<float[]> kept = Collections.newSetFromMap(new IdentityHashMap<>());

    /** Counts the holders of every array of the graph in {@code order}, before any node is released. */
    GraphRecycling(BufferPool pool, Variable root, Tensor rootGrad, List<Variable> order) {
        this.pool = pool;
        keep(root.data());
        keep(rootGrad);
        for (Variable v : order) {
            Function creator = v.gradFn();
            if (creator == null) {
                keep(v.data());
                continue;
            }
            hold(v.data());
            if (v != root) {
                candidate(v.data());
            }
            Tensor[] saved = creator.savedTensors();
            for (int i = 0; i < saved.length; i++) {
                hold(saved[i]);
                if (creator.isOwned(i)) {
                    candidate(saved[i]);
                }
            }
            for (Variable input : creator.inputs()) {
                if (input.isLeaf()) {
                    keep(input.data());
                }
            }
        }
    }

    /** A gradient enters the pass (returned by a backward, or summed from two). */
    void gradientPending(Tensor gradient) {
        hold(gradient);
        candidate(gradient);
    }

    /** A gradient has been consumed (by its creator's backward, a leaf's accumulation, or a sum). */
    void gradientConsumed(Tensor gradient) {
        drop(gradient);
    }

    /** Variable {@code v} is processed: its creator's backward ran and the creator is about to be released. */
    void processed(Variable v) {
        drop(v.data());
        for (Tensor saved : v.gradFn().savedTensors()) {
            drop(saved);
        }
    }

    private void keep(Tensor t) {
        float[] array = arrayOf(t);
        if (array != null) {
            kept.add(array);
        }
    }

    private void candidate(Tensor t) {
        float[] array = arrayOf(t);
        if (array != null) {
            candidates.add(array);
        }
    }

    private void hold(Tensor t) {
        float[] array = arrayOf(t);
        if (array != null) {
            holders.computeIfAbsent(array, a -> new int[1])[0]++;
        }
    }

    private void drop(Tensor t) {
        float[] array = arrayOf(t);
        if (array == null) {
            return;
        }
        int[] count = holders.get(array);
        if (--count[0] == 0) {
            holders.remove(array);
            if (candidates.contains(array) && !kept.contains(array)) {
                pool.giveBack(t.storage());
            }
        }
    }

    private static float[] arrayOf(Tensor t) {
        return t != null && t.storage() instanceof Storage.Floats floats ? floats.array() : null;
    }
}
