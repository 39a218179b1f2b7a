package pgshift.migration;

import java.util.Objects;

/**
 * One statement of a migration script, with the text the Supabase ledger records and where it
 * starts in the file.
 *
 * @param text   the statement as Supabase records it: no trailing {@code ;}, trimmed, leading
 *               comments kept
 * @param line   1-based line of the first character of {@code text}
 * @param column 1-based column (in Java chars) of the first character of {@code text}
 * @param txMode whether the statement can run inside a transaction block
 * @param copy   for a {@code COPY ... FROM STDIN} with its data lines: where the command ends and
 *               the data begins in {@code text}; null for any other statement
 */
public record SqlStatement(String text, int line, int column, TxMode txMode, CopyText copy) {

    /**
     * The parts of a {@code COPY ... FROM STDIN} block, whose {@code text} runs from the command
     * through the {@code \.} line: the command is {@code text[0, commandEnd)} (its {@code ;} left
     * out), the data {@code text[dataStart, text.length() - 2)}, each line ending in its newline.
     */
    public record CopyText(int commandEnd, int dataStart) {
    }

    /** How a statement relates to transaction blocks. */
    public enum TxMode {
        /** Runs inside a transaction block like most SQL. */
        NORMAL,
        /**
         * PostgreSQL refuses to run it inside a transaction block (VACUUM, CREATE INDEX CONCURRENTLY,
         * a DO block or a CALL that commits, ...).
         */
        NO_TRANSACTION,
        /** Starts or ends a transaction itself (BEGIN, COMMIT, ROLLBACK, ...). */
        TRANSACTION_CONTROL
    }

    public SqlStatement {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(txMode, "txMode");
    }

    public SqlStatement(String text, int line, int column, TxMode txMode) {
        this(text, line, column, txMode, null);
    }

    /** True for a {@code COPY ... FROM STDIN} whose data lines are part of the statement. */
    public boolean isCopyFromStdin() {
        return copy != null;
    }

    /** The COPY command alone, without its {@code ;} and data. */
    public String copyCommand() {
        return text.substring(0, copy.commandEnd());
    }

    /** The COPY data lines as the server reads them, without the {@code \.} line. */
    public String copyData() {
        return text.substring(copy.dataStart(), text.length() - 2);
    }

    /**
     * The 1-based offset into {@code text}, in characters as the server counts them, of the start
     * of the COPY data's line {@code dataLine} (1-based, as PostgreSQL's "COPY t, line N" counts);
     * clamped to the data.
     */
    public int copyDataLineOffset(int dataLine) {
        int index = copy.dataStart();
        int end = text.length() - 2;
        for (int n = 1; n < dataLine && index < end; n++) {
            int newline = text.indexOf('\n', index);
            if (newline < 0 || newline + 1 >= end) {
                break;
            }
            index = newline + 1;
        }
        return text.codePointCount(0, index) + 1;
    }

    /**
     * Maps a 1-based character offset into {@code text}, as PostgreSQL reports it in an error
     * position, to the place in the file.
     *
     * <p>PostgreSQL counts characters (code points), so a character outside the BMP is one step
     * of the offset but two Java chars of the column. Offsets below 1 map to the start of the
     * text; offsets past the end map to just after its last character, which is where
     * PostgreSQL points for "syntax error at end of input".
     */
    public TextPosition positionAt(int offset) {
        int currentLine = line;
        int currentColumn = column;
        int index = 0;
        for (int step = 1; step < offset && index < text.length(); step++) {
            int width = Character.charCount(text.codePointAt(index));
            if (text.charAt(index) == '\n') {
                currentLine++;
                currentColumn = 1;
            } else {
                currentColumn += width;
            }
            index += width;
        }
        return new TextPosition(currentLine, currentColumn);
    }

    /**
     * Where the statement's code begins, past its leading comments: the line people mean when a
     * message names "the statement", since the ledger text keeps the comments above it.
     */
    public TextPosition codeStart() {
        int i = codeStartIndex();
        return positionAt(text.codePointCount(0, i) + 1);
    }

    /** True when the statement is only comments: the ledger keeps it, the server has nothing to run. */
    public boolean isCommentOnly() {
        return codeStartIndex() == text.length();
    }

    /**
     * True when the statement may change standard_conforming_strings (SET, RESET, DISCARD ALL).
     * The splitter reads the statements after it with the new value, as psql does; the server
     * lexes a multi-statement query whole before running any of it, so those statements must go
     * in a query of their own to be read the same way.
     */
    public boolean changesStandardConformingStrings() {
        return !isCopyFromStdin() && ConformingStrings.mayChange(text);
    }

    /** The first word of the code, past leading comments ("insert", "CREATE", ...), as written; empty if none. */
    public String firstWord() {
        int start = codeStartIndex();
        int end = start;
        while (end < text.length() && Character.isLetter(text.charAt(end))) {
            end++;
        }
        return text.substring(start, end);
    }

    private int codeStartIndex() {
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && text.charAt(i + 1) == '-') {
                while (i < n && text.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                int depth = 0;
                do {
                    if (text.startsWith("/*", i)) {
                        depth++;
                        i += 2;
                    } else if (text.startsWith("*/", i)) {
                        depth--;
                        i += 2;
                    } else {
                        i++;
                    }
                } while (depth > 0 && i < n);
            } else {
                break;
            }
        }
        return Math.min(i, n);
    }
}
