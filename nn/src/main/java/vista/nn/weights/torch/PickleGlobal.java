package vista.nn.weights.torch;

/**
 * A global that a pickle names and {@link Unpickler}'s allowlist admits: only a name, never the class or
 * function itself. {@code REDUCE} on it is interpreted by the unpickler as the inert value it stands for.
 *
 * @param module its module, e.g. {@code torch._utils}
 * @param name   its name, e.g. {@code _rebuild_tensor_v2}
 */
public record PickleGlobal(String module, String name) {
    @Override
    public String toString() {
        return module + "." + name;
    }
}
