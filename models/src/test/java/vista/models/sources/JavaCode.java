package vista.models.sources;

/**
 * Java source with its comments and the contents of its string, text-block and character literals
 * blanked out (each character replaced by a space, line breaks kept), so that a search of the rest finds
 * code only, on the line where it stands.
 */
public final class JavaCode {
    private JavaCode() {
    }

    /** {@code source} with comments and literal contents replaced by spaces; same length and lines. */
    public static String withoutCommentsAndLiterals(String source) {
        StringBuilder out = new StringBuilder(source);
        int i = 0;
        while (i < source.length()) {
            if (source.startsWith("//", i)) {
                i = blank(out, i, lineEnd(source, i));
            } else if (source.startsWith("/*", i)) {
                i = blank(out, i, after(source, "*/", i + 2));
            } else if (source.startsWith("\"\"\"", i)) {
                i = blank(out, i + 3, literalEnd(source, "\"\"\"", i + 3)) + 3;
            } else if (source.charAt(i) == '"' || source.charAt(i) == '\'') {
                String quote = String.valueOf(source.charAt(i));
                i = blank(out, i + 1, literalEnd(source, quote, i + 1)) + 1;
            } else {
                i++;
            }
        }
        return out.toString();
    }

    /** Replaces {@code [from, to)} by spaces, except line breaks; returns {@code to}. */
    private static int blank(StringBuilder out, int from, int to) {
        for (int i = from; i < to; i++) {
            if (out.charAt(i) != '\n' && out.charAt(i) != '\r') {
                out.setCharAt(i, ' ');
            }
        }
        return to;
    }

    private static int lineEnd(String source, int from) {
        int end = source.indexOf('\n', from);
        return end < 0 ? source.length() : end;
    }

    /** Just after the first {@code token} at or after {@code from}, or the end. */
    private static int after(String source, String token, int from) {
        int at = source.indexOf(token, from);
        return at < 0 ? source.length() : at + token.length();
    }

    /** The position of the literal's closing {@code quote} (skipping escaped characters), or the end. */
    private static int literalEnd(String source, String quote, int from) {
        int i = from;
        while (i < source.length() && !source.startsWith(quote, i)) {
            i += source.charAt(i) == '\\' ? 2 : 1;
        }
        return Math.min(i, source.length());
    }
}
