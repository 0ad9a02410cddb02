package vista.models.app.train;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading the JSON files of a run folder: their text, and the parser's complaints put into sentences. */
public final class JsonFiles {
    private JsonFiles() {
    }

    /**
     * The text of {@code file}, which must be UTF-8.
     *
     * @throws IOException naming the file if it is not UTF-8 text, or cannot be read
     */
    public static String text(Path file) throws IOException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new IOException(file + " is not UTF-8 text, so it is not a file vista train wrote; repair it or"
                    + " move it out of the run folder", e);
        }
    }

    /**
     * The JSON object that {@code file} holds.
     *
     * @throws IOException naming the file if it is not UTF-8 text, not JSON, or not one JSON object
     */
    public static JsonObject object(Path file) throws IOException {
        JsonElement tree;
        try {
            tree = JsonParser.parseString(text(file));
        } catch (JsonParseException e) {
            throw new IOException(file + " is not JSON (" + reason(e) + "); it is not a file vista train wrote", e);
        }
        if (!tree.isJsonObject()) {
            throw new IOException(file + " is " + (tree.isJsonNull() ? "empty" : "not a JSON object")
                    + "; it is not a file vista train wrote");
        }
        return tree.getAsJsonObject();
    }

    /**
     * The JSON parser's complaint in one line, with its line and column, without the names of exception
     * classes or the parser's key path (which may quote the damaged text).
     */
    public static String reason(RuntimeException e) {
        return String.valueOf(e.getMessage()).lines().findFirst().orElse("")
                .replaceAll("^([\\w.$]+(Exception|Error): )+", "")
                .replaceFirst(" path \\$.*$", "");
    }
}
