package vista.nn.weights.safetensors;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict parser of the JSON in a safetensors header (RFC 8259), small enough to read at once; the nn
 * module has no JSON library, and this header needs only a fraction of one. Values become
 * {@link Map} (objects, keys in file order), {@link List} (arrays), {@link String}, {@link Long}
 * (integers: the header's shapes and offsets are integers), {@link Boolean} and {@link #NULL}.
 *
 * <p>Refused, with a sentence that says what and at which character: anything that is not JSON
 * (trailing commas, comments, single quotes, leading zeros, control characters in strings, unpaired
 * surrogate escapes, text after the value), duplicate keys (they would let two readers see two
 * different files), numbers with a fraction or exponent or outside {@code long}, and nesting deeper than
 * {@link #MAX_DEPTH} (so that no input can exhaust the stack). Whitespace, and hence the spaces that pad
 * a header to a multiple of 8 bytes, is allowed around every value.
 */
final class HeaderJson {
    /** JSON's null (a {@link Map} cannot hold a Java null). */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** The deepest nesting of arrays and objects accepted; a header needs 3. */
    static final int MAX_DEPTH = 16;

    /** A JSON text that is not valid, or not acceptable here; the message says what and where. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message);
        }
    }

    private final String text;
    private int at;

    private HeaderJson(String text) {
        this.text = text;
    }

    /** The value that {@code text} holds, which must be the whole text apart from whitespace. */
    static Object parse(String text) throws Malformed {
        HeaderJson parser = new HeaderJson(text);
        Object value = parser.value(0);
        parser.skipWhitespace();
        if (parser.at < text.length()) {
            throw parser.error("unexpected text after the end of the JSON value");
        }
        return value;
    }

    private Object value(int depth) throws Malformed {
        skipWhitespace();
        if (at >= text.length()) {
            throw error("the JSON text ends where a value was expected");
        }
        char c = text.charAt(at);
        return switch (c) {
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", NULL);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("unexpected character " + describe(c) + " where a value was expected");
            }
        };
    }

    private Map<String, Object> object(int depth) throws Malformed {
        checkDepth(depth);
        at++;
        Map<String, Object> members = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            at++;
            return members;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("expected a key in double quotes");
            }
            int keyAt = at;
            String key = string();
            skipWhitespace();
            expect(':');
            Object member = value(depth);
            if (members.put(key, member) != null) {
                at = keyAt;
                throw error("the key \"" + key + "\" appears twice in one object");
            }
            skipWhitespace();
            if (peek() == ',') {
                at++;
            } else if (peek() == '}') {
                at++;
                return members;
            } else {
                throw error("expected ',' or '}' after a member of an object");
            }
        }
    }

    private List<Object> array(int depth) throws Malformed {
        checkDepth(depth);
        at++;
        List<Object> elements = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            at++;
            return elements;
        }
        while (true) {
            elements.add(value(depth));
            skipWhitespace();
            if (peek() == ',') {
                at++;
            } else if (peek() == ']') {
                at++;
                return elements;
            } else {
                throw error("expected ',' or ']' after an element of an array");
            }
        }
    }

    private String string() throws Malformed {
        int start = at;
        at++;
        StringBuilder out = new StringBuilder();
        while (true) {
            if (at >= text.length()) {
                at = start;
                throw error("a string is not closed");
            }
            char c = text.charAt(at++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                at--;
                throw error("a control character " + describe(c) + " inside a string must be escaped");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char escape = at < text.length() ? text.charAt(at++) : '\0';
            switch (escape) {
                case '"', '\\', '/' -> out.append(escape);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> out.append(unicodeEscape());
                default -> {
                    at--;
                    throw error("unknown escape \\" + describe(escape));
                }
            }
        }
    }

    /** The character of a {@code \\uXXXX} escape, with a following low surrogate escape if it is a high one. */
    private String unicodeEscape() throws Malformed {
        char first = hex4();
        if (Character.isLowSurrogate(first)) {
            throw error("an unpaired low surrogate escape");
        }
        if (!Character.isHighSurrogate(first)) {
            return String.valueOf(first);
        }
        if (!text.startsWith("\\u", at)) {
            throw error("a high surrogate escape not followed by a low one");
        }
        at += 2;
        char second = hex4();
        if (!Character.isLowSurrogate(second)) {
            throw error("a high surrogate escape not followed by a low one");
        }
        return new String(new char[] {first, second});
    }

    private char hex4() throws Malformed {
        if (at + 4 > text.length()) {
            throw error("a \\u escape needs four hexadecimal digits");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(at + i), 16);
            if (d < 0 || text.charAt(at + i) > 'f') {
                throw error("a \\u escape needs four hexadecimal digits");
            }
            v = v << 4 | d;
        }
        at += 4;
        return (char) v;
    }

    private Long number() throws Malformed {
        int start = at;
        if (peek() == '-') {
            at++;
        }
        int digitsStart = at;
        while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
            at++;
        }
        if (at == digitsStart) {
            at = start;
            throw error("a '-' not followed by digits");
        }
        if (text.charAt(digitsStart) == '0' && at - digitsStart > 1) {
            at = start;
            throw error("a number with a leading zero");
        }
        char next = peek();
        if (next == '.' || next == 'e' || next == 'E') {
            at = start;
            throw error("a number with a fraction or exponent, where the header only has integers");
        }
        try {
            return Long.parseLong(text, start, at, 10);
        } catch (NumberFormatException e) {
            at = start;
            throw error("an integer outside the 64-bit range");
        }
    }

    private Object literal(String word, Object value) throws Malformed {
        if (!text.startsWith(word, at)) {
            throw error("unexpected character " + describe(text.charAt(at)) + " where a value was expected");
        }
        at += word.length();
        return value;
    }

    private void checkDepth(int depth) throws Malformed {
        if (depth > MAX_DEPTH) {
            throw error("arrays and objects nested deeper than " + MAX_DEPTH);
        }
    }

    private void expect(char c) throws Malformed {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        at++;
    }

    private char peek() {
        return at < text.length() ? text.charAt(at) : '\0';
    }

    private void skipWhitespace() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            at++;
        }
    }

    private static String describe(char c) {
        return c >= 0x20 && c < 0x7F ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    private Malformed error(String what) {
        return new Malformed("invalid JSON at character " + at + ": " + what);
    }
}
