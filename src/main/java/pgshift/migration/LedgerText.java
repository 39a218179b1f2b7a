package pgshift.migration;

/**
 * Trimming rules of the Supabase CLI, whose {@code schema_migrations.statements} column pgshift
 * must reproduce byte for byte.
 */
final class LedgerText {

    private LedgerText() {
    }

    /**
     * Go's {@code unicode.IsSpace}, which {@code strings.TrimSpace} uses: Unicode White_Space.
     * Java's {@code Character.isWhitespace} differs (it skips U+00A0 and adds U+001C..U+001F), so
     * the set is spelled out.
     */
    static boolean isSpace(int c) {
        return switch (c) {
            case '\t', '\n', 0x0B, '\f', '\r', ' ', 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000 -> true;
            default -> c >= 0x2000 && c <= 0x200A;
        };
    }

    /**
     * Cuts a raw statement the way Supabase does: {@code strings.TrimRight(raw, ";")} and then
     * {@code strings.TrimSpace}; an empty result means Supabase drops the statement.
     */
    static Bounds trimmedBounds(CharSource raw, int rawEnd) {
        int end = rawEnd;
        while (end > 0 && raw.charAt(end - 1) == ';') {
            end--;
        }
        int begin = 0;
        while (begin < end && isSpace(raw.charAt(begin))) {
            begin++;
        }
        while (end > begin && isSpace(raw.charAt(end - 1))) {
            end--;
        }
        return new Bounds(begin, end);
    }

    /** A half-open range {@code [begin, end)} of the raw text. */
    record Bounds(int begin, int end) {

        boolean isEmpty() {
            return begin == end;
        }
    }
}
