package vista.models.app.parity;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import vista.autograd.Autograd;
import vista.autograd.Variable;
import vista.models.app.parity.CaseBuilders.Subject;
import vista.models.app.parity.ParityCase.LossType;
import vista.models.app.parity.ParityCase.Role;
import vista.models.app.parity.ParityCase.TensorEntry;
import vista.nn.Module;
import vista.tensor.Shape;
import vista.tensor.Tensor;

/**
 * Runs parity cases as FORMAT.md section 3 says, in float32 (Vista's training precision):
 * <ol>
 *   <li>build the op, block or model the case names ({@link CaseBuilders});</li>
 *   <li>load the case's {@code param} and {@code buffer} tensors by name: the module's own names and
 *       shapes must be exactly these, else the case fails naming the missing and extra ones;</li>
 *   <li>for a model's {@code eval_output}: eval mode on the loaded buffers, no graph;</li>
 *   <li>the mode of {@code train}, forward on the inputs, L = sum(output * loss_weight) or L = output,
 *       backward;</li>
 *   <li>compare the output(s), the gradient of every float input and parameter, and in train mode the
 *       updated running statistics ({@code <buffer>.after}) with their float64 references
 *       ({@link TensorComparison}).</li>
 * </ol>
 * Cases of {@code "op": "checkpoint"} load a PyTorch-written weight file instead ({@link CheckpointCase}).
 * Cases of ops Vista does not have yet are skipped ({@link CaseBuilders#notImplemented}). A problem with
 * a case (a file, an attribute, a name) or an exception from Vista makes that case fail with a message;
 * the other cases still run.
 */
public final class ParityRunner {
    private ParityRunner() {
    }

    /**
     * The case folders of {@code dir}: those listed in {@code dir/index.json} in its order, else every
     * sub-folder holding a {@code case.json}, by name; then, by name, the case folders of every sub-folder
     * that is a fixture set of its own (holds an {@code index.json}, as {@code checkpoints/} does).
     *
     * @throws ParityException if {@code dir} is not a directory, its index.json is malformed, or it holds no case
     */
    public static List<Path> caseFolders(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ParityException(dir + " is not a directory" + (Files.exists(dir) ? "" : " (it does not exist)")
                    + "; give the folder holding the fixtures' index.json or case folders");
        }
        Path index = dir.resolve("index.json");
        List<Path> folders = new ArrayList<>(Files.exists(index) ? indexedFolders(dir, index) : scannedFolders(dir));
        for (Path set : nestedSets(dir)) {
            folders.addAll(caseFolders(set));
        }
        if (folders.isEmpty()) {
            throw new ParityException(dir + " holds no parity case: " + (Files.exists(index)
                    ? index + " lists no case" : "no index.json and no sub-folder with a case.json"));
        }
        return folders;
    }

    private static List<Path> indexedFolders(Path dir, Path index) {
        JsonElement json;
        try {
            json = JsonParser.parseString(Files.readString(index));
        } catch (IOException e) {
            throw new ParityException(index + " could not be read: " + e.getMessage(), e);
        } catch (JsonParseException e) {
            throw new ParityException(index + " is not valid JSON: " + e.getMessage(), e);
        }
        if (!json.isJsonObject() || !json.getAsJsonObject().has("cases") || !json.getAsJsonObject().get("cases").isJsonArray()) {
            throw new ParityException(index + " must be an object with a list \"cases\" of {\"name\", \"op\", \"files\"}");
        }
        List<Path> folders = new ArrayList<>();
        for (JsonElement e : json.getAsJsonObject().getAsJsonArray("cases")) {
            JsonObject entry = e.isJsonObject() ? e.getAsJsonObject() : null;
            if (entry == null || !entry.has("name") || !entry.get("name").isJsonPrimitive()) {
                throw new ParityException(index + ": every entry of \"cases\" needs a \"name\", got " + e);
            }
            folders.add(dir.resolve(entry.get("name").getAsString()));
        }
        return folders;
    }

    private static List<Path> scannedFolders(Path dir) {
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(p -> Files.isRegularFile(p.resolve("case.json"))).sorted().toList();
        } catch (IOException e) {
            throw new ParityException(dir + " could not be listed: " + e.getMessage(), e);
        }
    }

    private static List<Path> nestedSets(Path dir) {
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(p -> Files.isRegularFile(p.resolve("index.json"))).sorted().toList();
        } catch (IOException e) {
            throw new ParityException(dir + " could not be listed: " + e.getMessage(), e);
        }
    }

    /** Runs every case of {@code dir} in order, handing each result to {@code onResult} as it is known. */
    public static List<CaseResult> runAll(Path dir, Consumer<CaseResult> onResult) {
        List<CaseResult> results = new ArrayList<>();
        for (Path folder : caseFolders(dir)) {
            CaseResult r = run(folder);
            onResult.accept(r);
            results.add(r);
        }
        return results;
    }

    /** Runs the case in {@code folder}; never throws for a problem of the case, which becomes a failure. */
    public static CaseResult run(Path folder) {
        String name = folder.getFileName().toString();
        ParityCase c;
        try {
            c = ParityCase.read(folder);
        } catch (ParityException e) {
            return CaseResult.failed(name, "?", e.getMessage());
        }
        try {
            Optional<String> notImplemented = CaseBuilders.notImplemented(c);
            if (notImplemented.isPresent()) {
                return CaseResult.skipped(name, c.op(), notImplemented.get());
            }
            if (c.op().equals(CheckpointCase.OP)) {
                return CheckpointCase.run(c);
            }
            if (c.lossType() == LossType.NONE) {
                throw new ParityException(c.caseFile() + ": loss_type \"none\" is for checkpoint cases only; "
                        + c.op() + " needs \"weighted_sum\" or \"output\"");
            }
            return CaseResult.compared(name, c.op(), execute(c));
        } catch (ParityException e) {
            return CaseResult.failed(name, c.op(), e.getMessage());
        } catch (RuntimeException e) {
            return CaseResult.failed(name, c.op(), c.caseFile() + ": Vista failed while running the case: " + e);
        }
    }

    private static List<TensorComparison> execute(ParityCase c) {
        Subject subject = CaseBuilders.build(c);
        Module module = subject.module();
        Map<String, Variable> parameters = module == null ? Map.of() : module.namedParameters();
        Map<String, Tensor> buffers = module == null ? Map.of() : module.namedBuffers();
        Map<String, Shape> parameterShapes = new LinkedHashMap<>();
        parameters.forEach((k, v) -> parameterShapes.put(k, v.shape()));
        Map<String, Shape> bufferShapes = new LinkedHashMap<>();
        buffers.forEach((k, v) -> bufferShapes.put(k, v.shape()));
        checkNames(c, "parameter", Role.PARAM, parameterShapes);
        checkNames(c, "buffer", Role.BUFFER, bufferShapes);
        for (TensorEntry e : c.tensors(Role.PARAM)) {
            parameters.get(e.name()).data().copyFrom(c.floats(e));
        }
        for (TensorEntry e : c.tensors(Role.BUFFER)) {
            buffers.get(e.name()).copyFrom(c.floats(e));
        }

        Map<String, Tensor> actual = new LinkedHashMap<>();
        List<TensorEntry> evalOutputs = c.tensors(Role.OUTPUT).stream().filter(TensorEntry::evalMode).toList();
        if (!evalOutputs.isEmpty()) {
            if (module == null) {
                throw new ParityException(c.caseFile() + ": " + c.op() + " has no eval mode, but the case has an eval-mode output");
            }
            module.eval();
            try (var scope = Autograd.noGrad()) {
                Tensor y = subject.forward().apply(new CaseInputs(c)).data();
                evalOutputs.forEach(e -> actual.put(e.name(), y));
            }
        }

        if (module != null) {
            module.train(c.train());
        }
        CaseInputs inputs = new CaseInputs(c);
        Variable output = subject.forward().apply(inputs);
        TensorEntry outputEntry = c.tensors(Role.OUTPUT).stream().filter(e -> !e.evalMode()).findFirst().orElseThrow();
        actual.put(outputEntry.name(), output.data());
        loss(c, outputEntry, output).backward();

        for (TensorEntry e : c.tensors(Role.GRAD)) {
            Variable of = inputs.differentiable().containsKey(e.of()) ? inputs.differentiable().get(e.of())
                    : parameters.get(e.of());
            if (of == null) {
                throw new ParityException(c.caseFile() + ": tensor '" + e.name() + "' is the gradient of '" + e.of()
                        + "', which is neither a float input nor a parameter");
            }
            // A value the loss does not reach has no gradient in the graph: its gradient is zero.
            actual.put(e.name(), of.grad() != null ? of.grad() : Tensor.zeros(of.dtype(), of.shape()));
        }
        for (TensorEntry e : c.tensors(Role.BUFFER_AFTER)) {
            Tensor buffer = buffers.get(e.of());
            if (buffer == null) {
                throw new ParityException(c.caseFile() + ": tensor '" + e.name() + "' is the update of '" + e.of()
                        + "', which is not a buffer of the case");
            }
            actual.put(e.name(), buffer);
        }
        checkCompleteness(c, inputs, parameters.keySet(), buffers.keySet());

        List<TensorComparison> comparisons = new ArrayList<>();
        for (TensorEntry e : c.tensors().values()) {
            if (e.role().compared()) {
                comparisons.add(TensorComparison.of(e.name(), actual.get(e.name()), e.shape(), c.expected(e), c.tolerance(e.name())));
            }
        }
        return comparisons;
    }

    /** L = sum(output * loss_weight), or the output itself when it is the loss. */
    private static Variable loss(ParityCase c, TensorEntry outputEntry, Variable output) {
        if (c.lossType() == LossType.OUTPUT) {
            if (output.numel() != 1) {
                throw new ParityException(c.caseFile() + ": loss_type \"output\" needs a scalar output, but Vista's "
                        + c.op() + " returned shape " + output.shape());
            }
            return output;
        }
        TensorEntry weightEntry = c.tensors(Role.LOSS_WEIGHT).get(0);
        Tensor weight = c.floats(weightEntry);
        if (!weight.shape().equals(output.shape())) {
            throw new ParityException(c.caseFile() + ": Vista's " + c.op() + " returned shape " + output.shape()
                    + ", but the case's '" + outputEntry.name() + "' has shape " + outputEntry.shape()
                    + " and '" + weightEntry.name() + "' " + weight.shape());
        }
        return output.mul(new Variable(weight)).sum();
    }

    /**
     * Fails unless the case's tensors of {@code role} are exactly the module's {@code kind}s, by name and
     * shape.
     */
    private static void checkNames(ParityCase c, String kind, Role role, Map<String, Shape> own) {
        Map<String, Shape> given = new LinkedHashMap<>();
        c.tensors(role).forEach(e -> given.put(e.name(), e.shape()));
        Set<String> missing = new TreeSet<>(own.keySet());
        missing.removeAll(given.keySet());
        Set<String> extra = new TreeSet<>(given.keySet());
        extra.removeAll(own.keySet());
        List<String> problems = new ArrayList<>();
        if (!missing.isEmpty()) {
            problems.add("Vista's " + c.op() + " has the " + kind + (missing.size() == 1 ? " " : "s ")
                    + String.join(", ", missing) + ", which the case does not give (missing)");
        }
        if (!extra.isEmpty()) {
            problems.add("the case gives the " + kind + (extra.size() == 1 ? " " : "s ") + String.join(", ", extra)
                    + ", which Vista's " + c.op() + " does not have (extra)");
        }
        for (Map.Entry<String, Shape> e : given.entrySet()) {
            Shape mine = own.get(e.getKey());
            if (mine != null && !mine.equals(e.getValue())) {
                problems.add(kind + " " + e.getKey() + " has shape " + mine + " in Vista but " + e.getValue() + " in the case");
            }
        }
        if (!problems.isEmpty()) {
            throw new ParityException(c.caseFile() + ": the " + kind + " names do not match: " + String.join("; ", problems));
        }
    }

    /** Fails if the case leaves out a gradient of a float input or parameter, or (train mode) a buffer update. */
    private static void checkCompleteness(ParityCase c, CaseInputs inputs, Set<String> parameters, Set<String> buffers) {
        Set<String> graded = new TreeSet<>();
        c.tensors(Role.GRAD).forEach(e -> graded.add(e.of()));
        Set<String> ungraded = new TreeSet<>(inputs.differentiable().keySet());
        ungraded.addAll(parameters);
        ungraded.removeAll(graded);
        if (!ungraded.isEmpty()) {
            throw new ParityException(c.caseFile() + ": the case gives no gradient (role \"grad\") of "
                    + String.join(", ", ungraded) + "; every float input and parameter must be checked");
        }
        if (c.train()) {
            Set<String> updated = new TreeSet<>();
            c.tensors(Role.BUFFER_AFTER).forEach(e -> updated.add(e.of()));
            Set<String> unchecked = new TreeSet<>(buffers);
            unchecked.removeAll(updated);
            if (!unchecked.isEmpty()) {
                throw new ParityException(c.caseFile() + ": the case runs in train mode but gives no updated value "
                        + "(role \"buffer_after\") of " + String.join(", ", unchecked));
            }
        }
    }
}
