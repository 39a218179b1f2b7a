package pgshift.migration;

/**
 * Walks the tokens of one statement that carry meaning, skipping whitespace and comments, so
 * keywords are never matched inside literals, comments or quoted identifiers.
 */
final class SignificantTokens {

    private final String text;
    private final SqlLexer lexer;

    SignificantTokens(String text) {
        this(text, true);
    }

    SignificantTokens(String text, boolean standardConformingStrings) {
        this.text = text;
        lexer = new SqlLexer(CharSource.of(text), standardConformingStrings);
        advance();
    }

    void advance() {
        SqlLexer.Kind kind;
        do {
            kind = lexer.next();
        } while (kind == SqlLexer.Kind.WHITESPACE
                || kind == SqlLexer.Kind.LINE_COMMENT
                || kind == SqlLexer.Kind.BLOCK_COMMENT);
    }

    /** True when the current token is one of the unquoted words {@code keywords} (lower case). */
    boolean is(String... keywords) {
        for (String keyword : keywords) {
            if (lexer.isWord(keyword)) {
                return true;
            }
        }
        return false;
    }

    /** True when the current token's text is {@code text}, ignoring ASCII case. */
    boolean textIs(String text) {
        return lexer.textIs(text);
    }

    /** The current token as written. */
    String text() {
        return text.substring(lexer.start(), lexer.end());
    }

    /** The length of the current dollar quote's delimiter, both dollars included. */
    int tagLength() {
        return lexer.tagLength();
    }

    SqlLexer.Kind kind() {
        return lexer.kind();
    }

    boolean atEnd() {
        return lexer.kind() == SqlLexer.Kind.END;
    }
}
