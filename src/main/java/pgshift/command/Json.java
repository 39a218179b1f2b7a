package pgshift.command;

/** A minimal JSON writer for status --json: objects, arrays, strings, numbers and null. */
final class Json {

    private final StringBuilder out = new StringBuilder();
    private boolean needComma;

    Json open(char bracket) {
        comma();
        out.append(bracket);
        needComma = false;
        return this;
    }

    Json close(char bracket) {
        out.append(bracket);
        needComma = true;
        return this;
    }

    Json key(String key) {
        comma();
        string(key);
        out.append(':');
        needComma = false;
        return this;
    }

    Json value(String value) {
        if (value == null) {
            return nul();
        }
        comma();
        string(value);
        needComma = true;
        return this;
    }

    Json value(Long value) {
        if (value == null) {
            return nul();
        }
        comma();
        out.append(value.longValue());
        needComma = true;
        return this;
    }

    Json value(boolean value) {
        comma();
        out.append(value);
        needComma = true;
        return this;
    }

    Json nul() {
        comma();
        out.append("null");
        needComma = true;
        return this;
    }

    /**
     * Starts the next array element on a new line (one migration per line keeps the document
     * greppable and its lines short); the separating comma, if due, stays on the line before.
     */
    Json newline() {
        comma();
        needComma = false;
        out.append('\n');
        return this;
    }

    /** A line break that separates nothing, e.g. before a closing bracket. */
    Json lineBreak() {
        out.append('\n');
        return this;
    }

    private void comma() {
        if (needComma) {
            out.append(',');
        }
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
