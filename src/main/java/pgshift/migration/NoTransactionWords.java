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

    /** Longer files are not read twice: the split answers for them. */
    private static final long MAX_BYTES = 256L << 20;
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
        if (Files.size(file) > MAX_BYTES) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            return certainlyTransactional(in.readAllBytes());
        }
    }

    static boolean certainlyTransactional(byte[] text) {
        int n = text.length;
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
            if (mayNeedNoTransaction(text, start, i)
                    || start > 0 && text[start - 1] == '\\' && mayNeedNoTransaction(text, start + 1, i)) {
                return false; // the second: E'BEGIN\nCOMMIT; END', where \n is a line break
            }
        }
        return true;
    }

    /** Compared by length first: most words of a file have none of these lengths. */
    private static boolean mayNeedNoTransaction(byte[] text, int start, int end) {
        return switch (end - start) {
            case 2 -> is(text, start, "no") && is(text, end, "-transaction");
            case 6 -> is(text, start, "vacuum") || is(text, start, "commit")
                    || is(text, start, "system") && mayBeKeyword(text, start);
            case 7 -> is(text, start, "discard") || is(text, start, "cluster")
                    || is(text, start, "disable") && is(text, end, "-transaction");
            case 8 -> is(text, start, "rollback") || is(text, start, "database") && mayBeKeyword(text, start);
            case 10 -> is(text, start, "tablespace") && mayBeKeyword(text, start);
            case 12 -> is(text, start, "concurrently")
                    || is(text, start, "subscription") && mayBeKeyword(text, start);
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
            case 4 -> is(text, wordStart, "drop");
            case 5 -> is(text, wordStart, "alter");
            case 6 -> is(text, wordStart, "create");
            case 7 -> is(text, wordStart, "reindex");
            default -> false;
        };
    }

    /** Whether {@code text} holds {@code lower} (lower-case ASCII) at {@code at}, in any ASCII case. */
    private static boolean is(byte[] text, int at, String lower) {
        if (at + lower.length() > text.length) {
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
