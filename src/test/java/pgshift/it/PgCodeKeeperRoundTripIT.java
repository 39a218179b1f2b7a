package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pgcodekeeper.core.api.DatabaseFactory;
import org.pgcodekeeper.core.api.PgCodeKeeperApi;
import org.pgcodekeeper.core.schema.AbstractDatabase;
import org.pgcodekeeper.core.settings.CoreSettings;

import pgshift.config.DatabaseUrl;
import pgshift.migration.SqlSplitter;
import pgshift.migration.SqlStatement;
import pgshift.schema.Difference;
import pgshift.schema.SchemaDiff;
import pgshift.schema.SchemaSnapshot;
import pgshift.testing.Cli;
import pgshift.testing.DriftCases;
import pgshift.testing.MigrationDb;
import pgshift.testing.TestPostgres;

/**
 * Evaluates pgcodekeeper-core as the DDL generator for diff --write: for each drift case, the DDL it
 * writes from the migrations' schema (shadow A) to the database's, applied by pgshift after the
 * history into a fresh shadow B, must give B the database's snapshot. The results are a table in
 * the test output (and target/pgcodekeeper-roundtrip/); only what is true of the library is asserted.
 */
class PgCodeKeeperRoundTripIT {

    /** The version of the generated migration: after every file of every case. */
    private static final String GENERATED = "29990101000000_drift.sql";
    private static final Path OUT = Path.of("target", "pgcodekeeper-roundtrip");
    private static final List<Row> ROWS = Collections.synchronizedList(new ArrayList<>());

    @RegisterExtension
    final MigrationDb db = new MigrationDb();

    private final List<DatabaseUrl> extraDatabases = new ArrayList<>();
    private final List<Path> extraFolders = new ArrayList<>();

    /** One case's outcome, a line of the results table. */
    record Row(String name, String verdict, long loadMs, long diffMs, int statements, String drops, String detail) {
    }

    @BeforeAll
    static void rolesAndOutput() throws Exception {
        try (Connection c = TestPostgres.connect(TestPostgres.admin()); Statement st = c.createStatement()) {
            st.execute(DriftCases.ROLES);
        }
        Files.createDirectories(OUT);
    }

    @AfterAll
    static void printTheTable() throws IOException {
        StringBuilder t = new StringBuilder("\npgcodekeeper-core 13.1.0 round trip (load = both databases over JDBC)\n\n")
                .append("| case | result | load ms | diff ms | statements | what it drops | remaining differences / error |\n")
                .append("|---|---|---:|---:|---:|---|---|\n");
        synchronized (ROWS) {
            for (Row r : ROWS) {
                t.append("| ").append(r.name()).append(" | ").append(r.verdict()).append(" | ").append(r.loadMs())
                        .append(" | ").append(r.diffMs()).append(" | ").append(r.statements()).append(" | ")
                        .append(cell(r.drops())).append(" | ").append(cell(r.detail())).append(" |\n");
            }
        }
        System.out.println(t);
        Files.writeString(OUT.resolve("results.md"), t);
    }

    private static String cell(String text) {
        return text.replace("\n", "<br>").replace("|", "\\|");
    }

    static List<DriftCases.Case> cases() {
        return DriftCases.ALL;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void roundTrip(DriftCases.Case c) throws Exception {
        DatabaseUrl database = db.url();
        DatabaseUrl migrations = historyIn(c, "a");
        historyInto(database, db.workDir(), c);
        db.execute(c.drift());
        assertThat(differences(database, migrations)).as("the drift of '%s' must show in a snapshot", c.name()).isNotEmpty();

        long t0 = System.nanoTime();
        DatabaseFactory factory = new DatabaseFactory(settings());
        AbstractDatabase from = factory.loadFromJdbc(jdbcUrl(migrations), ignoreList());
        AbstractDatabase to = factory.loadFromJdbc(jdbcUrl(database), ignoreList());
        long t1 = System.nanoTime();
        String ddl = PgCodeKeeperApi.diff(settings(), from, to);
        long t2 = System.nanoTime();
        assertThat(ddl).as("pgcodekeeper generated a script").isNotNull();
        Files.writeString(OUT.resolve(c.name().replace(' ', '-') + ".sql"), ddl);

        DatabaseUrl replayed = historyIn(c, "b");
        Path folder = extraFolders.get(extraFolders.size() - 1).resolve("migrations");
        Files.writeString(folder.resolve(GENERATED), ddl);
        Cli.Result applied = apply(replayed, folder.getParent());
        ROWS.add(verdict(c.name(), applied, replayed, database, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, ddl));
    }

    /** The harness can fail: without the generated file the drift is still there, and a broken file is reported. */
    @Test
    void aRoundTripWithoutTheGeneratedDdlLeavesTheDriftAndABrokenFileIsReported() throws Exception {
        DriftCases.Case c = DriftCases.ALL.get(0);
        DatabaseUrl database = db.url();
        historyInto(database, db.workDir(), c);
        db.execute(c.drift());
        DatabaseUrl replayed = historyIn(c, "b");
        assertThat(differences(database, replayed)).extracting(d -> d.key().qualified() + " " + d.change().label())
                .contains("public.invoices only in database");

        Path folder = extraFolders.get(extraFolders.size() - 1);
        Files.writeString(folder.resolve("migrations").resolve(GENERATED), "create table public.orders (id int);\n");
        Row row = verdict(c.name(), apply(replayed, folder), replayed, database, 0, 0, "");
        assertThat(row.verdict()).isEqualTo("DDL failed");
        assertThat(row.detail()).contains("already exists");
    }

    /** A database that cannot be reached fails the load with an IOException; only its root cause names the host. */
    @Test
    void anUnreachableDatabaseFailsTheLoadWithAnIoException() {
        assertThatThrownBy(() -> new DatabaseFactory(settings())
                .loadFromJdbc("jdbc:postgresql://db.invalid:5432/app?user=app&loginTimeout=5&connectTimeout=5"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("The connection attempt failed")
                .hasRootCauseInstanceOf(java.net.UnknownHostException.class)
                .rootCause().hasMessageContaining("db.invalid");
    }

    /** What a generated migration must hold: privileges, function bodies as written, one transaction left to pgshift. */
    private static CoreSettings settings() {
        CoreSettings s = new CoreSettings();
        s.setIgnorePrivileges(false);
        s.setKeepNewlines(true);
        s.setAddTransaction(false); // pgshift runs each file in its own transaction
        // Column order is not schema a snapshot compares; with it, a renamed column recreates its whole table
        // (DROP TABLE and CREATE TABLE, the rows lost), without it one column is dropped and added.
        s.setIgnoreColumnOrder(true);
        return s;
    }

    /** pgshift's own ledger differs between the database and a shadow by its rows only; it is not the user's schema. */
    private static String ignoreList() throws IOException {
        Path list = OUT.resolve("ignore-schemas.txt");
        if (!Files.exists(list)) {
            Files.writeString(list, "SHOW ALL\nHIDE NONE supabase_migrations\n");
        }
        return list.toString();
    }

    /** The JDBC URL pgcodekeeper takes: credentials and timeouts are query parameters, as it passes no properties. */
    private static String jdbcUrl(DatabaseUrl url) {
        Properties p = url.connectionProperties();
        return url.jdbcUrl() + "?" + p.stringPropertyNames().stream().sorted()
                .map(k -> k + "=" + URLEncoder.encode(p.getProperty(k), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** A new database on the test server with the case's history applied by pgshift; dropped after the test. */
    private DatabaseUrl historyIn(DriftCases.Case c, String which) throws Exception {
        DatabaseUrl url = TestPostgres.freshDatabase("pgck_" + which);
        extraDatabases.add(url);
        Path dir = Files.createTempDirectory("pgshift-pgck-");
        extraFolders.add(dir);
        Files.createDirectories(dir.resolve("migrations"));
        historyInto(url, dir, c);
        return url;
    }

    private static void historyInto(DatabaseUrl url, Path workDir, DriftCases.Case c) throws Exception {
        try (Connection conn = TestPostgres.connect(url); Statement st = conn.createStatement()) {
            st.execute(c.setup());
        }
        for (DriftCases.File f : c.history()) {
            Files.writeString(workDir.resolve("migrations").resolve(f.name()), f.sql());
        }
        Cli.Result r = apply(url, workDir);
        assertThat(r.code()).as("the history of '%s' applies: %s", c.name(), r).isZero();
    }

    private static Cli.Result apply(DatabaseUrl url, Path workDir) {
        return Cli.run(workDir, "--database-url", TestPostgres.urlString(url), "apply");
    }

    private static Row verdict(String name, Cli.Result applied, DatabaseUrl replayed, DatabaseUrl database,
                               long loadMs, long diffMs, String ddl) throws SQLException {
        List<SqlStatement> statements = SqlSplitter.split(ddl, GENERATED);
        String drops = statements.stream()
                .map(st -> st.text().replaceAll("(?m)^--.*$", "").strip().replaceAll("\\s+", " "))
                .filter(t -> t.startsWith("DROP ") || t.matches(".* DROP (COLUMN|CONSTRAINT) .*"))
                .map(t -> t.replaceFirst(";$", "")).collect(Collectors.joining("\n"));
        if (applied.code() != 0) {
            String why = applied.all().lines().filter(l -> !l.isBlank()).limit(6).collect(Collectors.joining("\n"));
            return new Row(name, "DDL failed", loadMs, diffMs, statements.size(), drops, why);
        }
        List<Difference> left = differences(database, replayed);
        String detail = left.stream().map(d -> d.kind() + " " + d.key().qualified() + ": " + d.change().label()
                + (d.change() == Difference.Change.DIFFERS ? " (db: " + oneLine(d.inDatabase()) + " / replayed: "
                + oneLine(d.inMigrations()) + ")" : "")).collect(Collectors.joining("\n"));
        return new Row(name, left.isEmpty() ? "pass" : "FAIL", loadMs, diffMs, statements.size(), drops, detail);
    }

    private static String oneLine(String s) {
        String flat = s.replaceAll("\\s+", " ").trim();
        return flat.length() > 120 ? flat.substring(0, 117) + "..." : flat;
    }

    private static List<Difference> differences(DatabaseUrl database, DatabaseUrl other) throws SQLException {
        try (Connection a = TestPostgres.connect(database); Connection b = TestPostgres.connect(other)) {
            return SchemaDiff.compare(SchemaSnapshot.take(a, Set.of()), SchemaSnapshot.take(b, Set.of()));
        }
    }

    @org.junit.jupiter.api.AfterEach
    void dropTheShadows() throws Exception {
        try (Connection c = TestPostgres.connect(TestPostgres.admin()); Statement st = c.createStatement()) {
            for (DatabaseUrl url : extraDatabases) {
                st.execute("DROP DATABASE IF EXISTS " + url.database() + " WITH (FORCE)");
            }
        }
        for (Path dir : extraFolders) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }
}
