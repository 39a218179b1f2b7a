package pgshift.migration;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import pgshift.failure.PgshiftException;

/**
 * Decodes a file as strict UTF-8 in chunks, drops a leading byte order mark, and reports a bad
 * byte, or a NUL that PostgreSQL text cannot hold, with its line and column instead of passing
 * it on.
 *
 * <p>{@code InputStreamReader} with a reporting decoder would fail without saying where, which
 * is useless for a 50 MB seed file; hence a reader that counts lines as it decodes.
 */
final class StrictUtf8Reader extends Reader {

    private static final int CHUNK = 8192;
    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private final InputStream in;
    private final String fileName;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(CHUNK).flip();
    private final CharBuffer chars = CharBuffer.allocate(CHUNK).flip();
    private boolean endOfInput;
    private boolean decodedAll;
    private boolean atFileStart = true;
    private int line = 1;
    private int column = 1;

    StrictUtf8Reader(InputStream in, String fileName) {
        this.in = in;
        this.fileName = fileName;
    }

    @Override
    public int read(char[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (!chars.hasRemaining()) {
            if (decodedAll) {
                return -1;
            }
            decodeChunk();
        }
        int count = Math.min(length, chars.remaining());
        chars.get(target, offset, count);
        return count;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private void decodeChunk() throws IOException {
        chars.clear();
        while (chars.position() == 0 && !decodedAll) {
            if (!endOfInput) {
                readBytes();
            }
            CoderResult result = decoder.decode(bytes, chars, endOfInput);
            if (result.isError()) {
                countLines(textStart(chars.position()), chars.position());
                throw badByte(bytes.get(bytes.position()));
            }
            if (endOfInput && result.isUnderflow()) {
                decoder.flush(chars);
                decodedAll = true;
            }
        }
        chars.flip();
        chars.position(textStart(chars.limit()));
        atFileStart = false;
        countLines(chars.position(), chars.limit());
    }

    /** Where the text starts among the {@code decoded} chars: after a BOM in the file's first chunk. */
    private int textStart(int decoded) {
        return atFileStart && decoded > 0 && chars.get(0) == BYTE_ORDER_MARK ? 1 : 0;
    }

    private void readBytes() throws IOException {
        bytes.compact();
        int read = in.read(bytes.array(), bytes.position(), bytes.remaining());
        if (read < 0) {
            endOfInput = true;
        } else {
            bytes.position(bytes.position() + read);
        }
        bytes.flip();
    }

    private void countLines(int from, int to) {
        // The backing array and one comparison for most chars: CharBuffer.get(i) per char was a
        // fifth of the time to split a 47 MB file with the launcher's C1-only JIT.
        char[] array = chars.array();
        int lineStart = from;
        for (int i = from; i < to; i++) {
            char c = array[i];
            if (c <= '\n') {
                if (c == '\n') {
                    line++;
                    column = 1;
                    lineStart = i + 1;
                } else if (c == '\0') {
                    column += i - lineStart;
                    // The server cuts a query string at its first NUL and answers "invalid message
                    // format" without a position, so it is caught here where the line is known.
                    throw nulByte();
                }
            }
        }
        column += to - lineStart;
    }

    private PgshiftException badByte(byte value) {
        return PgshiftException.migration(String.format(
                "%s:%d:%d: the file is not valid UTF-8 (byte 0x%02X cannot appear here in UTF-8 text),"
                        + " so pgshift cannot read its SQL reliably. Re-save the file as UTF-8 in your"
                        + " editor (or convert it, e.g. iconv -f LATIN1 -t UTF-8) and run again.",
                fileName, line, column, value & 0xFF));
    }

    private PgshiftException nulByte() {
        return PgshiftException.migration(String.format(
                "%s:%d:%d: the file contains a NUL byte (0x00), but PostgreSQL text cannot hold NUL bytes,"
                        + " so the server would refuse the statement. Remove it; if the whole file is full of"
                        + " them it was saved as UTF-16: re-save it as UTF-8 (e.g. iconv -f UTF-16 -t UTF-8).",
                fileName, line, column));
    }
}
