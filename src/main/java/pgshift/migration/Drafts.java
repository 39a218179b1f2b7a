package pgshift.migration;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tells a draft: a migration file with no statements yet (empty, or only comments, blank lines and
 * semicolons, such as the template {@code new} writes). Reads only up to the first character that
 * starts a statement, so a big pending file costs a few bytes, not a split.
 */
public final class Drafts {

    private Drafts() {
    }

    /** True when the file holds no statement; false when it does, or when it cannot be read (apply then says why). */
    public static boolean isDraft(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 8192)) {
            return hasNoStatement(in);
        } catch (IOException e) {
            return false;
        }
    }

    /** Whitespace, {@code --} comments, nested block comments, semicolons and a UTF-8 byte order mark are not statements. */
    static boolean hasNoStatement(InputStream in) throws IOException {
        int c = in.read();
        if (c == 0xEF) { // a byte order mark: EF BB BF
            if (in.read() != 0xBB || in.read() != 0xBF) {
                return false;
            }
            c = in.read();
        }
        while (c != -1) {
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B || c == ';') {
                c = in.read();
            } else if (c == '-') {
                if (in.read() != '-') {
                    return false;
                }
                do {
                    c = in.read();
                } while (c != -1 && c != '\n');
            } else if (c == '/') {
                if (in.read() != '*' || !skipBlockComment(in)) {
                    return false;
                }
                c = in.read();
            } else {
                return false;
            }
        }
        return true;
    }

    /** After an opening slash-star: skips to the matching close, comments nest as in PostgreSQL; false at an unclosed end. */
    private static boolean skipBlockComment(InputStream in) throws IOException {
        int depth = 1;
        int previous = -1;
        int c;
        while ((c = in.read()) != -1) {
            if (previous == '*' && c == '/') {
                if (--depth == 0) {
                    return true;
                }
                c = -2; // the slash closed a comment: it cannot also open one
            } else if (previous == '/' && c == '*') {
                depth++;
                c = -2;
            }
            previous = c;
        }
        return false; // an unclosed comment is for the splitter to report
    }
}
