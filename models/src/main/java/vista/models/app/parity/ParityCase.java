package vista.models.app.parity;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import vista.tensor.Shape;
import vista.tensor.Tensor;

/**
 * One parity case as its folder holds it: {@code case.json} (what to build, the mode, the loss, one entry
 * per tensor, the tolerances) and the tensor files, read on demand. The format is the fixtures'
 * FORMAT.md; every error is a sentence naming the file, and for a tensor file the size expected.
 *
 * <ul>
 *   <li>{@code <tensor>.bin}: little-endian float32 (int32 for class targets), row-major, no header;</li>
 *   <li>{@code <tensor>.f64.bin}: the float64 truth of a compared tensor, same layout.</li>
 * </ul>
 */
public final class ParityCase {
    /** The only case.json format version this reader knows. */
    public static final int FORMAT_VERSION = 1;

    /** What a tensor is to the case (the {@code role} field). */
    public enum Role {
        /** An input of the op, in the order of {@code inputs}; float inputs are differentiated. */
        INPUT,
        /** A learnable parameter, by its PyTorch state-dict name. */
        PARAM,
        /** A BatchNorm running statistic before the forward pass. */
        BUFFER,
        /** R in L = sum(output * R). */
        LOSS_WEIGHT,
        /** The op's result ({@code output}), or a model's eval-mode result ({@code eval_output}). */
        OUTPUT,
        /** {@code grad.<name>} = dL/d(name). */
        GRAD,
        /** {@code <buffer>.after}: a running statistic after the train-mode forward pass. */
        BUFFER_AFTER;

        /** True for the roles compared against a {@code .f64.bin} reference. */
        public boolean compared() {
            return this == OUTPUT || this == GRAD || this == BUFFER_AFTER;
        }
    }

    /** How the scalar L that is differentiated is made from the output. */
    public enum LossType {
        /** L = sum over all elements of output * loss_weight. */
        WEIGHTED_SUM,
        /** The op returns a scalar, and L is that scalar. */
        OUTPUT,
        /** Forward only: no loss and no gradients (the {@code checkpoint} cases, which compare {@code eval_output}). */
        NONE
    }

    /**
     * One entry of {@code tensors}.
     *
     * @param f64File  the float64 reference of a compared tensor, else null
     * @param of       for a gradient the tensor it differentiates, for {@code buffer_after} the buffer; else null
     * @param evalMode true for a model's {@code eval_output} (computed in eval mode on the loaded buffers)
     */
    public record TensorEntry(String name, String file, boolean int32, Shape shape, Role role, String f64File,
                              String of, boolean evalMode) {
    }

    /** An element passes when {@code |actual - expected| <= atol + rtol |expected|}. */
    public record Tolerance(double rtol, double atol) {
        /** The largest difference allowed at {@code expected}. */
        public double allowed(double expected) {
            return atol + rtol * Math.abs(expected);
        }
    }

    private final Path folder;
    private final Path caseFile;
    private final String name;
    private final String op;
    private final Attrs attrs;
    private final boolean train;
    private final LossType lossType;
    private final List<String> inputs;
    private final Map<String, TensorEntry> tensors;
    private final Map<String, Tolerance> tolerances;

    private ParityCase(Path folder, JsonObject json) {
        this.folder = folder;
        this.caseFile = folder.resolve("case.json");
        int version = integer(json, "format_version");
        if (version != FORMAT_VERSION) {
            throw new ParityException(caseFile + ": format_version is " + version + ", but this runner reads version "
                    + FORMAT_VERSION);
        }
        this.name = folder.getFileName().toString();
        this.op = string(json, "op");
        this.attrs = new Attrs(caseFile, "attrs", object(json, "attrs"));
        this.train = bool(json, "train");
        String loss = string(json, "loss_type");
        this.lossType = switch (loss) {
            case "weighted_sum" -> LossType.WEIGHTED_SUM;
            case "output" -> LossType.OUTPUT;
            case "none" -> LossType.NONE;
            default -> throw new ParityException(caseFile + ": loss_type is \"" + loss
                    + "\"; expected \"weighted_sum\", \"output\" or \"none\"");
        };
        List<String> inputNames = new ArrayList<>();
        for (JsonElement e : array(json, "inputs")) {
            inputNames.add(e.getAsString());
        }
        this.inputs = Collections.unmodifiableList(inputNames);
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        for (JsonElement e : array(json, "tensors")) {
            TensorEntry entry = entry(e);
            if (entries.put(entry.name(), entry) != null) {
                throw new ParityException(caseFile + ": tensor '" + entry.name() + "' is listed twice");
            }
        }
        this.tensors = Collections.unmodifiableMap(entries);
        Map<String, Tolerance> tol = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : object(json, "tolerance").entrySet()) {
            if (!e.getValue().isJsonObject()) {
                throw new ParityException(caseFile + ": tolerance." + e.getKey() + " must be {\"rtol\": r, \"atol\": a}");
            }
            JsonObject t = e.getValue().getAsJsonObject();
            tol.put(e.getKey(), new Tolerance(number(t, "rtol", "tolerance." + e.getKey()),
                    number(t, "atol", "tolerance." + e.getKey())));
        }
        this.tolerances = Collections.unmodifiableMap(tol);
        checkConsistency();
    }

    /**
     * Reads {@code folder/case.json}.
     *
     * @throws ParityException naming the file if it is missing, not JSON, or lacks a field
     */
    public static ParityCase read(Path folder) {
        Path file = folder.resolve("case.json");
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ParityException(file + " does not exist");
        } catch (IOException e) {
            throw new ParityException(file + " could not be read: " + e.getMessage(), e);
        }
        JsonElement json;
        try {
            json = JsonParser.parseString(text);
        } catch (JsonParseException e) {
            throw new ParityException(file + " is not valid JSON: " + e.getMessage(), e);
        }
        if (!json.isJsonObject()) {
            throw new ParityException(file + " must hold a JSON object, got " + json);
        }
        try {
            return new ParityCase(folder, json.getAsJsonObject());
        } catch (ParityException e) {
            throw e;
        } catch (RuntimeException e) {
            // Gson's conversions (getAsInt on a string, ...) and Shape.of (a negative size) end up here.
            throw new ParityException(file + " does not follow the case format: " + e, e);
        }
    }

    private void checkConsistency() {
        for (String input : inputs) {
            TensorEntry e = tensors.get(input);
            if (e == null || e.role() != Role.INPUT) {
                throw new ParityException(caseFile + ": input '" + input + "' has no tensor entry with role \"input\"");
            }
        }
        for (TensorEntry e : tensors.values()) {
            if (e.role() == Role.INPUT && !inputs.contains(e.name())) {
                throw new ParityException(caseFile + ": tensor '" + e.name() + "' has role \"input\" but is not listed in inputs");
            }
            if (e.role().compared() && !tolerances.containsKey(e.name())) {
                throw new ParityException(caseFile + ": tensor '" + e.name() + "' is compared (role \""
                        + e.role().name().toLowerCase(Locale.ROOT) + "\") but has no entry in tolerance");
            }
        }
        for (String t : tolerances.keySet()) {
            TensorEntry e = tensors.get(t);
            if (e == null || !e.role().compared()) {
                throw new ParityException(caseFile + ": tolerance names '" + t
                        + "', which is not an output, gradient or updated buffer of the case");
            }
        }
        if (lossType == LossType.WEIGHTED_SUM && tensors(Role.LOSS_WEIGHT).size() != 1) {
            throw new ParityException(caseFile + ": loss_type \"weighted_sum\" needs exactly one tensor with role "
                    + "\"loss_weight\", found " + tensors(Role.LOSS_WEIGHT).size());
        }
        long trainOutputs = tensors(Role.OUTPUT).stream().filter(e -> !e.evalMode()).count();
        if (lossType == LossType.NONE) {
            if (train || trainOutputs != 0 || !tensors(Role.GRAD).isEmpty()) {
                throw new ParityException(caseFile + ": loss_type \"none\" runs forward only in eval mode: it needs"
                        + " \"train\": false and no train-mode output or gradient");
            }
        } else if (trainOutputs != 1) {
            throw new ParityException(caseFile + ": expected exactly one tensor with role \"output\" (besides an "
                    + "eval-mode one), found " + trainOutputs);
        }
    }

    // ---------------------------------------------------------------- the case

    /** The case's name: its folder's name (which FORMAT.md makes equal to case.json's {@code name}). */
    public String name() {
        return name;
    }

    /** The folder holding case.json and the tensor files. */
    public Path folder() {
        return folder;
    }

    /** The case.json file, for messages. */
    public Path caseFile() {
        return caseFile;
    }

    /** The op to build: one word of FORMAT.md's vocabulary ({@code conv2d}, ..., {@code model}). */
    public String op() {
        return op;
    }

    public Attrs attrs() {
        return attrs;
    }

    /** True: BatchNorm uses batch statistics and updates its running statistics; false: eval mode. */
    public boolean train() {
        return train;
    }

    public LossType lossType() {
        return lossType;
    }

    /** The names of the op's inputs, in call order. */
    public List<String> inputs() {
        return inputs;
    }

    /** Every tensor entry, in the file's order. */
    public Map<String, TensorEntry> tensors() {
        return tensors;
    }

    /** The entries with {@code role}, in the file's order. */
    public List<TensorEntry> tensors(Role role) {
        return tensors.values().stream().filter(e -> e.role() == role).toList();
    }

    /** The entry named {@code tensor}. */
    public TensorEntry tensor(String tensor) {
        TensorEntry e = tensors.get(tensor);
        if (e == null) {
            throw new ParityException(caseFile + ": there is no tensor named '" + tensor + "'");
        }
        return e;
    }

    /** The tolerance of the compared tensor {@code tensor}. */
    public Tolerance tolerance(String tensor) {
        Tolerance t = tolerances.get(tensor);
        if (t == null) {
            throw new ParityException(caseFile + ": tolerance has no entry for '" + tensor + "'");
        }
        return t;
    }

    // ---------------------------------------------------------------- tensor files

    /** The float32 tensor of {@code entry}, from its {@code .bin} file. */
    public Tensor floats(TensorEntry entry) {
        if (entry.int32()) {
            throw new ParityException(caseFile + ": tensor '" + entry.name() + "' is int32 where a float32 tensor is needed");
        }
        ByteBuffer b = bytes(entry.file(), entry.shape(), 4, "float32");
        float[] values = new float[entry.shape().numel()];
        b.asFloatBuffer().get(values);
        return Tensor.fromArray(values, entry.shape().dims());
    }

    /** The int32 values of {@code entry} (class targets), from its {@code .bin} file. */
    public int[] ints(TensorEntry entry) {
        if (!entry.int32()) {
            throw new ParityException(caseFile + ": tensor '" + entry.name() + "' is float32 where int32 class targets are needed");
        }
        int[] values = new int[entry.shape().numel()];
        bytes(entry.file(), entry.shape(), 4, "int32").asIntBuffer().get(values);
        return values;
    }

    /** The float64 reference of the compared tensor {@code entry}, from its {@code .f64.bin} file, row-major. */
    public double[] expected(TensorEntry entry) {
        if (entry.f64File() == null) {
            throw new ParityException(caseFile + ": tensor '" + entry.name() + "' has no f64_file to compare with");
        }
        double[] values = new double[entry.shape().numel()];
        bytes(entry.f64File(), entry.shape(), 8, "float64").asDoubleBuffer().get(values);
        return values;
    }

    private ByteBuffer bytes(String file, Shape shape, int elementSize, String type) {
        Path path = folder.resolve(file);
        byte[] data;
        try {
            data = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new ParityException(path + " does not exist (named in " + caseFile + ")");
        } catch (IOException e) {
            throw new ParityException(path + " could not be read: " + e.getMessage(), e);
        }
        long expected = (long) shape.numel() * elementSize;
        if (data.length != expected) {
            throw new ParityException(path + ": expected " + expected + " bytes (" + shape.numel() + " " + type
                    + " values for shape " + shape + "), found " + data.length);
        }
        return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    }

    // ---------------------------------------------------------------- JSON fields

    private TensorEntry entry(JsonElement element) {
        if (!element.isJsonObject()) {
            throw new ParityException(caseFile + ": every entry of tensors must be an object, got " + element);
        }
        JsonObject t = element.getAsJsonObject();
        String tensorName = string(t, "name");
        String where = "tensor '" + tensorName + "'";
        String dtype = string(t, "dtype", where);
        if (!dtype.equals("float32") && !dtype.equals("int32")) {
            throw new ParityException(caseFile + ": " + where + " has dtype \"" + dtype + "\"; expected \"float32\" or \"int32\"");
        }
        JsonArray dims = array(t, "shape", where);
        int[] shape = new int[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = dims.get(i).getAsInt();
        }
        String roleName = string(t, "role", where);
        Role role;
        try {
            role = Role.valueOf(roleName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParityException(caseFile + ": " + where + " has the unknown role \"" + roleName + "\"");
        }
        String f64 = optionalString(t, "f64_file");
        if (role.compared() && f64 == null) {
            throw new ParityException(caseFile + ": " + where + " is compared but has no f64_file");
        }
        String of = optionalString(t, "of");
        if (of == null && role == Role.GRAD && tensorName.startsWith("grad.")) {
            of = tensorName.substring("grad.".length());
        }
        if (of == null && role == Role.BUFFER_AFTER && tensorName.endsWith(".after")) {
            of = tensorName.substring(0, tensorName.length() - ".after".length());
        }
        if (of == null && (role == Role.GRAD || role == Role.BUFFER_AFTER)) {
            throw new ParityException(caseFile + ": " + where + " does not say which tensor it belongs to (field \"of\")");
        }
        boolean eval = "eval".equals(optionalString(t, "mode"));
        return new TensorEntry(tensorName, string(t, "file", where), dtype.equals("int32"), Shape.of(shape), role, f64, of,
                eval);
    }

    private JsonElement field(JsonObject json, String key, String where) {
        JsonElement e = json.get(key);
        if (e == null || e.isJsonNull()) {
            throw new ParityException(caseFile + ": " + (where.isEmpty() ? "" : where + ": ") + "field \"" + key + "\" is missing");
        }
        return e;
    }

    private String string(JsonObject json, String key) {
        return string(json, key, "");
    }

    private String string(JsonObject json, String key, String where) {
        JsonElement e = field(json, key, where);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new ParityException(caseFile + ": " + (where.isEmpty() ? "" : where + ": ") + "field \"" + key
                    + "\" must be a string, got " + e);
        }
        return e.getAsString();
    }

    private static String optionalString(JsonObject json, String key) {
        JsonElement e = json.get(key);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    private int integer(JsonObject json, String key) {
        JsonElement e = field(json, key, "");
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new ParityException(caseFile + ": field \"" + key + "\" must be an integer, got " + e);
        }
        return e.getAsInt();
    }

    private double number(JsonObject json, String key, String where) {
        JsonElement e = field(json, key, where);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new ParityException(caseFile + ": " + where + ": field \"" + key + "\" must be a number, got " + e);
        }
        return e.getAsDouble();
    }

    private boolean bool(JsonObject json, String key) {
        JsonElement e = field(json, key, "");
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw new ParityException(caseFile + ": field \"" + key + "\" must be true or false, got " + e);
        }
        return e.getAsBoolean();
    }

    private JsonObject object(JsonObject json, String key) {
        JsonElement e = field(json, key, "");
        if (!e.isJsonObject()) {
            throw new ParityException(caseFile + ": field \"" + key + "\" must be an object, got " + e);
        }
        return e.getAsJsonObject();
    }

    private JsonArray array(JsonObject json, String key) {
        return array(json, key, "");
    }

    private JsonArray array(JsonObject json, String key, String where) {
        JsonElement e = field(json, key, where);
        if (!e.isJsonArray()) {
            throw new ParityException(caseFile + ": " + (where.isEmpty() ? "" : where + ": ") + "field \"" + key
                    + "\" must be a list, got " + e);
        }
        return e.getAsJsonArray();
    }

    @Override
    public String toString() {
        return name + " (" + op + ")";
    }
}
