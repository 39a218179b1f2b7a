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
 * and comments in a function body are cosmetic. Case is kept. The data lines of a
 * {@code COPY ... FROM stdin} block are kept verbatim.
 */
public final class StatementNormalizer {

    private StatementNormalizer() {
    }

    public static String normalize(String statementText) {
        return normalize(statementText, true);
    }

    /** Normalizes a statement read with standard_conforming_strings {@code on} or off. */
    static String normalize(String statementText, boolean standardConformingStrings) {
        StringBuilder out = new StringBuilder(statementText.length());
        SqlLexer lexer = new SqlLexer(CharSource.of(statementText), standardConformingStrings);
        boolean spaceBefore = false;
        CopyBlock copy = new CopyBlock();
        for (SqlLexer.Kind kind = lexer.next(); kind != SqlLexer.Kind.END; kind = lexer.next()) {
            copy.see(lexer);
            if (kind == SqlLexer.Kind.SEMICOLON && copy.fromStdin()) {
                // What follows is COPY data, where a tab, a space or "--" is a value: every char counts.
                return out.append(statementText, lexer.start(), statementText.length()).toString();
            }
            if (kind == SqlLexer.Kind.WHITESPACE
                    || kind == SqlLexer.Kind.LINE_COMMENT
                    || kind == SqlLexer.Kind.BLOCK_COMMENT) {
                // A comment separates tokens exactly as whitespace does.
                spaceBefore = true;
                continue;
            }
            String token = token(statementText, lexer, standardConformingStrings);
            if (spaceBefore && !out.isEmpty() && needsSpace(out.charAt(out.length() - 1), token.charAt(0))) {
                out.append(' ');
            }
            out.append(token);
            spaceBefore = false;
        }
        return out.toString();
    }

    /**
     * Normalizes a script's statements in order and leaves out those that were only comments;
     * like the splitter, it reads each with the standard_conforming_strings the ones before left.
     */
    public static List<String> normalizeAll(List<String> statements) {
        List<String> normalized = new ArrayList<>(statements.size());
        boolean standardConformingStrings = true;
        for (String statement : statements) {
            String form = normalize(statement, standardConformingStrings);
            if (!form.isEmpty()) {
                normalized.add(form);
            }
            standardConformingStrings = ConformingStrings.after(statement, standardConformingStrings);
        }
        return normalized;
    }

    private static String token(String text, SqlLexer lexer, boolean standardConformingStrings) {
        String token = text.substring(lexer.start(), lexer.end());
        if (lexer.kind() != SqlLexer.Kind.DOLLAR_STRING || lexer.unterminated()) {
            return token;
        }
        String tag = token.substring(0, lexer.tagLength());
        String body = token.substring(tag.length(), token.length() - tag.length());
        return tag + normalize(body, standardConformingStrings) + tag;
    }

    private static boolean needsSpace(char left, char right) {
        return isWordChar(left) && isWordChar(right) || left == right && (left == '\'' || left == '"');
    }

    private static boolean isWordChar(char c) {
        return SqlLexer.isIdentifierChar(c);
    }

    /** The start of a statement for a one-line message: comments and extra whitespace removed. */
    public static String firstWords(String text) {
        String normalized = normalize(text);
        return normalized.length() <= 60 ? normalized : normalized.substring(0, 57) + "...";
    }
}
