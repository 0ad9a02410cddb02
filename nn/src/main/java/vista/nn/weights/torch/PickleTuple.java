package vista.nn.weights.torch;

import java.util.Collections;
import java.util.List;

/**
 * A Python tuple read from a pickle: an immutable list of inert values (which may hold nulls, Python's
 * {@code None}), kept apart from lists so that a tuple can never be the target of an append.
 *
 * @param items the elements, unmodifiable
 */
public record PickleTuple(List<Object> items) {
    /** A tuple of {@code items} (the list is wrapped, not copied: the unpickler hands over a fresh list). */
    public PickleTuple {
        items = Collections.unmodifiableList(items);
    }

    /** Element {@code i}. */
    public Object get(int i) {
        return items.get(i);
    }

    /** The number of elements. */
    public int size() {
        return items.size();
    }
}
