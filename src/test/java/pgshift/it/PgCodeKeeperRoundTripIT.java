package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
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
import pgshift.testing.DriftCases;
import pgshift.testing.MigrationDb;
import pgshift.testing.RoundTrip;
import pgshift.testing.TestPostgres;

/**
 * Evaluates pgcodekeeper-core 13.1.0 as the DDL generator for diff --write: every drift case goes
 * through {@link RoundTrip} with the DDL pgcodekeeper writes from the migrations' schema to the
 * database's, both loaded over JDBC. The results are a table in the test output and in
 * target/pgcodekeeper-roundtrip/ (with each case's DDL); only what is true of the library is asserted.
 */
class PgCodeKeeperRoundTripIT {

    private static final String OUT = "pgcodekeeper-roundtrip";
    private static final List<RoundTrip.Outcome> OUTCOMES = Collections.synchronizedList(new ArrayList<>());

    @RegisterExtension
    final MigrationDb db = new MigrationDb();

    private final RoundTrip roundTrip = new RoundTrip();

    @BeforeAll
    static void roles() throws Exception {
        try (Connection c = TestPostgres.connect(TestPostgres.admin()); Statement st = c.createStatement()) {
            st.execute(DriftCases.ROLES);
        }
    }

    @AfterEach
    void dropTheShadows() throws Exception {
        roundTrip.close();
    }

    @AfterAll
    static void printTheTable() throws IOException {
        List<RoundTrip.Outcome> all;
        synchronized (OUTCOMES) {
            all = List.copyOf(OUTCOMES);
        }
        String table = RoundTrip.table("pgcodekeeper-core 13.1.0 round trip (generate = load both databases over JDBC + diff)",
                all);
        System.out.println(table);
        RoundTrip.saveUnderTarget(OUT, "results.md", table);
    }

    static List<DriftCases.Case> cases() {
        return DriftCases.ALL;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void roundTrip(DriftCases.Case c) throws Exception {
        roundTrip.prepare(c, db.url(), db.workDir());
        assertThat(RoundTrip.differences(db.url(), roundTrip.shadow(c)))
                .as("the drift of '%s' must show in a snapshot", c.name()).isNotEmpty();

        RoundTrip.Outcome outcome = roundTrip.run(c, db.url(), PgCodeKeeperRoundTripIT::pgcodekeeper);

        assertThat(outcome.ddl()).as("pgcodekeeper generated a script").isNotBlank();
        RoundTrip.saveUnderTarget(OUT, c.name().replaceAll("[^A-Za-z0-9]+", "-") + ".sql", outcome.ddl());
        OUTCOMES.add(outcome);
    }

    /** The harness can fail: without the DDL the drift is still there, and DDL that does not run is reported. */
    @Test
    void aReplayWithoutTheDriftsDdlDiffersAndDdlThatDoesNotRunIsReported() throws Exception {
        DriftCases.Case c = DriftCases.ALL.get(0);
        roundTrip.prepare(c, db.url(), db.workDir());

        RoundTrip.Outcome nothing = roundTrip.replay(c, db.url(), "select 1;\n", 0); // pgshift refuses an empty file
        assertThat(nothing.verdict()).isEqualTo("FAIL");
        assertThat(nothing.detail()).contains("table public.invoices: only in database");

        RoundTrip.Outcome broken = roundTrip.replay(c, db.url(), "create table public.orders (id int);\n", 0);
        assertThat(broken.verdict()).isEqualTo("DDL failed");
        assertThat(broken.detail()).contains("already exists");
    }

    /** A database that cannot be reached fails the load with an IOException; only its root cause names the host. */
    @Test
    void anUnreachableDatabaseFailsTheLoadWithAnIoException() {
        assertThatThrownBy(() -> new DatabaseFactory(settings())
                .loadFromJdbc("jdbc:postgresql://db.invalid:5432/app?user=app&loginTimeout=5&connectTimeout=5"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("The connection attempt failed")
                .hasRootCauseInstanceOf(UnknownHostException.class)
                .rootCause().hasMessageContaining("db.invalid");
    }

    private static String pgcodekeeper(DatabaseUrl migrations, DatabaseUrl database) throws Exception {
        DatabaseFactory factory = new DatabaseFactory(settings());
        AbstractDatabase from = factory.loadFromJdbc(jdbcUrl(migrations), ignoreList());
        AbstractDatabase to = factory.loadFromJdbc(jdbcUrl(database), ignoreList());
        return PgCodeKeeperApi.diff(settings(), from, to);
    }

    /** What a written migration must hold: privileges, function bodies as written, no transaction of its own. */
    private static CoreSettings settings() {
        CoreSettings s = new CoreSettings();
        s.setIgnorePrivileges(false); // also writes ALTER ... OWNER TO: owners and grants go together in pgcodekeeper
        s.setKeepNewlines(true);
        s.setAddTransaction(false); // pgshift runs each file in its own transaction
        // Column order is not schema a snapshot compares; with it, a renamed column recreates its whole table
        // (DROP TABLE and CREATE TABLE, the rows lost), without it one column is dropped and added.
        s.setIgnoreColumnOrder(true);
        return s;
    }

    /** pgshift's own ledger differs between the database and a shadow by its rows only; it is not the user's schema. */
    private static String ignoreList() throws IOException {
        Path list = Path.of("target", OUT, "ignore-schemas.txt");
        if (!Files.exists(list)) {
            RoundTrip.saveUnderTarget(OUT, "ignore-schemas.txt", "SHOW ALL\nHIDE NONE supabase_migrations\n");
        }
        return list.toString();
    }

    /** The JDBC URL pgcodekeeper takes: credentials and timeouts go in it, as its loader passes no properties. */
    private static String jdbcUrl(DatabaseUrl url) {
        Properties p = url.connectionProperties();
        return url.jdbcUrl() + "?" + p.stringPropertyNames().stream().sorted()
                .map(k -> k + "=" + URLEncoder.encode(p.getProperty(k), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
