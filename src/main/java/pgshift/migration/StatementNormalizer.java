package pgshift.migration;

import java.util.ArrayList;
import java.util.List;

/**
 * Reduces a statement to the form used to tell whether an applied migration was edited,
 * ignoring whitespace and comments.
 *
 * <p>Comments go; every run of whitespace outside literals becomes one space, and that space
 * goes too unless it separates two word characters (letters, digits, {@code _}, {@code $}) or two
 * quotes of the same kind ({@code 'a' 'b'} is not {@code 'a''b'}). String literals and quoted
 * identifiers are kept verbatim; dollar-quoted bodies are normalized like code, since whitespace
 * and comments in a function body are cosmetic. Case is kept.
 */
public final class StatementNormalizer {

    private StatementNormalizer() {
    }

    public static String normalize(String statementText) {
        StringBuilder out = new StringBuilder(statementText.length());
        SqlLexer lexer = new SqlLexer(CharSource.of(statementText));
        boolean spaceBefore = false;
        for (SqlLexer.Kind kind = lexer.next(); kind != SqlLexer.Kind.END; kind = lexer.next()) {
            if (kind == SqlLexer.Kind.WHITESPACE
                    || kind == SqlLexer.Kind.LINE_COMMENT
                    || kind == SqlLexer.Kind.BLOCK_COMMENT) {
                // A comment separates tokens exactly as whitespace does.
                spaceBefore = true;
                continue;
            }
            String token = token(statementText, lexer);
            if (spaceBefore && !out.isEmpty() && needsSpace(out.charAt(out.length() - 1), token.charAt(0))) {
                out.append(' ');
            }
            out.append(token);
            spaceBefore = false;
        }
        return out.toString();
    }

    /** Normalizes each statement and leaves out those that were only comments. */
    public static List<String> normalizeAll(List<String> statements) {
        List<String> normalized = new ArrayList<>(statements.size());
        for (String statement : statements) {
            String form = normalize(statement);
            if (!form.isEmpty()) {
                normalized.add(form);
            }
        }
        return normalized;
    }

    private static String token(String text, SqlLexer lexer) {
        String token = text.substring(lexer.start(), lexer.end());
        if (lexer.kind() != SqlLexer.Kind.DOLLAR_STRING || lexer.unterminated()) {
            return token;
        }
        String tag = token.substring(0, lexer.tagLength());
        String body = token.substring(tag.length(), token.length() - tag.length());
        return tag + normalize(body) + tag;
    }

    private static boolean needsSpace(char left, char right) {
        return isWordChar(left) && isWordChar(right) || left == right && (left == '\'' || left == '"');
    }

    private static boolean isWordChar(char c) {
        return SqlLexer.isIdentifierChar(c);
    }
}
