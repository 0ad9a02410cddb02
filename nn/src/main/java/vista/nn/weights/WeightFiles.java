package vista.nn.weights;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import vista.nn.Module;
import vista.nn.checkpoint.Checkpoint;
import vista.nn.weights.safetensors.Safetensors;
import vista.nn.weights.torch.TorchWeights;
import vista.nn.weights.torch.WeightFileException;
import vista.tensor.Tensor;

/**
 * Reads the state dict of a weight file whatever its format, recognised by content ({@link WeightFormat}),
 * and loads it into a model.
 *
 * <p>The state dict is: for PyTorch files, the one {@link TorchWeights#stateDict} finds (inside the
 * wrappers {@code state_dict}, {@code model}, {@code module}, without the {@code module.} prefix of
 * (Distributed)DataParallel); for safetensors, every tensor of the file (without a {@code module.} prefix
 * that every name carries); for a Vista checkpoint, its model's state. In all of them the entries named
 * {@code num_batches_tracked} (or ending in {@code .num_batches_tracked}) are removed: PyTorch's BatchNorm
 * counts its batches in them, Vista's BatchNorm2d keeps no such counter, and the count does not change
 * what a model computes in evaluation or with a fixed momentum.
 */
public final class WeightFiles {
    private static final String COUNTER = "num_batches_tracked";
    private static final String PARALLEL_PREFIX = "module.";

    private WeightFiles() {
    }

    /**
     * The state dict of {@code file}, in the file's order, without {@code num_batches_tracked} entries.
     *
     * @throws IOException naming the file if it is none of the formats, or is refused by its format's reader
     */
    public static LinkedHashMap<String, Tensor> stateDict(Path file) throws IOException {
        Map<String, Tensor> read = switch (WeightFormat.of(file)) {
            case TORCH_ZIP, TORCH_LEGACY -> TorchWeights.stateDict(file);
            case SAFETENSORS -> withoutParallelPrefix(Safetensors.read(file).tensors());
            case VISTA -> Checkpoint.read(file).model();
        };
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        read.forEach((name, t) -> {
            if (!name.equals(COUNTER) && !name.endsWith("." + COUNTER)) {
                out.put(name, t);
            }
        });
        if (out.isEmpty()) {
            throw new WeightFileException(file.toString(), "holds no weights (no tensors besides "
                    + COUNTER + " counters)");
        }
        return out;
    }

    /**
     * Loads the state dict of {@code file} into {@code model}, each tensor converted to the element type of
     * the model's tensor it replaces (PyTorch's float16 and float64 become float32 exactly or by rounding).
     *
     * @throws IOException naming the file if it cannot be read ({@link #stateDict}), or naming the file
     *     and, by name, the model's entries it lacks, the entries the model does not have and the entries
     *     of another shape (as {@link Module#loadStateDict} reports them); the model is then unchanged
     */
    public static void load(Module model, Path file) throws IOException {
        load(model, file.toString(), stateDict(file));
    }

    /**
     * Loads {@code state}, read from {@code source} (named in errors), into {@code model} as
     * {@link #load(Module, Path)} does.
     */
    public static void load(Module model, String source, Map<String, Tensor> state) throws IOException {
        Map<String, Tensor> own = model.stateDict();
        Map<String, Tensor> converted = new LinkedHashMap<>();
        state.forEach((name, t) -> {
            Tensor target = own.get(name);
            converted.put(name, target == null || target.dtype() == t.dtype() ? t : t.to(target.dtype()));
        });
        try {
            model.loadStateDict(converted);
        } catch (IllegalArgumentException e) {
            throw new WeightFileException(source, "its weights do not fit the model "
                    + model.getClass().getSimpleName() + ": " + e.getMessage().replaceFirst("^loadStateDict\\([^)]*\\): ", "")
                    + " Check --model and --classes against the model the file was saved from.");
        }
    }

    private static Map<String, Tensor> withoutParallelPrefix(Map<String, Tensor> tensors) {
        if (tensors.isEmpty() || !tensors.keySet().stream().allMatch(k -> k.startsWith(PARALLEL_PREFIX))) {
            return tensors;
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        tensors.forEach((k, t) -> out.put(k.substring(PARALLEL_PREFIX.length()), t));
        return out;
    }
}
