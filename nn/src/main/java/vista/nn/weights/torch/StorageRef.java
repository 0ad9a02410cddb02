package vista.nn.weights.torch;

/**
 * A storage as a pickle's persistent id names it: {@code ('storage', storage class, key, location,
 * element count)}. The bytes themselves live outside the pickle (an archive entry, or a block after the
 * legacy pickles); the element count is a claim, checked against those bytes before any is read.
 *
 * @param key      the storage's key ({@code data/<key>} in a zip archive)
 * @param type     its element type
 * @param location where it was saved, e.g. {@code cpu} or {@code cuda:0} (everything is read to the CPU)
 * @param elements its element count as claimed
 */
public record StorageRef(String key, StorageType type, String location, long elements) {
    /** The bytes it claims ({@code elements} times the element size), or -1 if that overflows a long. */
    public long byteLength() {
        return elements > Long.MAX_VALUE / type.bytes() ? -1 : elements * type.bytes();
    }
}
