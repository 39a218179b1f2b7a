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
