package pgshift.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import pgshift.config.DatabaseUrl;

/**
 * The real PostgreSQL the integration tests run against, provisioned once per test JVM:
 * PGSHIFT_TEST_DATABASE_URL when set, else a Testcontainers container when a Docker engine
 * answers, else an embedded server from Maven. Each test gets a database of its own.
 */
public final class TestPostgres {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static DatabaseUrl admin;
    private static String provider;

    private TestPostgres() {
    }

    /** The server's maintenance database, for creating test databases. */
    public static synchronized DatabaseUrl admin() {
        if (admin == null) {
            String configured = System.getenv("PGSHIFT_TEST_DATABASE_URL");
            if (configured != null && !configured.isBlank()) {
                admin = DatabaseUrl.parse(configured);
                provider = "PGSHIFT_TEST_DATABASE_URL";
            } else if (dockerAvailable()) {
                admin = startContainer();
                provider = "Testcontainers";
            } else {
                admin = startEmbedded();
                provider = "embedded PostgreSQL";
            }
            System.err.println("[tests] PostgreSQL from " + provider + " at " + admin.masked());
        }
        return admin;
    }

    /** A new, empty database on the test server. */
    public static DatabaseUrl freshDatabase(String hint) {
        String name = ("t_" + hint.toLowerCase().replaceAll("[^a-z0-9]+", "_")).replaceAll("_+$", "");
        name = name.substring(0, Math.min(name.length(), 40)) + "_" + ProcessHandle.current().pid() + "_"
                + COUNTER.incrementAndGet();
        try (Connection c = connect(admin()); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        return admin().withDatabase(name);
    }

    /** The URL as a user would type it, password included (masked() hides it). */
    public static String urlString(DatabaseUrl url) {
        String password = url.password() == null ? "" : ":" + java.net.URLEncoder.encode(url.password(),
                java.nio.charset.StandardCharsets.UTF_8);
        return "postgresql://" + url.user() + password + "@" + url.host() + ":" + url.port() + "/" + url.database();
    }

    /** Whether a statement starting with this text is running on the server now (to cancel it in a test). */
    public static boolean isRunning(DatabaseUrl url, String statementStart) {
        try (Connection c = connect(url); var ps = c.prepareStatement("select count(*) from pg_stat_activity "
                + "where state = 'active' and pid <> pg_backend_pid() and starts_with(query, ?)")) {
            ps.setString(1, statementStart);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        } catch (SQLException e) {
            return false;
        }
    }

    public static Connection connect(DatabaseUrl url) throws SQLException {
        return DriverManager.getConnection(url.jdbcUrl(), url.connectionProperties());
    }

    private static boolean dockerAvailable() {
        try {
            return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    private static DatabaseUrl startContainer() {
        var container = new org.testcontainers.postgresql.PostgreSQLContainer("postgres:17-alpine");
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
        return new DatabaseUrl(container.getHost(), container.getMappedPort(5432), container.getDatabaseName(),
                container.getUsername(), container.getPassword(), Map.of());
    }

    private static DatabaseUrl startEmbedded() {
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
            // The builder registers a shutdown hook that stops the server when the test JVM exits.
            return new DatabaseUrl("localhost", pg.getPort(), "postgres", "postgres", null, Map.of());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot start the embedded PostgreSQL for the tests", e);
        }
    }
}
