package pgshift.migration;

import java.util.HashSet;
import java.util.Set;

/**
 * Finds DO blocks and procedure calls that commit or roll back by themselves: PostgreSQL allows
 * that only when the DO or CALL runs outside a transaction block, so such a statement cannot run
 * in pgshift's per-file transaction. A procedure is known when the same file created it.
 *
 * <p>A PL/pgSQL body is read with the SQL lexer, which is close enough to PL/pgSQL's own to skip
 * its comments and string literals; COMMIT or ROLLBACK counts where a statement starts. A CALL
 * matches a remembered procedure by its unqualified name only.
 */
final class CommittingCode {

    private final Set<String> committingProcedures = new HashSet<>();

    /** True for a DO block whose code commits or rolls back, or a CALL of a procedure known to. */
    boolean endsTransaction(String statementText, boolean standardConformingStrings) {
        SignificantTokens tokens = new SignificantTokens(statementText, standardConformingStrings);
        if (tokens.is("call")) {
            tokens.advance();
            return committingProcedures.contains(nameTail(tokens));
        }
        if (!tokens.is("do")) {
            return false;
        }
        tokens.advance();
        String language = "plpgsql";
        String body = null;
        while (!tokens.atEnd()) {
            if (tokens.is("language")) {
                tokens.advance();
                language = word(tokens);
            } else if (body == null) {
                body = literal(tokens, standardConformingStrings);
            }
            tokens.advance();
        }
        return "plpgsql".equals(language) && body != null && commits(body, standardConformingStrings);
    }

    /** Takes note of a {@code CREATE [OR REPLACE] PROCEDURE} whose PL/pgSQL body commits or rolls back. */
    void remember(String statementText, boolean standardConformingStrings) {
        SignificantTokens tokens = new SignificantTokens(statementText, standardConformingStrings);
        if (!tokens.is("create")) {
            return;
        }
        tokens.advance();
        if (tokens.is("or")) {
            tokens.advance();
            tokens.advance();
        }
        if (!tokens.is("procedure")) {
            return;
        }
        tokens.advance();
        String name = nameTail(tokens);
        skipParenthesized(tokens);
        String language = null;
        String body = null;
        while (!tokens.atEnd()) {
            if (tokens.is("language")) {
                tokens.advance();
                language = word(tokens);
            } else if (tokens.is("as")) {
                tokens.advance();
                body = literal(tokens, standardConformingStrings);
            }
            tokens.advance();
        }
        // CREATE OR REPLACE may give a known procedure a body that no longer commits.
        if (name != null && "plpgsql".equals(language) && body != null && commits(body, standardConformingStrings)) {
            committingProcedures.add(name);
        } else {
            committingProcedures.remove(name);
        }
    }

    /** True when the code has COMMIT or ROLLBACK, or a CALL of a committing procedure, as a statement. */
    private boolean commits(String code, boolean standardConformingStrings) {
        SignificantTokens tokens = new SignificantTokens(code, standardConformingStrings);
        boolean statementStart = true;
        while (!tokens.atEnd()) {
            if (statementStart && tokens.is("commit", "rollback")) {
                tokens.advance();
                // "commit := 1" assigns to a variable called commit.
                if (!tokens.textIs(":") && !tokens.textIs("=") && !tokens.textIs(".") && !tokens.textIs("[")) {
                    return true;
                }
                statementStart = false;
                continue;
            }
            if (statementStart && tokens.is("call")) {
                tokens.advance();
                if (committingProcedures.contains(nameTail(tokens))) {
                    return true;
                }
                statementStart = false;
                continue;
            }
            statementStart = tokens.kind() == SqlLexer.Kind.SEMICOLON || tokens.is("begin", "then", "else", "loop");
            tokens.advance();
        }
        return false;
    }

    /** The last part of a possibly qualified name, as PostgreSQL folds it; stops after the name. */
    private static String nameTail(SignificantTokens tokens) {
        String name = null;
        while (tokens.kind() == SqlLexer.Kind.WORD || tokens.kind() == SqlLexer.Kind.QUOTED_IDENTIFIER) {
            name = tokens.kind() == SqlLexer.Kind.WORD ? lowerAscii(tokens.text()) : unquote(tokens.text(), '"');
            tokens.advance();
            if (!tokens.textIs(".")) {
                break;
            }
            tokens.advance();
        }
        return name;
    }

    private static void skipParenthesized(SignificantTokens tokens) {
        int depth = 0;
        while (!tokens.atEnd()) {
            if (tokens.kind() == SqlLexer.Kind.OPEN_PAREN) {
                depth++;
            } else if (tokens.kind() == SqlLexer.Kind.CLOSE_PAREN) {
                depth--;
            }
            tokens.advance();
            if (depth <= 0) {
                return;
            }
        }
    }

    /** A language name, written as a word or a string, in lower case. */
    private static String word(SignificantTokens tokens) {
        String text = tokens.text();
        return switch (tokens.kind()) {
            case WORD -> lowerAscii(text);
            case STRING -> text.startsWith("'") ? lowerAscii(unquote(text, '\'')) : null;
            case QUOTED_IDENTIFIER -> unquote(text, '"');
            default -> null;
        };
    }

    /** The value of a string literal, escapes undone closely enough to lex it again; null if not one. */
    private static String literal(SignificantTokens tokens, boolean standardConformingStrings) {
        String text = tokens.text();
        return switch (tokens.kind()) {
            case DOLLAR_STRING -> text.substring(tokens.tagLength(), text.length() - tokens.tagLength());
            case STRING -> text.startsWith("'") ? unescape(text.substring(1, text.length() - 1), !standardConformingStrings) : null;
            case ESCAPE_STRING -> unescape(text.substring(2, text.length() - 1), true);
            default -> null;
        };
    }

    private static String unescape(String content, boolean backslashEscapes) {
        StringBuilder value = new StringBuilder(content.length());
        for (int i = 0; i < content.length(); i++) {
            char c = content.charAt(i);
            if (c == '\'' && i + 1 < content.length() && content.charAt(i + 1) == '\'') {
                i++;
            } else if (c == '\\' && backslashEscapes && i + 1 < content.length()) {
                i++;
                c = switch (content.charAt(i)) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    case 'b', 'f' -> ' ';
                    default -> content.charAt(i);
                };
            }
            value.append(c);
        }
        return value.toString();
    }

    private static String unquote(String text, char quote) {
        String inner = text.substring(1, Math.max(1, text.length() - 1));
        return inner.replace(String.valueOf(quote) + quote, String.valueOf(quote));
    }

    private static String lowerAscii(String text) {
        StringBuilder lower = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            lower.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
        }
        return lower.toString();
    }
}
