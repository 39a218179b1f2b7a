package pgshift.migration;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a migration script into statements, streaming, with the same statement texts the
 * Supabase CLI records in its migration ledger.
 *
 * <p>A statement's raw text runs from just after the previous top-level {@code ;} up to and
 * including its own; its {@link SqlStatement#text()} is that raw text without the trailing
 * {@code ;} and trimmed like Go's {@code strings.TrimSpace}. Texts that trim to nothing are
 * dropped; text after the last {@code ;} (even a lone comment) is a statement of its own.
 * Where Supabase's tokenizer misreads SQL (for example {@code E'it\'s'}), PostgreSQL's lexical
 * rules win, and the splitter follows {@code SET standard_conforming_strings} from the statement
 * after it, as the server does (see {@link ConformingStrings}). A {@code COPY ... FROM stdin;}
 * and the data lines after it, through the {@code \.} line, make one statement (see
 * {@link CopyBlock}); the Supabase CLI has no such rule (it cannot run these blocks at all).
 */
public final class SqlSplitter {

    private final String source;
    private final CharWindow window;
    private final SqlLexer lexer;
    private final StatementBoundary boundary = new StatementBoundary();
    private final CopyBlock copyBlock = new CopyBlock();
    private final ScriptSession session = new ScriptSession();
    /** The no-transaction marker found so far; read from the head before the first statement. */
    private String marker;
    private boolean headRead;
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
     * @throws pgshift.failure.PgshiftException for a psql meta-command, or a quote, dollar quote, quoted
     *                                  identifier or block comment still open at the end of the file
     */
    public SqlStatement next() throws IOException {
        try {
            // A marker at the head is read before the first statement cuts the head away.
            noTransactionMarker();
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

    /**
     * True when the script asks to run without a transaction (see {@link #noTransactionMarker()});
     * known from the first call of {@link #next()} for a marker at the head, and final once
     * {@code next()} has returned null.
     */
    public boolean noTransactionDirective() {
        return noTransactionMarker() != null;
    }

    /**
     * The marker that asks to run the script without a transaction, as it is usually written, or
     * null: {@code -- pgshift:no-transaction} on the first non-blank line, graphile-migrate's
     * {@code --! no-transaction} as the first line after its {@code --! Header} lines, or
     * postgres-migrations' {@code -- postgres-migrations disable-transaction} in any comment.
     */
    public String noTransactionMarker() {
        if (!headRead) {
            headRead = true;
            marker = NoTransactionMarkers.inHead(window);
        }
        return marker;
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
        if (marker == null && (kind == SqlLexer.Kind.LINE_COMMENT || kind == SqlLexer.Kind.BLOCK_COMMENT)) {
            marker = NoTransactionMarkers.inComment(window, lexer.start(), lexer.end());
        }
        copyBlock.see(lexer);
        if (!boundary.endsStatement(lexer)) {
            return null;
        }
        return copyBlock.fromStdin() ? cutCopy(lexer.end()) : cut(lexer.end());
    }

    /** Turns the raw text {@code [0, rawEnd)} into a statement (or null if it is blank) and drops it. */
    private SqlStatement cut(int rawEnd) {
        return cut(rawEnd, rawEnd, null);
    }

    /** Like {@link #cut(int)}, dropping {@code [0, dropEnd)}; {@code copy} is where a COPY block's data lies. */
    private SqlStatement cut(int rawEnd, int dropEnd, CopyBlock.Data copy) {
        LedgerText.Bounds bounds = LedgerText.trimmedBounds(window, rawEnd);
        SqlStatement statement = null;
        if (!bounds.isEmpty()) {
            String text = window.text(bounds.begin(), bounds.end());
            TextPosition at = window.positionOf(bounds.begin());
            if (copy == null) {
                statement = new SqlStatement(text, at.line(), at.column(), session.take(text));
            } else {
                int commandEnd = copy.semicolon() - bounds.begin();
                SqlStatement.CopyText parts = new SqlStatement.CopyText(commandEnd, copy.dataStart() - bounds.begin());
                statement = new SqlStatement(text, at.line(), at.column(),
                        session.take(text.substring(0, commandEnd)), parts);
            }
        }
        window.discard(dropEnd);
        lexer.restart();
        // The server reads a statement with the setting the ones before it left.
        lexer.standardConformingStrings(session.standardConformingStrings());
        boundary.reset();
        copyBlock.reset();
        return statement;
    }

    /** Cuts a COPY ... FROM STDIN together with its data lines and the {@code \.} line ending them. */
    private SqlStatement cutCopy(int afterSemicolon) {
        int start = LedgerText.trimmedBounds(window, afterSemicolon).begin();
        if (!CopyBlock.restOfLineIsBlank(window, afterSemicolon)) {
            throw SplitErrors.textAfterCopy(source, window.positionOf(afterSemicolon));
        }
        CopyBlock.Data data = CopyBlock.read(window, afterSemicolon);
        if (data == null) {
            throw SplitErrors.copyNotEnded(source, window.positionOf(start));
        }
        return cut(data.terminator() + 2, data.afterBlock(), data);
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
        if (window.charAt(end) == '.') {
            return "\\.";
        }
        while (end - lexer.start() < 20 && Character.isLetter(window.charAt(end))) {
            end++;
        }
        return window.text(lexer.start(), end);
    }
}
