package pgshift.migration;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens migration files as strict UTF-8 text without a byte order mark, streaming so large seed
 * files are never held whole.
 */
public final class ScriptReader {

    private ScriptReader() {
    }

    /**
     * Opens {@code file} for reading; the caller closes the reader. A byte that is not valid
     * UTF-8 raises a {@link pgshift.failure.PgshiftException} naming the file and line when it is read.
     */
    public static Reader open(Path file) throws IOException {
        return new StrictUtf8Reader(Files.newInputStream(file), file.toString());
    }

    /** Reads a whole (small) file into memory with the same rules as {@link #open(Path)}. */
    public static String readAll(Path file) throws IOException {
        try (Reader reader = open(file)) {
            StringBuilder text = new StringBuilder();
            char[] chunk = new char[8192];
            for (int read = reader.read(chunk); read >= 0; read = reader.read(chunk)) {
                text.append(chunk, 0, read);
            }
            return text.toString();
        }
    }
}
