package pgshift.migration;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The part of a streamed script not yet split off, read from the {@link Reader} on demand and
 * dropped statement by statement, so memory stays bounded by the largest statement.
 */
final class CharWindow implements CharSource {

    private static final int CHUNK = 8192;

    private final Reader reader;
    private char[] buffer = new char[CHUNK];
    /** The window is buffer[start, start + length): discarding moves start instead of copying. */
    private int start;
    private int length;
    private boolean endOfInput;
    private int baseLine = 1;
    private int baseColumn = 1;
    /** Where {@link #positionOf} stopped counting, relative to {@code start}, and the position there. */
    private int countedTo;
    private int countedLine = 1;
    private int countedColumn = 1;

    CharWindow(Reader reader) {
        this.reader = reader;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Read failures surface as {@link UncheckedIOException} because the lexer is shared with
     * in-memory text that cannot fail; the splitter unwraps them.
     */
    @Override
    public int charAt(int index) {
        while (index >= length) {
            if (!fill()) {
                return -1;
            }
        }
        return buffer[start + index];
    }

    String text(int from, int to) {
        return new String(buffer, start + from, to - from);
    }

    /**
     * The file position of the char at {@code index}. Counting resumes where the last call left
     * off when it can: the splitter asks for a statement's start and then for its end, and
     * counting each statement's chars twice cost a tenth of the time to split a big file.
     */
    TextPosition positionOf(int index) {
        if (index < countedTo) {
            countedTo = 0;
            countedLine = baseLine;
            countedColumn = baseColumn;
        }
        char[] chars = buffer;
        int line = countedLine;
        int lineStart = start + countedTo;
        int column = countedColumn;
        int end = start + index;
        for (int i = lineStart; i < end; i++) {
            if (chars[i] == '\n') {
                line++;
                column = 1;
                lineStart = i + 1;
            }
        }
        column += end - lineStart;
        countedTo = index;
        countedLine = line;
        countedColumn = column;
        return new TextPosition(line, column);
    }

    /** Forgets the first {@code count} chars, which must already have been read. */
    void discard(int count) {
        TextPosition next = positionOf(count);
        baseLine = next.line();
        baseColumn = next.column();
        start += count;
        length -= count;
        countedTo = 0;
    }

    private boolean fill() {
        if (endOfInput) {
            return false;
        }
        if (start + length == buffer.length) {
            // Compact only when the buffer is full, so each char is moved a bounded number of times.
            if (start > 0) {
                System.arraycopy(buffer, start, buffer, 0, length);
                start = 0;
            }
            if (length == buffer.length) {
                buffer = Arrays.copyOf(buffer, buffer.length * 2);
            }
        }
        try {
            int read = reader.read(buffer, start + length, buffer.length - start - length);
            if (read < 0) {
                endOfInput = true;
                return false;
            }
            length += read;
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
