package pgshift.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import pgshift.config.DatabaseUrl;
import pgshift.migration.SqlSplitter;
import pgshift.migration.SqlStatement;
import pgshift.schema.Difference;
import pgshift.schema.SchemaDiff;
import pgshift.schema.SchemaSnapshot;

/**
 * Runs one {@link DriftCases} case through a DDL generator and proves what it wrote: the database
 * gets the history and the drift, shadow A the history; the generator writes the DDL from A to the
 * database; shadow B gets the history and that DDL as one more migration, applied by pgshift; the
 * case passes when B's snapshot equals the database's. Shadows are databases on the test server,
 * dropped by {@link #close()}.
 */
public final class RoundTrip implements AutoCloseable {

    /** The version of the written migration: after every file of every case. */
    public static final String WRITTEN = "29990101000000_drift.sql";

    /** A DDL generator under test: the script that turns the migrations' schema into the database's. */
    @FunctionalInterface
    public interface Generator {
        String ddl(DatabaseUrl migrations, DatabaseUrl database) throws Exception;
    }

    /**
     * One case's outcome, a line of the results table.
     *
     * @param verdict "pass", "FAIL" (the replay differs from the database) or "DDL failed" (it did not run)
     * @param drops   the statements that drop something, one a line: where data may be lost
     * @param detail  the differences left, or the error of the DDL
     * @param ddl     what the generator wrote
     */
    public record Outcome(String name, String verdict, long generateMs, int statements, String drops, String detail,
                          String ddl) {
    }

    private final List<DatabaseUrl> shadows = new ArrayList<>();
    private final List<Path> folders = new ArrayList<>();

    /** Applies the case's history and drift to {@code database}, whose migrations folder is {@code workDir/migrations}. */
    public void prepare(DriftCases.Case c, DatabaseUrl database, Path workDir) throws Exception {
        historyInto(database, workDir, c);
        try (Connection conn = TestPostgres.connect(database); Statement st = conn.createStatement()) {
            st.execute(c.drift());
        }
    }

    /** A new shadow with the case's history applied by pgshift. */
    public DatabaseUrl shadow(DriftCases.Case c) throws Exception {
        return shadow(c, null);
    }

    /** Generates the DDL for a prepared database and replays it. */
    public Outcome run(DriftCases.Case c, DatabaseUrl database, Generator generator) throws Exception {
        DatabaseUrl migrations = shadow(c);
        long t0 = System.nanoTime();
        String ddl = generator.ddl(migrations, database);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        return replay(c, database, ddl, ms);
    }

    /** Applies the history and {@code ddl} to a fresh shadow and compares it with the database. */
    public Outcome replay(DriftCases.Case c, DatabaseUrl database, String ddl, long generateMs) throws Exception {
        DatabaseUrl replayed = shadow(c, ddl);
        Path workDir = folders.get(folders.size() - 1);
        List<SqlStatement> statements = SqlSplitter.split(ddl, WRITTEN);
        String drops = statements.stream()
                .map(st -> st.text().replaceAll("(?m)^--.*$", "").strip().replaceAll("\\s+", " "))
                .filter(t -> t.startsWith("DROP ") || t.matches(".* DROP (COLUMN|CONSTRAINT) .*"))
                .map(t -> t.replaceFirst(";$", "")).collect(Collectors.joining("\n"));
        Cli.Result applied = apply(replayed, workDir);
        if (applied.code() != 0) {
            String why = applied.all().lines().filter(l -> !l.isBlank()).limit(6).collect(Collectors.joining("\n"));
            return new Outcome(c.name(), "DDL failed", generateMs, statements.size(), drops, why, ddl);
        }
        List<Difference> left = differences(database, replayed);
        String detail = left.stream().map(d -> d.kind() + " " + d.key().qualified() + ": " + d.change().label()
                + (d.change() == Difference.Change.DIFFERS ? " (database: " + oneLine(d.inDatabase()) + " / replayed: "
                + oneLine(d.inMigrations()) + ")" : "")).collect(Collectors.joining("\n"));
        return new Outcome(c.name(), left.isEmpty() ? "pass" : "FAIL", generateMs, statements.size(), drops, detail, ddl);
    }

    /** Where two databases' schemas differ, as {@code diff} sees it. */
    public static List<Difference> differences(DatabaseUrl database, DatabaseUrl other) throws SQLException {
        try (Connection a = TestPostgres.connect(database); Connection b = TestPostgres.connect(other)) {
            return SchemaDiff.compare(SchemaSnapshot.take(a, Set.of()), SchemaSnapshot.take(b, Set.of()));
        }
    }

    /** The outcomes as a Markdown table. */
    public static String table(String title, List<Outcome> outcomes) {
        StringBuilder t = new StringBuilder("\n").append(title).append("\n\n")
                .append("| case | result | generate ms | statements | what it drops | differences left / error |\n")
                .append("|---|---|---:|---:|---|---|\n");
        for (Outcome o : outcomes) {
            t.append("| ").append(o.name()).append(" | ").append(o.verdict()).append(" | ").append(o.generateMs())
                    .append(" | ").append(o.statements()).append(" | ").append(cell(o.drops())).append(" | ")
                    .append(cell(o.detail())).append(" |\n");
        }
        long passed = outcomes.stream().filter(o -> o.verdict().equals("pass")).count();
        return t.append("\n").append(passed).append(" of ").append(outcomes.size()).append(" pass\n").toString();
    }

    @Override
    public void close() throws Exception {
        try (Connection c = TestPostgres.connect(TestPostgres.admin()); Statement st = c.createStatement()) {
            for (DatabaseUrl url : shadows) {
                st.execute("DROP DATABASE IF EXISTS " + url.database() + " WITH (FORCE)");
            }
        }
        for (Path dir : folders) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    private DatabaseUrl shadow(DriftCases.Case c, String written) throws Exception {
        DatabaseUrl url = TestPostgres.freshDatabase("shadow");
        shadows.add(url);
        Path dir = Files.createTempDirectory("pgshift-roundtrip-");
        folders.add(dir);
        Files.createDirectories(dir.resolve("migrations"));
        historyInto(url, dir, c);
        if (written != null) {
            Files.writeString(dir.resolve("migrations").resolve(WRITTEN), written);
        }
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
        if (r.code() != 0) {
            throw new IllegalStateException("the history of '" + c.name() + "' did not apply: " + r);
        }
    }

    private static Cli.Result apply(DatabaseUrl url, Path workDir) {
        return Cli.run(workDir, "--database-url", TestPostgres.urlString(url), "apply");
    }

    private static String oneLine(String s) {
        String flat = s.replaceAll("\\s+", " ").trim();
        return flat.length() > 120 ? flat.substring(0, 117) + "..." : flat;
    }

    private static String cell(String text) {
        return text.replace("\n", "<br>").replace("|", "\\|");
    }

    /** Writes {@code text} under target/, for reading after the run. */
    public static Path saveUnderTarget(String folder, String file, String text) throws IOException {
        Path dir = Files.createDirectories(Path.of("target", folder));
        return Files.writeString(dir.resolve(file), text);
    }
}
