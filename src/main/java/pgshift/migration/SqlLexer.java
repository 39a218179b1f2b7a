package pgshift.migration;

/**
 * Cuts SQL text into PostgreSQL tokens, just far enough to tell code from literals and comments.
 *
 * <p>Follows the server's lexer (scan.l): identifiers may contain {@code $}, so a dollar quote
 * only starts a token; {@code E'...'} honours backslash escapes, and plain strings do too when
 * standard_conforming_strings is off (it is on by default), while {@code B'..'}, {@code X'..'}
 * and {@code U&'..'} never do; block comments nest. Bytes from 0x80 up count as identifier
 * letters, as they do in the server.
 */
final class SqlLexer {

    /** What a token is; operators, numbers and other punctuation are all {@code OTHER}. */
    enum Kind {
        WHITESPACE, LINE_COMMENT, BLOCK_COMMENT, WORD, QUOTED_IDENTIFIER, STRING, ESCAPE_STRING,
        DOLLAR_STRING, OPEN_PAREN, CLOSE_PAREN, SEMICOLON, BACKSLASH, OTHER, END
    }

    private final CharSource source;
    private int position;
    private int start;
    private Kind kind = Kind.END;
    private boolean unterminated;
    private int tagLength;
    private boolean standardConformingStrings = true;

    SqlLexer(CharSource source) {
        this.source = source;
    }

    SqlLexer(CharSource source, boolean standardConformingStrings) {
        this.source = source;
        this.standardConformingStrings = standardConformingStrings;
    }

    /** Sets standard_conforming_strings for the tokens read from now on: off, a backslash escapes in '...'. */
    void standardConformingStrings(boolean on) {
        standardConformingStrings = on;
    }

    boolean standardConformingStrings() {
        return standardConformingStrings;
    }

    /** Reads the next token; returns {@link Kind#END} at the end of input, and keeps doing so. */
    Kind next() {
        start = position;
        unterminated = false;
        tagLength = 0;
        kind = scan();
        return kind;
    }

    /** Starts again at index 0, after the source dropped everything before the current position. */
    void restart() {
        position = 0;
        start = 0;
    }

    Kind kind() {
        return kind;
    }

    int start() {
        return start;
    }

    int end() {
        return position;
    }

    /** True when the input ended inside this quote, dollar quote or block comment. */
    boolean unterminated() {
        return unterminated;
    }

    /** The length of a dollar-quote delimiter such as {@code $body$}, both dollars included. */
    int tagLength() {
        return tagLength;
    }

    /** True when the token is the unquoted word {@code keyword} (lower-case ASCII), in any case. */
    boolean isWord(String keyword) {
        return kind == Kind.WORD && textIs(keyword);
    }

    /** True when the token's text equals {@code text} (lower-case ASCII), ignoring ASCII case. */
    boolean textIs(String text) {
        if (position - start != text.length()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (lowerAscii(source.charAt(start + i)) != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private Kind scan() {
        int c = source.charAt(position);
        if (c < 0) {
            return Kind.END;
        }
        if (isSpace(c)) {
            do {
                position++;
            } while (isSpace(source.charAt(position)));
            return Kind.WHITESPACE;
        }
        switch (c) {
            case '-':
                return source.charAt(position + 1) == '-' ? lineComment() : single(Kind.OTHER);
            case '/':
                return source.charAt(position + 1) == '*' ? blockComment() : single(Kind.OTHER);
            case '\'':
                return quoted(position + 1, '\'', !standardConformingStrings, Kind.STRING);
            case '"':
                return quoted(position + 1, '"', false, Kind.QUOTED_IDENTIFIER);
            case '$':
                return dollar();
            case '(':
                return single(Kind.OPEN_PAREN);
            case ')':
                return single(Kind.CLOSE_PAREN);
            case ';':
                return single(Kind.SEMICOLON);
            case '\\':
                return single(Kind.BACKSLASH);
            default:
                break;
        }
        if (isDigit(c)) {
            return number();
        }
        return isIdentifierStart(c) ? wordOrEscapeString(c) : single(Kind.OTHER);
    }

    private Kind single(Kind singleKind) {
        position++;
        return singleKind;
    }

    private Kind lineComment() {
        position += 2;
        for (int c = source.charAt(position); c >= 0 && c != '\n' && c != '\r'; c = source.charAt(position)) {
            position++;
        }
        return Kind.LINE_COMMENT;
    }

    private Kind blockComment() {
        int depth = 0;
        while (true) {
            int c = source.charAt(position);
            if (c < 0) {
                unterminated = true;
                return Kind.BLOCK_COMMENT;
            }
            int following = c == '/' || c == '*' ? source.charAt(position + 1) : -1;
            if (c == '/' && following == '*') {
                depth++;
                position += 2;
            } else if (c == '*' && following == '/') {
                depth--;
                position += 2;
                if (depth == 0) {
                    return Kind.BLOCK_COMMENT;
                }
            } else {
                position++;
            }
        }
    }

    /** Scans from just after an opening quote; a doubled quote stands for itself. */
    private Kind quoted(int from, char quote, boolean backslashEscapes, Kind quotedKind) {
        position = from;
        while (true) {
            int c = source.charAt(position);
            if (c < 0) {
                unterminated = true;
                return quotedKind;
            }
            position++;
            if (c == '\\' && backslashEscapes) {
                if (source.charAt(position) >= 0) {
                    position++;
                }
            } else if (c == quote) {
                if (source.charAt(position) != quote) {
                    return quotedKind;
                }
                position++;
            }
        }
    }

    private Kind dollar() {
        int after = position + 1;
        // A tag cannot start with a digit: $1 is a positional parameter.
        if (isIdentifierStart(source.charAt(after))) {
            do {
                after++;
            } while (isTagChar(source.charAt(after)));
        }
        if (source.charAt(after) != '$') {
            return single(Kind.OTHER);
        }
        tagLength = after + 1 - start;
        position = after + 1;
        while (true) {
            int d = source.charAt(position);
            if (d < 0) {
                unterminated = true;
                return Kind.DOLLAR_STRING;
            }
            if (d == '$' && closesTag(position)) {
                position += tagLength;
                return Kind.DOLLAR_STRING;
            }
            position++;
        }
    }

    private boolean closesTag(int at) {
        for (int i = 0; i < tagLength; i++) {
            if (source.charAt(at + i) != source.charAt(start + i)) {
                return false;
            }
        }
        return true;
    }

    private Kind number() {
        do {
            position++;
        } while (isNumberChar(source.charAt(position)));
        return Kind.OTHER;
    }

    /**
     * An {@code E'...'} string when the E starts the token. {@code B'..'}, {@code X'..'} and
     * {@code U&'..'} are plain strings that ignore standard_conforming_strings (scan.l gives them
     * states of their own); {@code N'..'} is a word and a plain string, as in scan.l.
     */
    private Kind wordOrEscapeString(int c) {
        int next = source.charAt(position + 1);
        if ((c == 'e' || c == 'E') && next == '\'') {
            return quoted(position + 2, '\'', true, Kind.ESCAPE_STRING);
        }
        if ((c == 'b' || c == 'B' || c == 'x' || c == 'X') && next == '\'') {
            return quoted(position + 2, '\'', false, Kind.STRING);
        }
        if ((c == 'u' || c == 'U') && next == '&' && source.charAt(position + 2) == '\'') {
            return quoted(position + 3, '\'', false, Kind.STRING);
        }
        do {
            position++;
        } while (isIdentifierChar(source.charAt(position)));
        return Kind.WORD;
    }

    /** PostgreSQL's whitespace: space, tab, newline, carriage return, form feed, vertical tab. */
    static boolean isSpace(int c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }

    static boolean isIdentifierChar(int c) {
        return isTagChar(c) || c == '$';
    }

    private static boolean isIdentifierStart(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    }

    private static boolean isTagChar(int c) {
        return isIdentifierStart(c) || isDigit(c);
    }

    private static boolean isNumberChar(int c) {
        return isTagChar(c) && c < 0x80 || c == '.';
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static int lowerAscii(int c) {
        return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    }
}
