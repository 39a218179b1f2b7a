package pgshift.migration;

/**
 * Recognises {@code COPY ... FROM STDIN} and finds the end of the data lines that follow it, as
 * psql does for a script: the data starts on the line after the command's {@code ;} and ends at
 * a line holding only {@code \.}. The data is never lexed as SQL, so quotes, {@code ;},
 * {@code --} or {@code $$} in it cannot confuse the splitter.
 */
final class CopyBlock {

    private enum State { START, IN_COPY, AFTER_FROM, FROM_STDIN, NOT_COPY }

    private State state = State.START;
    private int parenDepth;

    void reset() {
        state = State.START;
        parenDepth = 0;
    }

    /** Takes the token the lexer just read. */
    void see(SqlLexer lexer) {
        SqlLexer.Kind kind = lexer.kind();
        if (kind == SqlLexer.Kind.WHITESPACE || kind == SqlLexer.Kind.LINE_COMMENT
                || kind == SqlLexer.Kind.BLOCK_COMMENT || state == State.NOT_COPY || state == State.FROM_STDIN) {
            return;
        }
        switch (state) {
            case START -> state = lexer.isWord("copy") ? State.IN_COPY : State.NOT_COPY;
            // COPY t FROM 'file' and FROM PROGRAM stay plain statements; a FROM inside a query in
            // parentheses (COPY (SELECT ... FROM x) TO STDOUT) is not COPY's own.
            case AFTER_FROM -> state = lexer.isWord("stdin") ? State.FROM_STDIN : State.IN_COPY;
            default -> {
                if (kind == SqlLexer.Kind.OPEN_PAREN) {
                    parenDepth++;
                } else if (kind == SqlLexer.Kind.CLOSE_PAREN) {
                    parenDepth = Math.max(0, parenDepth - 1);
                } else if (parenDepth == 0 && lexer.isWord("from")) {
                    state = State.AFTER_FROM;
                }
            }
        }
    }

    /** True when the statement read so far is a {@code COPY ... FROM STDIN}: data lines follow its {@code ;}. */
    boolean fromStdin() {
        return state == State.FROM_STDIN;
    }

    /**
     * Where the data that follows a COPY command lies in the window.
     *
     * @param semicolon      index of the command's {@code ;}
     * @param dataStart      index of the first data line
     * @param terminator     index of the {@code \.} line
     * @param afterBlock     index just past the {@code \.} line and its line break
     */
    record Data(int semicolon, int dataStart, int terminator, int afterBlock) {
    }

    /**
     * True when nothing but blanks or a {@code --} comment follows the COPY command's {@code ;} on
     * its line; psql would run anything else after the data, which pgshift does not follow.
     */
    static boolean restOfLineIsBlank(CharSource window, int afterSemicolon) {
        for (int i = afterSemicolon, c = window.charAt(i); c >= 0 && c != '\n'; c = window.charAt(++i)) {
            if (c == '-' && window.charAt(i + 1) == '-') {
                return true;
            }
            if (!SqlLexer.isSpace(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads the data lines after the COPY command's {@code ;} (see {@link #restOfLineIsBlank}).
     *
     * @param afterSemicolon index just past the command's {@code ;}
     * @return the data's place, or null when the input ends before a {@code \.} line
     */
    static Data read(CharSource window, int afterSemicolon) {
        int commandLineEnd = endOfLine(window, afterSemicolon);
        if (window.charAt(commandLineEnd) < 0) {
            return null;
        }
        int dataStart = commandLineEnd + 1;
        for (int line = dataStart; window.charAt(line) >= 0; line = endOfLine(window, line) + 1) {
            int end = endOfLine(window, line);
            if (isTerminator(window, line, end)) {
                return new Data(afterSemicolon - 1, dataStart, line, window.charAt(end) < 0 ? end : end + 1);
            }
            if (window.charAt(end) < 0) {
                return null;
            }
        }
        return null;
    }

    /** psql's end of data: {@code \.} alone on its line, a carriage return before the newline allowed. */
    private static boolean isTerminator(CharSource window, int line, int end) {
        int length = end - line;
        if (length == 3 && window.charAt(line + 2) != '\r') {
            return false;
        }
        return (length == 2 || length == 3) && window.charAt(line) == '\\' && window.charAt(line + 1) == '.';
    }

    /** The index of the newline ending the line that holds {@code from}, or of the end of input. */
    private static int endOfLine(CharSource window, int from) {
        int i = from;
        for (int c = window.charAt(i); c >= 0 && c != '\n'; c = window.charAt(++i)) {
            // scanning
        }
        return i;
    }
}
