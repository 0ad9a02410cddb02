package vista.tensor.fuzz;

import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * How a reader must refuse a damaged file: with an exception of its own {@link #type} whose message
 * meets {@link #rule} (typically: names the file) and leaks no Java internals, that is no qualified
 * exception class name such as {@code java.io.EOFException} and no bare {@code null} for a message.
 *
 * @param type        the reader's error type; its subclasses count too
 * @param description the rule in words, for failure messages, e.g. "name /tmp/x/images.idx"
 * @param rule        the test of the message
 */
public record Refusal(Class<? extends Exception> type, String description, Predicate<String> rule) {
    private static final Pattern JAVA_INTERNALS = Pattern.compile(
            "\\b(?:java|javax|sun|com\\.sun|jdk)\\.[\\w.]*\\.\\w*(?:Exception|Error)\\b|(?:^|: )null(?:$|[;,)])");

    /** Refusals of {@code type} whose message contains {@code text}, for example the file's path. */
    public static Refusal naming(Class<? extends Exception> type, String text) {
        return new Refusal(type, "name " + text, m -> m.contains(text));
    }

    /** Whether {@code thrown} is such a refusal. */
    boolean accepts(Throwable thrown) {
        return type.isInstance(thrown) && isClear(thrown.getMessage());
    }

    /** Whether {@code message} meets the rule and leaks no Java internals. */
    boolean isClear(String message) {
        return message != null && !message.isBlank() && rule.test(message) && !JAVA_INTERNALS.matcher(message).find();
    }
}
