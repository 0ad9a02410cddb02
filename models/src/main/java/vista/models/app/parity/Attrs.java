package vista.models.app.parity;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.nio.file.Path;

/**
 * The {@code attrs} object of a case.json (or an object nested in it, such as a model's {@code stem}),
 * read with types: every getter fails with a sentence naming the file and the attribute's path, e.g.
 * {@code fixtures/tiny_resnet/case.json: attrs.stem.conv_kernel must be an integer, got "3x3"}.
 */
public final class Attrs {
    private final Path file;
    private final String path;
    private final JsonObject json;

    Attrs(Path file, String path, JsonObject json) {
        this.file = file;
        this.path = path;
        this.json = json;
    }

    /** True if the attribute is present (possibly as JSON null). */
    public boolean has(String key) {
        return json.has(key);
    }

    /** True if the attribute is absent or JSON null. */
    public boolean isNull(String key) {
        return !json.has(key) || json.get(key).isJsonNull();
    }

    public int integer(String key) {
        JsonPrimitive p = primitive(key, "an integer");
        if (!p.isNumber() || p.getAsDouble() != Math.rint(p.getAsDouble())
                || Math.abs(p.getAsDouble()) > Integer.MAX_VALUE) {
            throw invalid(key, "an integer", p);
        }
        return p.getAsInt();
    }

    public double number(String key) {
        JsonPrimitive p = primitive(key, "a number");
        if (!p.isNumber()) {
            throw invalid(key, "a number", p);
        }
        return p.getAsDouble();
    }

    public boolean bool(String key) {
        JsonPrimitive p = primitive(key, "true or false");
        if (!p.isBoolean()) {
            throw invalid(key, "true or false", p);
        }
        return p.getAsBoolean();
    }

    public String string(String key) {
        JsonPrimitive p = primitive(key, "a string");
        if (!p.isString()) {
            throw invalid(key, "a string", p);
        }
        return p.getAsString();
    }

    /** A list of integers. */
    public int[] integers(String key) {
        JsonElement e = require(key, "a list of integers");
        if (!e.isJsonArray()) {
            throw invalid(key, "a list of integers", e);
        }
        JsonArray a = e.getAsJsonArray();
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            JsonElement item = a.get(i);
            if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isNumber()
                    || item.getAsDouble() != Math.rint(item.getAsDouble())) {
                throw invalid(key, "a list of integers", e);
            }
            out[i] = item.getAsInt();
        }
        return out;
    }

    /** A list of booleans. */
    public boolean[] booleans(String key) {
        JsonElement e = require(key, "a list of booleans");
        if (!e.isJsonArray()) {
            throw invalid(key, "a list of booleans", e);
        }
        JsonArray a = e.getAsJsonArray();
        boolean[] out = new boolean[a.size()];
        for (int i = 0; i < out.length; i++) {
            JsonElement item = a.get(i);
            if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isBoolean()) {
                throw invalid(key, "a list of booleans", e);
            }
            out[i] = item.getAsBoolean();
        }
        return out;
    }

    /** A {@code [rows, columns]} pair; a single integer {@code k} means {@code [k, k]}. */
    public int[] pair(String key) {
        JsonElement e = require(key, "an integer or a pair [rows, columns]");
        if (e.isJsonPrimitive()) {
            int k = integer(key);
            return new int[] {k, k};
        }
        int[] pair = integers(key);
        if (pair.length != 2) {
            throw invalid(key, "an integer or a pair [rows, columns]", e);
        }
        return pair;
    }

    /** A nested object, e.g. a model's {@code stem}. */
    public Attrs object(String key) {
        JsonElement e = require(key, "an object");
        if (!e.isJsonObject()) {
            throw invalid(key, "an object", e);
        }
        return new Attrs(file, path + "." + key, e.getAsJsonObject());
    }

    /** Fails unless the attribute, if present, equals {@code supported}: for settings Vista has one way to do. */
    public void requireIfPresent(String key, String supported) {
        if (has(key) && !string(key).equals(supported)) {
            throw unsupported(key, "\"" + supported + "\"");
        }
    }

    /** Fails unless the attribute, if present, equals {@code supported}. */
    public void requireIfPresent(String key, boolean supported) {
        if (has(key) && bool(key) != supported) {
            throw unsupported(key, String.valueOf(supported));
        }
    }

    /** Fails unless the attribute, if present, equals {@code supported} (compared as numbers). */
    public void requireIfPresent(String key, double supported) {
        if (has(key) && number(key) != supported) {
            throw unsupported(key, String.valueOf(supported));
        }
    }

    /** An error saying that Vista supports only {@code supported} for this attribute. */
    public ParityException unsupported(String key, String supported) {
        return new ParityException(file + ": " + path + "." + key + " is " + json.get(key)
                + ", but Vista supports only " + supported + " here");
    }

    /** An error about this attribute with the given explanation. */
    public ParityException error(String key, String problem) {
        return new ParityException(file + ": " + path + "." + key + " " + problem);
    }

    private JsonElement require(String key, String expected) {
        if (isNull(key)) {
            throw new ParityException(file + ": " + path + "." + key + " is missing; expected " + expected);
        }
        return json.get(key);
    }

    private JsonPrimitive primitive(String key, String expected) {
        JsonElement e = require(key, expected);
        if (!e.isJsonPrimitive()) {
            throw invalid(key, expected, e);
        }
        return e.getAsJsonPrimitive();
    }

    private ParityException invalid(String key, String expected, JsonElement got) {
        return new ParityException(file + ": " + path + "." + key + " must be " + expected + ", got " + got);
    }

    @Override
    public String toString() {
        return json.toString();
    }
}
