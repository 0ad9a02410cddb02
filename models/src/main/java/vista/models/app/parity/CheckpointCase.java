package vista.models.app.parity;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import vista.autograd.Autograd;
import vista.autograd.Variable;
import vista.models.app.parity.ParityCase.Role;
import vista.models.app.parity.ParityCase.TensorEntry;
import vista.models.zoo.AttentionRecipe;
import vista.models.zoo.ModelZoo;
import vista.nn.Module;
import vista.nn.weights.safetensors.Safetensors;
import vista.nn.weights.safetensors.SafetensorsException;
import vista.nn.weights.torch.TorchWeights;
import vista.nn.weights.torch.WeightFileException;
import vista.tensor.DType;
import vista.tensor.Rng;
import vista.tensor.Tensor;

/**
 * Runs a case of {@code "op": "checkpoint"} (FORMAT.md section 5, the fixtures' checkpoints/README.md): a
 * weight file written by real PyTorch and what loading it must give.
 * <ul>
 *   <li>{@code attrs.expect} {@code load}: build the zoo model {@code attrs.model} with {@code attrs.classes}
 *       classes, read {@code attrs.file} as {@code attrs.format} says ({@code torch-zip} and
 *       {@code torch-legacy} with {@link TorchWeights}, {@code safetensors} with {@link Safetensors}), leave
 *       out PyTorch's {@code num_batches_tracked} (Vista's BatchNorm2d keeps no such count), load the rest
 *       by name, run {@code input} in eval mode and compare with {@code eval_output};</li>
 *   <li>{@code reject}: passes only when the reader refuses the file with its own error
 *       ({@link WeightFileException}, {@link SafetensorsException}) whose message names the file.</li>
 * </ul>
 * Every case, loaded or refused, also fails if the marker file that the set's {@code index.json} names
 * ({@code marker_never_created}, written by the hostile pickles if anything they name ran) exists.
 */
final class CheckpointCase {
    /** The op's name in case.json. */
    static final String OP = "checkpoint";

    private static final String BATCH_COUNT = ".num_batches_tracked";

    private CheckpointCase() {
    }

    /** The case's result; a problem with the case itself is a {@link ParityException}. */
    static CaseResult run(ParityCase c) {
        Attrs a = c.attrs();
        Path file = c.folder().resolve(a.string("file")).toAbsolutePath();
        String format = a.string("format");
        if (!List.of("torch-zip", "torch-legacy", "safetensors").contains(format)) {
            throw a.error("format", "is \"" + format + "\"; expected \"torch-zip\", \"torch-legacy\" or \"safetensors\"");
        }
        Path marker = marker(c);
        requireAbsent(c, marker, "before the case ran");
        String expect = a.string("expect");
        CaseResult result = switch (expect) {
            case "load" -> CaseResult.compared(c.name(), OP, List.of(load(c, a, file, format)));
            case "reject" -> reject(c, file, format);
            default -> throw a.error("expect", "is \"" + expect + "\"; expected \"load\" or \"reject\"");
        };
        requireAbsent(c, marker, "after Vista read " + file + ": something the file names was executed");
        return result;
    }

    private static TensorComparison load(ParityCase c, Attrs a, Path file, String format) {
        String modelName = a.string("model");
        String problem = ModelZoo.nameProblem(modelName);
        if (problem != null) {
            throw a.error("model", problem);
        }
        TensorEntry inputEntry = c.tensor("input");
        TensorEntry outputEntry = c.tensor("eval_output");
        if (inputEntry.role() != Role.INPUT || outputEntry.role() != Role.OUTPUT || !outputEntry.evalMode()) {
            throw new ParityException(c.caseFile() + ": a checkpoint case needs the tensors 'input' (role \"input\")"
                    + " and 'eval_output' (role \"output\", mode \"eval\")");
        }
        Tensor input = c.floats(inputEntry);
        // The peer's networks are the papers' formulas: SASA without a logit scale.
        Module model = ModelZoo.create(modelName, new ModelZoo.Request(input.shape().dim(1), a.integer("classes"),
                new Rng(0), AttentionRecipe.PAPER));
        Map<String, Tensor> state = new LinkedHashMap<>();
        try {
            read(file, format).forEach((name, t) -> {
                if (!name.endsWith(BATCH_COUNT)) {
                    state.put(name, t.dtype() == DType.FLOAT32 ? t : t.to(DType.FLOAT32));
                }
            });
        } catch (IOException e) {
            throw new ParityException(c.caseFile() + ": Vista refused the weight file, which it must load: " + e.getMessage(), e);
        }
        try {
            model.loadStateDict(state);
        } catch (IllegalArgumentException e) {
            throw new ParityException(file + " does not fit Vista's " + modelName + ": " + e.getMessage(), e);
        }
        model.eval();
        Tensor logits;
        try (var scope = Autograd.noGrad()) {
            logits = model.forward(new Variable(input)).data();
        }
        return TensorComparison.of(outputEntry.name(), logits, outputEntry.shape(), c.expected(outputEntry),
                c.tolerance(outputEntry.name()));
    }

    private static CaseResult reject(ParityCase c, Path file, String format) {
        Map<String, Tensor> loaded;
        try {
            loaded = read(file, format);
        } catch (WeightFileException | SafetensorsException e) {
            String message = e.getMessage();
            if (message == null || !message.contains(file.toString())) {
                return CaseResult.failed(c.name(), OP, c.caseFile() + ": Vista refused " + file
                        + ", but its message does not name the file: " + message);
            }
            return CaseResult.refused(c.name(), OP, message);
        } catch (IOException | RuntimeException e) {
            return CaseResult.failed(c.name(), OP, c.caseFile() + ": Vista's reader failed on " + file
                    + " with " + e + " instead of refusing it with its own error");
        }
        return CaseResult.failed(c.name(), OP, c.caseFile() + ": Vista read " + loaded.size() + " tensors from " + file
                + ", which it must refuse (" + c.attrs().string("reason") + ")");
    }

    private static Map<String, Tensor> read(Path file, String format) throws IOException {
        return format.equals("safetensors") ? Safetensors.read(file).tensors() : TorchWeights.stateDict(file);
    }

    /** The {@code marker_never_created} of the set's index.json (the case folder's parent), or null. */
    private static Path marker(ParityCase c) {
        Path index = c.folder().toAbsolutePath().getParent().resolve("index.json");
        if (!Files.isRegularFile(index)) {
            return null;
        }
        try {
            JsonElement json = JsonParser.parseString(Files.readString(index));
            JsonObject root = json.isJsonObject() ? json.getAsJsonObject() : new JsonObject();
            JsonElement marker = root.get("marker_never_created");
            return marker != null && marker.isJsonPrimitive() ? Path.of(marker.getAsString()) : null;
        } catch (IOException | JsonParseException e) {
            throw new ParityException(index + " could not be read for its marker_never_created: " + e.getMessage(), e);
        }
    }

    private static void requireAbsent(ParityCase c, Path marker, String when) {
        if (marker != null && Files.exists(marker)) {
            throw new ParityException(c.caseFile() + ": the marker " + marker + " exists " + when
                    + " (delete it if an earlier run left it)");
        }
    }
}
