package pgshift.migration;

import java.util.Locale;

/**
 * Reads the value of standard_conforming_strings that a statement leaves behind, so each
 * statement is cut with the value the server will read it with when statements are sent one at
 * a time. psql takes the value the server reports at the start of each input line, which is the
 * same for the usual one statement per line; two statements on the line of a SET differ.
 *
 * <p>{@code SET LOCAL} is taken like {@code SET}: it lasts to the end of the transaction, which
 * for pgshift is usually the end of the file (in a file run without a transaction it has no
 * effect at all, which is not followed). A {@code set_config(...)} call, a SET inside a function
 * or DO block, and a ROLLBACK that undoes a SET are not followed either.
 */
final class ConformingStrings {

    private static final String NAME = "standard_conforming_strings";

    private ConformingStrings() {
    }

    /** True when the statement sets or resets standard_conforming_strings, whatever the value before. */
    static boolean mayChange(String statementText) {
        return !after(statementText, true) || after(statementText, false);
    }

    /** The setting after {@code statementText} ran, given the setting it was read with. */
    static boolean after(String statementText, boolean current) {
        SignificantTokens tokens = new SignificantTokens(statementText, current);
        if (tokens.is("reset")) {
            tokens.advance();
            return tokens.is("all") || isName(tokens) ? true : current;
        }
        if (tokens.is("discard")) {
            tokens.advance();
            return tokens.is("all") || current;
        }
        if (!tokens.is("set")) {
            return current;
        }
        tokens.advance();
        if (tokens.is("session", "local")) {
            tokens.advance();
        }
        if (!isName(tokens)) {
            return current;
        }
        tokens.advance();
        if (!tokens.is("to") && !tokens.textIs("=")) {
            return current;
        }
        tokens.advance();
        Boolean value = tokens.is("default") ? Boolean.TRUE : parseBool(unquoted(tokens));
        tokens.advance();
        // Anything after the value (a list, a typo) makes the server refuse the SET.
        return value != null && tokens.atEnd() ? value : current;
    }

    private static boolean isName(SignificantTokens tokens) {
        return tokens.is(NAME) || tokens.kind() == SqlLexer.Kind.QUOTED_IDENTIFIER && tokens.text().equals('"' + NAME + '"');
    }

    private static String unquoted(SignificantTokens tokens) {
        String text = tokens.text();
        return switch (tokens.kind()) {
            case STRING, QUOTED_IDENTIFIER -> text.substring(1, Math.max(1, text.length() - 1));
            case ESCAPE_STRING -> text.substring(2, Math.max(2, text.length() - 1));
            case WORD, OTHER -> text;
            default -> "";
        };
    }

    /** PostgreSQL's parse_bool: a prefix of true, false, yes or no; on, of, off; 1 or 0; any case. */
    static Boolean parseBool(String value) {
        String v = value.toLowerCase(Locale.ROOT);
        if (v.isEmpty()) {
            return null;
        }
        if ("true".startsWith(v) || "yes".startsWith(v) || v.equals("on") || v.equals("1")) {
            return Boolean.TRUE;
        }
        if ("false".startsWith(v) || "no".startsWith(v) || v.equals("of") || v.equals("off") || v.equals("0")) {
            return Boolean.FALSE;
        }
        return null;
    }
}
