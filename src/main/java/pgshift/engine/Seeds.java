package pgshift.engine;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import pgshift.db.FailureReport;
import pgshift.db.LockWaitWatch;
import pgshift.db.StatementFailure;
import pgshift.db.StatementRunner;
import pgshift.failure.PgshiftException;
import pgshift.migration.ScriptReader;
import pgshift.migration.SqlSplitter;
import pgshift.migration.SqlStatement;

/**
 * Seed data: finds a project's seed files and loads each in one transaction of its own, through
 * the same splitter, statement runner (COPY blocks included) and failure reports as migrations,
 * writing nothing to the ledger.
 */
public final class Seeds {

    /** The seed file's name, beside the migrations folder ({@code supabase/seed.sql} in a Supabase layout). */
    public static final String DEFAULT_NAME = "seed.sql";

    /** What a seed file may leave in the session, undone before the next one and before the caller goes on. */
    private static final String RESET_SESSION = "SET SESSION AUTHORIZATION DEFAULT; RESET ALL";

    private Seeds() {
    }

    /**
     * What keeps a seed file from waiting forever for a lock another session holds (the app on the
     * embedded server, a shell in another terminal): as for migrations, a second connection
     * names the holder and the statement is cancelled after {@code tableLockTimeout}.
     */
    public record LockGuard(Supplier<Connection> aside, Duration tableLockTimeout) {
    }

    /**
     * The seed files to load, in order: none with {@code noSeed}; those {@code seedArgs} name
     * (paths or globs relative to {@code workingDir}; each glob's matches sorted by name; a file
     * named twice loads once); else {@code seed.sql} beside the migrations folder when it exists,
     * which in a Supabase layout ({@code <root>/supabase/migrations}) is the Supabase CLI's
     * default {@code supabase/seed.sql}.
     *
     * @throws PgshiftException for a glob that matches no file, a named file that does not exist,
     *                          or {@code --seed} together with {@code --no-seed}
     */
    public static List<Path> find(Path migrationsDir, List<String> seedArgs, boolean noSeed, Path workingDir) {
        List<String> args = seedArgs == null ? List.of() : seedArgs;
        if (noSeed) {
            if (!args.isEmpty()) {
                throw PgshiftException.usage("--seed and --no-seed contradict each other: pass --seed PATH to choose "
                        + "the seed files, or --no-seed to load none.");
            }
            return List.of();
        }
        if (args.isEmpty()) {
            Path seed = defaultSeed(migrationsDir);
            return Files.isRegularFile(seed) ? List.of(seed) : List.of();
        }
        Set<Path> files = new LinkedHashSet<>();
        for (String arg : args) {
            files.addAll(SeedGlob.isGlob(arg) ? SeedGlob.matches(arg, workingDir) : List.of(named(arg, workingDir)));
        }
        return List.copyOf(files);
    }

    /** Where the default seed file is looked for: {@code seed.sql} in the migrations folder's parent. */
    public static Path defaultSeed(Path migrationsDir) {
        return migrationsDir.toAbsolutePath().normalize().resolveSibling(DEFAULT_NAME);
    }

    /**
     * Loads the files in order, each in a transaction of its own, and says one line per file.
     * The first failing file is rolled back and stops the seeding; the files before it stay.
     * The connection's session settings and auto-commit mode are restored after each file.
     *
     * @param display how a file is named in messages
     * @param out     hears one line per loaded file
     * @throws PgshiftException with the failure report (file:line:col, SQLSTATE, the statement)
     *                          and what the failure left loaded
     */
    public static void run(Connection conn, List<Path> files, Function<Path, String> display, Consumer<String> out)
            throws SQLException {
        run(conn, files, display, out, null);
    }

    /** Like {@link #run(Connection, List, Function, Consumer)}, with lock waits watched when {@code guard} is given. */
    public static void run(Connection conn, List<Path> files, Function<Path, String> display, Consumer<String> out,
                           LockGuard guard) throws SQLException {
        for (int i = 0; i < files.size(); i++) {
            String shown = display.apply(files.get(i));
            try {
                out.accept(load(conn, files.get(i), shown, guard, out));
            } catch (PgshiftException e) {
                throw new PgshiftException(e.kind(), e.getMessage() + "\n" + leftBehind(files, i, display), e);
            }
        }
    }

    /** Loads one seed file; returns its line for the output. */
    private static String load(Connection conn, Path file, String shown, LockGuard guard, Consumer<String> out)
            throws SQLException {
        List<SqlStatement> statements = body(split(file, shown), shown);
        boolean wasAutoCommit = conn.getAutoCommit();
        long start = System.nanoTime();
        long rows;
        conn.setAutoCommit(false);
        LockWaitWatch watch = guard == null ? null : LockWaitWatch.start(guard.aside(),
                conn.unwrap(org.postgresql.PGConnection.class).getBackendPID(), guard.tableLockTimeout(), out);
        try {
            // The runner is closed (its background sending ended) before a rollback uses the connection.
            try (StatementRunner runner = new StatementRunner(conn)) {
                for (SqlStatement statement : statements) {
                    runner.add(statement);
                }
                runner.flush();
                rows = runner.rowsWritten();
            }
            commit(conn, statements);
        } catch (StatementFailure failure) {
            rollbackQuietly(conn);
            String blocked = watch == null ? null : watch.explain(failure.error());
            throw PgshiftException.migration(FailureReport.format(shown, failure) + "Rolled back: nothing from "
                    + shown + " was loaded." + (blocked == null ? "" : " " + blocked));
        } finally {
            if (watch != null) {
                watch.close();
            }
            restoreSession(conn, wasAutoCommit);
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        return "Seeded " + shown + ": " + statements.size() + " statement(s), " + rows + " row(s) written, " + ms
                + " ms.";
    }

    /** Commits; a deferred constraint that fails there belongs to no one statement the server names. */
    private static void commit(Connection conn, List<SqlStatement> statements) throws SQLException, StatementFailure {
        try {
            conn.commit();
        } catch (SQLException e) {
            if (statements.isEmpty()) {
                throw e;
            }
            throw new StatementFailure(null, statements, e, 0);
        }
    }

    private static List<SqlStatement> split(Path file, String shown) {
        try (Reader reader = ScriptReader.open(file)) {
            SqlSplitter splitter = new SqlSplitter(reader, shown);
            List<SqlStatement> statements = new ArrayList<>();
            for (SqlStatement s = splitter.next(); s != null; s = splitter.next()) {
                if (!s.isCommentOnly()) {
                    statements.add(s);
                }
            }
            return statements;
        } catch (IOException e) {
            throw PgshiftException.config("Cannot read the seed file " + shown + ": " + e.getMessage()
                    + ". Check that it exists and is readable, or pass --no-seed.");
        }
    }

    /**
     * The statements to run in the file's transaction: a BEGIN ... COMMIT around the whole file is
     * dropped (the transaction is pgshift's); any other transaction control, or a statement that
     * cannot run in a transaction, is refused before anything runs.
     */
    private static List<SqlStatement> body(List<SqlStatement> statements, String shown) {
        int last = statements.size() - 1;
        boolean wrapped = last > 0 && isControl(statements.get(0), "begin", "start")
                && isControl(statements.get(last), "commit", "end");
        List<SqlStatement> body = wrapped ? statements.subList(1, last) : statements;
        for (SqlStatement s : body) {
            if (s.txMode() != SqlStatement.TxMode.NORMAL) {
                var at = s.codeStart();
                throw PgshiftException.migration(shown + ":" + at.line() + ":" + at.column() + ": "
                        + s.firstWord().toUpperCase(java.util.Locale.ROOT) + " cannot run in the one transaction a "
                        + "seed file runs in (a seed file loads whole or not at all). Remove it; a single "
                        + "BEGIN ... COMMIT around the whole file is fine. Nothing from " + shown + " was loaded.");
            }
        }
        return body;
    }

    private static boolean isControl(SqlStatement s, String... words) {
        return s.txMode() == SqlStatement.TxMode.TRANSACTION_CONTROL
                && List.of(words).contains(s.firstWord().toLowerCase(java.util.Locale.ROOT));
    }

    /** What a failure at file {@code failed} leaves: the files before it loaded, the ones after not run. */
    private static String leftBehind(List<Path> files, int failed, Function<Path, String> display) {
        List<String> before = files.subList(0, failed).stream().map(display).toList();
        int after = files.size() - failed - 1;
        String loaded = before.isEmpty() ? "No seed file was loaded before it."
                : "Seed file(s) loaded before it stay loaded: " + String.join(", ", before) + ".";
        return loaded + (after > 0 ? " " + after + " later seed file(s) not run." : "")
                + " Fix the file, then reset the database to load the seeds again.";
    }

    private static void rollbackQuietly(Connection conn) {
        try {
            conn.rollback();
        } catch (SQLException ignored) {
            // The connection may be gone; the server rolls back an open transaction when it goes.
        }
    }

    /** Undoes the seed's SET, SET ROLE and search_path changes (pg_dump writes them) for whoever uses the connection next. */
    private static void restoreSession(Connection conn, boolean autoCommit) throws SQLException {
        if (conn.isClosed()) {
            return;
        }
        rollbackQuietly(conn); // nothing is open after a commit; after a failure, the aborted transaction goes
        try {
            conn.setAutoCommit(true);
            try (Statement st = conn.createStatement()) {
                st.execute(RESET_SESSION);
            }
            conn.setAutoCommit(autoCommit);
        } catch (SQLException e) {
            // A lost connection has no session left to reset, and must not hide the report of what failed.
            if (!pgshift.db.RunFailures.isConnectionLost(e) && !conn.isClosed()) {
                throw e;
            }
        }
    }

    private static Path named(String arg, Path workingDir) {
        Path file = workingDir.resolve(arg).toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw PgshiftException.usage("--seed " + arg + ": no such file (looked for " + file + "). Name an "
                    + "existing seed file, relative to the current folder, or a glob such as 'seeds/*.sql'.");
        }
        return file;
    }
}
