package pgshift.db;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Writes one ledger row through COPY, encoding the statements array piece by piece: a 50 MB seed
 * file's row never exists as one string or byte array on the client, so -Xmx256m is enough.
 */
final class LedgerCopy {

    private static final int FLUSH_BYTES = 1 << 16;

    private LedgerCopy() {
    }

    static void insert(Connection conn, String version, String name, List<String> statements) throws SQLException {
        CopyIn copy = conn.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY supabase_migrations.schema_migrations (version, name, statements) FROM STDIN");
        try {
            StringBuilder field = new StringBuilder();
            copyEscape(field, version).append('\t');
            copyEscape(field, name).append("\t{");
            for (int i = 0; i < statements.size(); i++) {
                if (i > 0) {
                    field.append(',');
                }
                // An array element in double quotes, then COPY's own escaping on top.
                field.append('"');
                String s = statements.get(i);
                for (int c = 0; c < s.length(); c++) {
                    char ch = s.charAt(c);
                    if (ch == '"') {
                        field.append("\\\\\"");
                    } else if (ch == '\\') {
                        field.append("\\\\\\\\");
                    } else {
                        copyChar(field, ch);
                    }
                }
                field.append('"');
                if (field.length() >= FLUSH_BYTES) {
                    write(copy, field);
                }
            }
            field.append("}\n");
            write(copy, field);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    private static StringBuilder copyEscape(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch == '\\') {
                out.append("\\\\");
            } else {
                copyChar(out, ch);
            }
        }
        return out;
    }

    /** COPY text format: newlines, carriage returns and tabs are written as backslash escapes. */
    private static void copyChar(StringBuilder out, char ch) {
        switch (ch) {
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            default -> out.append(ch);
        }
    }

    private static void write(CopyIn copy, StringBuilder field) throws SQLException {
        // A surrogate pair must not be split between two writes: keep a trailing high surrogate back.
        int end = field.length();
        if (end > 0 && Character.isHighSurrogate(field.charAt(end - 1))) {
            end--;
        }
        byte[] bytes = field.substring(0, end).getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        field.delete(0, end);
    }
}
