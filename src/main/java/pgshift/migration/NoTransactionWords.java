package pgshift.migration;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tells from a file's words alone, before it is split, that it certainly runs in a transaction:
 * every statement PostgreSQL refuses in a transaction block ({@link TxModeClassifier},
 * {@link CommittingCode}) and every no-transaction marker ({@link NoTransactionMarkers}) needs one
 * of a few words, so a file without them needs no split to know. A file with one of them may
 * still run in a transaction; only the split says.
 *
 * <p>Words are matched in any ASCII case, anywhere (in strings and comments too, so the answer
 * errs on the side of "may not"): {@code vacuum}, {@code concurrently}, {@code discard},
 * {@code cluster}, {@code commit}, {@code rollback} (a DO block or procedure that commits), and
 * the markers' {@code no-transaction} and {@code disable-transaction}. {@code database},
 * {@code tablespace}, {@code subscription} and {@code system} count unless the word before them
 * on their line is another word than create, drop, alter or reindex, or a quote ends right before
 * them: there they cannot be a statement's keyword ({@code 'webhook subscription'} in seed data).
 * A word is what the server's lexer takes for one, but {@code $} ends it ({@code $$COMMIT;$$}), and
 * after a backslash it is also read without its first letter ({@code E'BEGIN\nCOMMIT; END'});
 * octal, hex and Unicode escapes spelling these words are not followed. Bytes, not chars: every
 * one of these words is ASCII, and a byte from 0x80 up is part of a word, as in the server's
 * lexer.
 */
public final class NoTransactionWords {

    /** Read a megabyte at a time (whole lines): the whole 47 MB at once cost 47 MB of heap and GC pauses for the split. */
    private static final int CHUNK = 1 << 20;
    private static final boolean[] WORD = new boolean[256];

    static {
        for (int b = 0; b < 256; b++) {
            WORD[b] = b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' || b >= 0x80;
        }
    }

    private NoTransactionWords() {
    }

    /** True when the file certainly holds nothing that runs without a transaction, nor a marker asking for that. */
    public static boolean certainlyTransactional(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[CHUNK];
            int length = 0;
            while (true) {
                length += in.readNBytes(buffer, length, buffer.length - length);
                boolean end = length < buffer.length;
                // No word, nor what the checks look at around one, crosses a line break: up to the
                // last one, a chunk is judged as the whole file would be.
                int lines = end ? length : lastLineBreak(buffer, length) + 1;
                if (lines == 0) {
                    buffer = java.util.Arrays.copyOf(buffer, buffer.length * 2); // a line longer than the buffer
                    continue;
                }
                if (!certainlyTransactional(buffer, lines)) {
                    return false;
                }
                if (end) {
                    return true;
                }
                System.arraycopy(buffer, lines, buffer, 0, length - lines);
                length -= lines;
            }
        }
    }

    private static int lastLineBreak(byte[] buffer, int length) {
        int i = length - 1;
        while (i >= 0 && buffer[i] != '\n') {
            i--;
        }
        return i;
    }

    static boolean certainlyTransactional(byte[] text) {
        return certainlyTransactional(text, text.length);
    }

    /** Judges {@code text[0, n)}. */
    private static boolean certainlyTransactional(byte[] text, int n) {
        int i = 0;
        while (i < n) {
            if (!WORD[text[i] & 0xFF]) {
                i++;
                continue;
            }
            int start = i;
            do {
                i++;
            } while (i < n && WORD[text[i] & 0xFF]);
            if (mayNeedNoTransaction(text, n, start, i)
                    || start > 0 && text[start - 1] == '\\' && mayNeedNoTransaction(text, n, start + 1, i)) {
                return false; // the second: E'BEGIN\nCOMMIT; END', where \n is a line break
            }
        }
        return true;
    }

    /** Compared by length first: most words of a file have none of these lengths. */
    private static boolean mayNeedNoTransaction(byte[] text, int n, int start, int end) {
        return switch (end - start) {
            case 2 -> is(text, n, start, "no") && is(text, n, end, "-transaction");
            case 6 -> is(text, n, start, "vacuum") || is(text, n, start, "commit")
                    || is(text, n, start, "system") && mayBeKeyword(text, start);
            case 7 -> is(text, n, start, "discard") || is(text, n, start, "cluster")
                    || is(text, n, start, "disable") && is(text, n, end, "-transaction");
            case 8 -> is(text, n, start, "rollback") || is(text, n, start, "database") && mayBeKeyword(text, start);
            case 10 -> is(text, n, start, "tablespace") && mayBeKeyword(text, start);
            case 12 -> is(text, n, start, "concurrently")
                    || is(text, n, start, "subscription") && mayBeKeyword(text, start);
            default -> false;
        };
    }

    /** Whether the word starting at {@code start} may follow CREATE, DROP, ALTER or REINDEX (or a comment, or options). */
    private static boolean mayBeKeyword(byte[] text, int start) {
        int before = start - 1;
        while (before >= 0 && (text[before] == ' ' || text[before] == '\t')) {
            before--;
        }
        if (before < 0) {
            return true;
        }
        int b = text[before] & 0xFF;
        if (b == '\'' || b == '"') {
            return false;
        }
        if (!WORD[b]) {
            return true; // a line break (a comment may end there), a comment's end, REINDEX's options ...
        }
        int wordEnd = before + 1;
        while (before >= 0 && WORD[text[before] & 0xFF]) {
            before--;
        }
        int wordStart = before + 1;
        return switch (wordEnd - wordStart) {
            case 4 -> is(text, wordEnd, wordStart, "drop");
            case 5 -> is(text, wordEnd, wordStart, "alter");
            case 6 -> is(text, wordEnd, wordStart, "create");
            case 7 -> is(text, wordEnd, wordStart, "reindex");
            default -> false;
        };
    }

    /** Whether {@code text[0, n)} holds {@code lower} (lower-case ASCII) at {@code at}, in any ASCII case. */
    private static boolean is(byte[] text, int n, int at, String lower) {
        if (at + lower.length() > n) {
            return false;
        }
        for (int i = 0; i < lower.length(); i++) {
            int b = text[at + i];
            if ((b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b) != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
