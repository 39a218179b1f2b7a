package pgshift.config;

/**
 * Text as it can be printed: control and format characters (newline, ESC, BEL, bidi overrides,
 * ...) escaped as \n, \t, \x1b, or a backslash, u and four hex digits, so a file name or a table
 * cell cannot move the cursor, recolour the terminal or hide part of a message.
 */
public final class Printable {

    private Printable() {
    }

    public static String of(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            boolean escape = isControl(c);
            if (escape && out == null) {
                out = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (out != null) {
                if (!escape) {
                    out.appendCodePoint(c);
                } else if (c == '\n') {
                    out.append("\\n");
                } else if (c == '\r') {
                    out.append("\\r");
                } else if (c == '\t') {
                    out.append("\\t");
                } else if (c < 0x100) {
                    out.append(String.format("\\x%02x", c));
                } else {
                    out.append(String.format("\\u%04x", c));
                }
            }
            i += Character.charCount(c);
        }
        return out == null ? text : out.toString();
    }

    /** A control or format character: one that does something to a terminal instead of showing. */
    public static boolean isControl(int c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT;
    }
}
