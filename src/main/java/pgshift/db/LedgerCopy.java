package pgshift.db;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Writes one ledger row through binary COPY, the statements array sent piece by piece: a 50 MB
 * seed file's row never exists as one string or byte array on the client, so -Xmx256m is enough.
 *
 * <p>Binary, not text: the server stores the elements as they arrive instead of unescaping and
 * parsing 50 MB of array literal, and the client copies each statement's bytes instead of
 * escaping it character by character. The stored array is the same value either way.
 */
final class LedgerCopy {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
    private static final int TEXT_OID = 25;
    private static final int BUFFER_BYTES = 1 << 16;

    private LedgerCopy() {
    }

    static void insert(Connection conn, String version, String name, List<String> statements) throws SQLException {
        copy(conn, "supabase_migrations.schema_migrations (version, name, statements)", List.of(version, name), statements);
    }

    /** One row into {@code target} (a table and its columns): the text fields, then the statements array. */
    static void copy(Connection conn, String target, List<String> fields, List<String> statements) throws SQLException {
        CopyIn copy = conn.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + target + " FROM STDIN (FORMAT binary)");
        try {
            Writer out = new Writer(copy);
            out.bytes(SIGNATURE).int32(0).int32(0); // no flags, no header extension
            out.int16(fields.size() + 1);
            for (String field : fields) {
                out.field(field.getBytes(StandardCharsets.UTF_8));
            }
            long arrayBytes = 5 * 4; // ndim, has-nulls flag, element type, length, lower bound
            for (String s : statements) {
                arrayBytes += 4 + utf8Length(s);
            }
            if (arrayBytes > Integer.MAX_VALUE) {
                throw new SQLException("The statements of one file exceed 2 GB: too big for one ledger row.");
            }
            out.int32((int) arrayBytes);
            out.int32(1).int32(0).int32(TEXT_OID).int32(statements.size()).int32(1);
            for (String s : statements) {
                out.field(s.getBytes(StandardCharsets.UTF_8));
            }
            out.int16(-1); // end of data
            out.flush();
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    /** The length of {@code s} in UTF-8, as {@link String#getBytes} encodes it (a lone surrogate is one '?'). */
    static long utf8Length(String s) {
        long bytes = s.length();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    bytes += 2; // two chars, four bytes
                    i++;
                } else if (!Character.isSurrogate(c)) {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }

    /** Buffers COPY data into 64 KB messages. */
    private static final class Writer {
        private final CopyIn copy;
        private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);

        Writer(CopyIn copy) {
            this.copy = copy;
        }

        Writer int16(int value) throws SQLException {
            room(2);
            buffer.putShort((short) value);
            return this;
        }

        Writer int32(int value) throws SQLException {
            room(4);
            buffer.putInt(value);
            return this;
        }

        /** A length-prefixed value: a column of the row, or an element of the array. */
        Writer field(byte[] value) throws SQLException {
            return int32(value.length).bytes(value);
        }

        Writer bytes(byte[] value) throws SQLException {
            if (value.length > buffer.remaining()) {
                flush();
                if (value.length > buffer.capacity()) {
                    copy.writeToCopy(value, 0, value.length);
                    return this;
                }
            }
            buffer.put(value);
            return this;
        }

        private void room(int bytes) throws SQLException {
            if (buffer.remaining() < bytes) {
                flush();
            }
        }

        void flush() throws SQLException {
            if (buffer.position() > 0) {
                copy.writeToCopy(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
        }
    }
}
