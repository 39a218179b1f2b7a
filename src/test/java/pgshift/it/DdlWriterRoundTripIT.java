package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import pgshift.config.DatabaseUrl;
import pgshift.schema.DdlWriter;
import pgshift.schema.SchemaDiff;
import pgshift.schema.SchemaSnapshot;
import pgshift.testing.DriftCases;
import pgshift.testing.MigrationDb;
import pgshift.testing.RoundTrip;
import pgshift.testing.TestPostgres;

/**
 * pgshift's own DDL writer (diff --write) through every drift case: the history and the written
 * DDL replayed into a fresh database must make the database's schema. The cases it refuses by
 * design must be refused with the reason, and leave exactly those objects different.
 */
class DdlWriterRoundTripIT {

    /** Case → the one difference it must list as unwritten (and leave), instead of guessing. */
    private static final Map<String, String> REFUSED = Map.of(
            "enum value renamed", "type public.order_status: labels were removed or reordered",
            "enum value removed", "type public.order_status: labels were removed or reordered",
            "procedure, aggregate, composite and range types added",
            "function public.total_sum(numeric): pgshift cannot write the SQL that makes it");

    private static final List<RoundTrip.Outcome> OUTCOMES = Collections.synchronizedList(new ArrayList<>());

    @RegisterExtension
    final MigrationDb db = new MigrationDb();
    private final RoundTrip roundTrip = new RoundTrip();
    private DdlWriter.Script script;

    @BeforeAll
    static void roles() throws Exception {
        try (Connection c = TestPostgres.connect(TestPostgres.admin()); Statement st = c.createStatement()) {
            st.execute(DriftCases.ROLES);
        }
    }

    @AfterEach
    void drop() throws Exception {
        roundTrip.close();
    }

    @AfterAll
    static void table() throws Exception {
        String t = RoundTrip.table("DdlWriter round trip", List.copyOf(OUTCOMES));
        System.out.println(t);
        RoundTrip.saveUnderTarget("ddlwriter-roundtrip", "results.md", t);
    }

    static List<DriftCases.Case> cases() {
        return DriftCases.ALL;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theWrittenDdlMakesTheDatabasesSchema(DriftCases.Case c) throws Exception {
        roundTrip.prepare(c, db.url(), db.workDir());

        RoundTrip.Outcome o = roundTrip.run(c, db.url(), this::write);

        RoundTrip.saveUnderTarget("ddlwriter-roundtrip", c.name().replaceAll("[^A-Za-z0-9]+", "-") + ".sql", o.ddl());
        OUTCOMES.add(o);
        String refused = REFUSED.get(c.name());
        if (refused == null) {
            assertThat(script.unwritten()).as(o.ddl()).isEmpty();
            assertThat(o.verdict()).as(o.detail() + "\n" + o.ddl()).isEqualTo("pass");
        } else {
            assertThat(script.unwritten()).singleElement().asString().startsWith(refused);
            assertThat(o.verdict()).as(o.detail()).isEqualTo("FAIL");
            String left = refused.substring(0, refused.indexOf(':'));
            assertThat(o.detail().lines()).as(o.ddl()).singleElement().asString().startsWith(left + ": ");
        }
    }

    private String write(DatabaseUrl migrations, DatabaseUrl database) throws Exception {
        try (Connection a = TestPostgres.connect(database); Connection b = TestPostgres.connect(migrations)) {
            SchemaSnapshot d = SchemaSnapshot.take(a, Set.of());
            SchemaSnapshot m = SchemaSnapshot.take(b, Set.of());
            script = DdlWriter.write(SchemaDiff.compare(d, m), d, m);
            return script.sql().isBlank() ? "select 1;\n" : script.sql();
        }
    }
}
