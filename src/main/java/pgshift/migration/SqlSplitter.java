package pgshift.migration;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits a migration script into statements, streaming, with the same statement texts the
 * Supabase CLI records in its migration ledger.
 *
 * <p>A statement's raw text runs from just after the previous top-level {@code ;} up to and
 * including its own; its {@link SqlStatement#text()} is that raw text without the trailing
 * {@code ;} and trimmed like Go's {@code strings.TrimSpace}. Texts that trim to nothing are
 * dropped; text after the last {@code ;} (even a lone comment) is a statement of its own.
 * Where Supabase's tokenizer misreads SQL (for example {@code E'it\'s'}), PostgreSQL's lexical
 * rules win, and like psql the splitter follows {@code SET standard_conforming_strings} from the
 * statement after it (see {@link ConformingStrings}).
 */
public final class SqlSplitter {

    private static final Pattern NO_TRANSACTION_DIRECTIVE =
            Pattern.compile("--\\s*pgshift\\s*:\\s*no-transaction\\s*", Pattern.CASE_INSENSITIVE);
    /** Longer first lines cannot be the directive; stop reading there instead of buffering them. */
    private static final int DIRECTIVE_MAX_LENGTH = 200;

    private final String source;
    private final CharWindow window;
    private final SqlLexer lexer;
    private final StatementBoundary boundary = new StatementBoundary();
    private final ScriptSession session = new ScriptSession();
    private Boolean noTransactionDirective;
    private boolean finished;

    /**
     * @param reader the script, BOM already dropped (see {@link ScriptReader}); not closed here
     * @param source the file name used in error messages
     */
    public SqlSplitter(Reader reader, String source) {
        this.source = source;
        this.window = new CharWindow(reader);
        this.lexer = new SqlLexer(window);
    }

    /** Splits a whole script held in memory. */
    public static List<SqlStatement> split(String script, String source) {
        SqlSplitter splitter = new SqlSplitter(new StringReader(script), source);
        List<SqlStatement> statements = new ArrayList<>();
        try {
            for (SqlStatement statement = splitter.next(); statement != null; statement = splitter.next()) {
                statements.add(statement);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("a StringReader does not fail", e);
        }
        return statements;
    }

    /**
     * Returns the next statement, or {@code null} at the end of the script.
     *
     * @throws pgshift.PgshiftException for a psql meta-command, or a quote, dollar quote, quoted
     *                                  identifier or block comment still open at the end of the file
     */
    public SqlStatement next() throws IOException {
        try {
            // The directive is read from the first line, which the first statement cuts away.
            noTransactionDirective();
            while (!finished) {
                SqlStatement statement = advance();
                if (statement != null) {
                    return statement;
                }
            }
            return null;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** True when the first non-blank line of the script is {@code -- pgshift:no-transaction}. */
    public boolean noTransactionDirective() {
        if (noTransactionDirective == null) {
            noTransactionDirective = readDirective();
        }
        return noTransactionDirective;
    }

    private boolean readDirective() {
        int index = 0;
        while (LedgerText.isSpace(window.charAt(index))) {
            index++;
        }
        int lineStart = index;
        while (index - lineStart < DIRECTIVE_MAX_LENGTH && window.charAt(index) >= 0 && window.charAt(index) != '\n') {
            index++;
        }
        return NO_TRANSACTION_DIRECTIVE.matcher(window.text(lineStart, index)).matches();
    }

    /** Reads one token; returns a statement when that token completed one. */
    private SqlStatement advance() {
        SqlLexer.Kind kind = lexer.next();
        if (kind == SqlLexer.Kind.END) {
            finished = true;
            return cut(lexer.start());
        }
        if (lexer.unterminated()) {
            throw SplitErrors.unterminated(source, window.positionOf(lexer.start()), kind, opening(kind));
        }
        if (kind == SqlLexer.Kind.BACKSLASH) {
            throw SplitErrors.metaCommand(source, window.positionOf(lexer.start()), metaCommandName());
        }
        return boundary.endsStatement(lexer) ? cut(lexer.end()) : null;
    }

    /** Turns the raw text {@code [0, rawEnd)} into a statement (or null if it is blank) and drops it. */
    private SqlStatement cut(int rawEnd) {
        LedgerText.Bounds bounds = LedgerText.trimmedBounds(window, rawEnd);
        SqlStatement statement = null;
        if (!bounds.isEmpty()) {
            String text = window.text(bounds.begin(), bounds.end());
            TextPosition at = window.positionOf(bounds.begin());
            statement = new SqlStatement(text, at.line(), at.column(), session.take(text));
        }
        window.discard(rawEnd);
        lexer.restart();
        // Like psql, which lexes each statement with the setting the server reported after the last.
        lexer.standardConformingStrings(session.standardConformingStrings());
        boundary.reset();
        return statement;
    }

    /** The delimiter that opened an unterminated token, such as {@code E'} or {@code $body$}. */
    private String opening(SqlLexer.Kind kind) {
        int start = lexer.start();
        if (kind == SqlLexer.Kind.DOLLAR_STRING) {
            return window.text(start, start + lexer.tagLength());
        }
        if (kind == SqlLexer.Kind.BLOCK_COMMENT) {
            return "/*";
        }
        int quote = start;
        while (window.charAt(quote) != '\'' && window.charAt(quote) != '"') {
            quote++;
        }
        return window.text(start, quote + 1);
    }

    private String metaCommandName() {
        int end = lexer.end();
        while (end - lexer.start() < 20 && Character.isLetter(window.charAt(end))) {
            end++;
        }
        return window.text(lexer.start(), end);
    }
}
