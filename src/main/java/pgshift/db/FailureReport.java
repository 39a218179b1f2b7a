package pgshift.db;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import pgshift.config.Secrets;
import pgshift.migration.SqlStatement;
import pgshift.migration.TextPosition;

/**
 * Formats a failed statement the way a developer wants to read it: file:line:column, the
 * server's SQLSTATE, message, detail, hint and context, and the statement with a caret.
 */
public final class FailureReport {

    private static final int EXCERPT_LINES = 4;

    /*
     * In CREATE/ALTER ROLE, USER or GROUP, what follows PASSWORD is a password even when it is not
     * quoted: that is a syntax error, and the server's message quotes it back ("at or near ...").
     * Elsewhere "password" is usually a column, so a bare word after it is left alone.
     */
    private static final Pattern ROLE_STATEMENT = Pattern.compile(
            "(?is)(?:\\s|--[^\\n]*+\\n|/\\*.*?\\*/)*(?:create|alter)\\s+(?:role|user|group)\\b");
    private static final Pattern BARE_PASSWORD = Pattern.compile(
            "(?i)\\b(?<key>password\\s+)(?!null\\b|'|e'|u&'|\\$)(?<word>\"(?:[^\"]|\"\")*+\"?|[^\\s;,()'\"$]+)");

    private FailureReport() {
    }

    /** The report, without a verdict line: the caller says what was rolled back or committed. */
    public static String format(String file, StatementFailure failure) {
        SQLException error = failure.error();
        ServerErrorMessage server = error instanceof PSQLException p ? p.getServerErrorMessage() : null;
        SqlStatement statement = failure.statement();
        StringBuilder out = new StringBuilder();
        if (statement == null) {
            List<SqlStatement> sent = failure.sentTogether();
            out.append(file).append(':').append(sent.get(0).line()).append(": one of the statements on lines ")
                    .append(sent.get(0).line()).append('-').append(sent.get(sent.size() - 1).line())
                    .append(" failed (the server did not say which)\n");
        } else {
            int position = failure.position();
            TextPosition at = position > 0 ? statement.positionAt(position)
                    : statement.codeStart();
            out.append(file).append(':').append(at.line()).append(':').append(at.column()).append('\n');
        }
        List<String> bare = statement == null ? List.of() : barePasswords(statement.text());
        out.append("  ERROR:   ").append(mask(server != null ? server.getMessage() : error.getMessage(), bare));
        String state = error.getSQLState();
        if (state != null) {
            out.append(" (SQLSTATE ").append(state).append(')');
        }
        out.append('\n');
        if (server != null) {
            appendField(out, "DETAIL:  ", mask(server.getDetail(), bare));
            appendField(out, "HINT:    ", mask(server.getHint(), bare));
            appendField(out, "CONTEXT: ", mask(server.getWhere(), bare));
        }
        if (statement != null) {
            out.append(excerpt(statement, failure.position()));
        }
        return out.toString();
    }

    private static void appendField(StringBuilder out, String label, String value) {
        if (value != null && !value.isBlank()) {
            out.append("  ").append(label).append(value.replace("\n", "\n           ")).append('\n');
        }
    }

    /**
     * The statement's lines up to the error (at most a few), numbered as in the file, with a caret
     * under the error position; the first lines of the statement when there is no position.
     * Passwords are masked in the statement as a whole (a literal may sit on the line after
     * PASSWORD), and the caret is placed in the masked line.
     */
    static String excerpt(SqlStatement statement, int position) {
        // The first line starts where the statement starts in the file, so that columns match.
        String text = " ".repeat(statement.column() - 1) + statement.text();
        boolean role = ROLE_STATEMENT.matcher(statement.text()).lookingAt();
        String[] lines = maskSql(text, role).split("\r?\n", -1);
        int errorIndex;
        int caretColumn;
        if (position > 0) {
            TextPosition at = statement.positionAt(position);
            errorIndex = Math.min(at.line() - statement.line(), lines.length - 1);
            caretColumn = maskedColumn(text, role, errorIndex, at.column());
        } else {
            // No position (a runtime error such as a unique violation): show where the statement's code begins.
            int codeIndex = Math.min(statement.codeStart().line() - statement.line(), lines.length - 1);
            errorIndex = Math.min(codeIndex + EXCERPT_LINES, lines.length) - 1;
            caretColumn = 0;
        }
        int first = Math.max(0, errorIndex - EXCERPT_LINES + 1);
        int width = String.valueOf(statement.line() + errorIndex).length();
        StringBuilder out = new StringBuilder();
        for (int i = first; i <= errorIndex; i++) {
            out.append("  ").append(pad(String.valueOf(statement.line() + i), width)).append(" | ")
                    .append(lines[i]).append('\n');
        }
        if (caretColumn > 0) {
            String line = lines[errorIndex];
            StringBuilder caret = new StringBuilder();
            for (int c = 0; c < caretColumn - 1 && c < line.length(); c++) {
                caret.append(line.charAt(c) == '\t' ? '\t' : ' ');
            }
            out.append("  ").append(" ".repeat(width)).append(" | ").append(caret).append("^\n");
        } else if (errorIndex < lines.length - 1) {
            out.append("  ").append(" ".repeat(width)).append(" | ...\n");
        }
        return out.toString();
    }

    /**
     * Where column {@code column} of line {@code lineIndex} of {@code text} is once the text is
     * masked: a password masked earlier on the line moves what follows it.
     */
    private static int maskedColumn(String text, boolean role, int lineIndex, int column) {
        int offset = 0;
        for (int i = 0; i < lineIndex && offset >= 0; i++) {
            offset = text.indexOf('\n', offset);
            offset = offset < 0 ? -1 : offset + 1;
        }
        if (offset < 0) {
            return column;
        }
        String before = maskSql(text.substring(0, Math.min(text.length(), offset + column - 1)), role);
        return before.length() - (before.lastIndexOf('\n') + 1) + 1;
    }

    private static String maskSql(String text, boolean roleStatement) {
        String masked = Secrets.mask(text);
        return roleStatement
                ? BARE_PASSWORD.matcher(masked).replaceAll("${key}" + Matcher.quoteReplacement(Secrets.MASK))
                : masked;
    }

    /** The unquoted words after PASSWORD in a role statement, which the server may quote back. */
    private static List<String> barePasswords(String sql) {
        List<String> words = new ArrayList<>();
        if (ROLE_STATEMENT.matcher(sql).lookingAt()) {
            Matcher m = BARE_PASSWORD.matcher(sql);
            while (m.find()) {
                words.add(m.group("word"));
            }
        }
        return words;
    }

    /** A server field as it may be shown: masked, and a bare password it quotes back is masked too. */
    private static String mask(String text, List<String> barePasswords) {
        String masked = Secrets.mask(text);
        for (String word : barePasswords) {
            masked = masked == null ? null : masked.replace('"' + word + '"', '"' + Secrets.MASK + '"');
        }
        return masked;
    }

    private static String pad(String s, int width) {
        return " ".repeat(Math.max(0, width - s.length())) + s;
    }
}
