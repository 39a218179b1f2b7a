package pgshift.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import pgshift.config.DatabaseUrl;

/**
 * A fresh test database and a migrations folder beside it, with helpers to write files and query.
 * Registered as {@code @RegisterExtension final MigrationDb db = new MigrationDb();} it makes both
 * before each test, the database named after the test, and deletes the folder after it.
 */
public final class MigrationDb implements BeforeEachCallback, AfterEachCallback {

    private Path workDir;
    private Path folder;
    private DatabaseUrl url;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        workDir = Files.createTempDirectory("pgshift-it-");
        folder = Files.createDirectories(workDir.resolve("migrations"));
        url = TestPostgres.freshDatabase(context.getTestMethod().orElseThrow().getName());
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        try (Stream<Path> files = Files.walk(workDir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    public Path workDir() {
        return workDir;
    }

    public Path folder() {
        return folder;
    }

    public DatabaseUrl url() {
        return url;
    }

    public String urlString() {
        return TestPostgres.urlString(url);
    }

    public Path write(String fileName, String sql) throws IOException {
        return Files.writeString(folder.resolve(fileName), sql, StandardCharsets.UTF_8);
    }

    /** Runs pgshift in-process against this database and folder. */
    public Cli.Result pgshift(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--database-url";
        all[1] = urlString();
        System.arraycopy(args, 0, all, 2, args.length);
        return Cli.run(workDir, all);
    }

    /** The first column of every row, as text. */
    public List<String> column(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = TestPostgres.connect(url); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    public String value(String sql) throws SQLException {
        List<String> values = column(sql);
        return values.isEmpty() ? null : values.get(0);
    }

    public void execute(String sql) throws SQLException {
        try (Connection c = TestPostgres.connect(url); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static final long GATE_KEY = 4242;
    /** A statement for a migration file: it waits there while the test holds {@link #closeTheGate()}. */
    public static final String GATE = "select pg_advisory_xact_lock(" + GATE_KEY + ");\n";
    /** pgshift's migration lock as pg_locks shows an advisory lock on a bigint: its two halves. */
    private static final long LOCK_KEY = 0x7067736869660001L;

    /** Holds the gate's lock until the returned connection is closed: a file reaching {@link #GATE} waits. */
    public Connection closeTheGate() throws SQLException {
        Connection holder = TestPostgres.connect(url);
        try (Statement st = holder.createStatement()) {
            st.execute("select pg_advisory_lock(" + GATE_KEY + ")");
        }
        return holder;
    }

    /**
     * How many sessions wait for pgshift's migration lock now: pgshift polls with pg_try_advisory_lock,
     * so a waiter shows in pg_stat_activity as a session whose last query tried the lock (or looked
     * up its holder) and that does not hold it.
     */
    public int waitingForTheMigrationLock() throws SQLException {
        return Integer.parseInt(value("select count(*) from pg_stat_activity a where datname = current_database() "
                + "and pid <> pg_backend_pid() and (query like 'SELECT pg_try_advisory%' "
                + "or query like '%FROM pg_locks l JOIN pg_stat_activity a%') "
                + "and not exists (select 1 from pg_locks l where l.pid = a.pid and l.locktype = 'advisory' and l.granted "
                + "and l.classid::text::bigint = " + (LOCK_KEY >>> 32) + " and l.objid::text::bigint = " + (LOCK_KEY & 0xFFFFFFFFL) + ")"));
    }

    /** How many sessions wait at the gate now (pg_advisory_xact_lock waits on the server). */
    public int waitingAtTheGate() throws SQLException {
        return Integer.parseInt(value("select count(*) from pg_locks where locktype = 'advisory' and not granted "
                + "and classid::text::bigint = 0 and objid::text::bigint = " + GATE_KEY
                + " and database = (select oid from pg_database where datname = current_database())"));
    }

    public boolean tableExists(String name) throws SQLException {
        return "t".equals(value("SELECT to_regclass('" + name + "') IS NOT NULL"));
    }

    public List<String> ledgerVersions() throws SQLException {
        if (!tableExists("supabase_migrations.schema_migrations")) {
            return List.of();
        }
        return column("SELECT version FROM supabase_migrations.schema_migrations ORDER BY version::numeric");
    }

    /**
     * Everything a migration could have changed, as text: relations, columns, indexes, functions,
     * policies, schemas and ledger rows. Two equal snapshots mean an unchanged database.
     */
    public String snapshot() throws SQLException {
        StringBuilder out = new StringBuilder();
        for (String sql : List.of(
                "SELECT n.nspname || '.' || c.relname || ':' || c.relkind::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                        + "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1",
                "SELECT table_schema || '.' || table_name || '.' || column_name || ':' || data_type FROM information_schema.columns "
                        + "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
                "SELECT indexdef FROM pg_indexes WHERE schemaname NOT IN ('pg_catalog') ORDER BY 1",
                "SELECT p.proname || ':' || md5(p.prosrc) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                        + "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
                "SELECT policyname FROM pg_policies ORDER BY 1",
                "SELECT nspname FROM pg_namespace ORDER BY 1")) {
            out.append(String.join("\n", column(sql))).append("\n--\n");
        }
        if (tableExists("supabase_migrations.schema_migrations")) {
            out.append(String.join("\n", column("SELECT version || ':' || coalesce(name, '') || ':' || "
                    + "coalesce(array_to_string(statements, '|'), '') FROM supabase_migrations.schema_migrations ORDER BY 1")));
        }
        return out.toString();
    }
}
