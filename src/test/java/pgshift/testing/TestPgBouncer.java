package pgshift.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

import pgshift.config.DatabaseUrl;

/**
 * A real PgBouncer in transaction mode in front of the test server, started once per test JVM on a
 * free loopback port and stopped when the JVM exits. Tests skip when pgbouncer is not installed,
 * unless PGSHIFT_REQUIRE_PGBOUNCER=1 (set by .ci/run, which installs it): then they fail.
 */
public final class TestPgBouncer {

    private static TestPgBouncer shared;

    private final int port;
    private final Path log;

    private TestPgBouncer(int port, Path log) {
        this.port = port;
        this.log = log;
    }

    /** The shared transaction-mode PgBouncer; skips the calling test when pgbouncer is missing. */
    public static synchronized TestPgBouncer transactionMode() {
        if (shared == null) {
            Path binary = binary();
            if (binary == null) {
                if ("1".equals(System.getenv("PGSHIFT_REQUIRE_PGBOUNCER"))) {
                    throw new IllegalStateException("pgbouncer is not installed, and PGSHIFT_REQUIRE_PGBOUNCER=1");
                }
                Assumptions.abort("pgbouncer is not installed (.ci/run installs it)");
            }
            try {
                shared = start(binary, TestPostgres.admin());
            } catch (IOException e) {
                throw new IllegalStateException("cannot start pgbouncer", e);
            }
        }
        return shared;
    }

    /** The same database and user as {@code direct}, through PgBouncer, with prepareThreshold=0 as a pooler needs. */
    public DatabaseUrl through(DatabaseUrl direct) {
        Map<String, String> properties = new LinkedHashMap<>(direct.properties());
        properties.put("prepareThreshold", "0");
        return new DatabaseUrl("127.0.0.1", port, direct.database(), direct.user(), direct.password(), properties);
    }

    public int port() {
        return port;
    }

    private static TestPgBouncer start(Path binary, DatabaseUrl server) throws IOException {
        Path dir = Files.createTempDirectory("pgshift-pgbouncer");
        // pgbouncer drops root for user postgres, which must read the configuration it re-reads on SIGHUP.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        int port = freePort();
        String host = server.host().equals("localhost") ? "127.0.0.1" : server.host();
        String backend = "host=" + host + " port=" + server.port()
                + (server.password() == null ? "" : " password=" + server.password());
        Files.writeString(dir.resolve("userlist.txt"), "\"" + server.user() + "\" \"\"\n");
        Files.writeString(dir.resolve("pgbouncer.ini"), String.join("\n",
                "[databases]",
                "* = " + backend,
                "[pgbouncer]",
                "listen_addr = 127.0.0.1",
                "listen_port = " + port,
                "unix_socket_dir =",
                "auth_type = trust",
                "auth_file = " + dir.resolve("userlist.txt"),
                "pool_mode = transaction",
                "default_pool_size = 10",
                "max_client_conn = 200",
                // pgjdbc sends it at start-up; PgBouncer refuses unknown start-up parameters.
                "ignore_startup_parameters = extra_float_digits",
                ""));
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("-u", "postgres")); // pgbouncer refuses to run as root
        }
        command.add(dir.resolve("pgbouncer.ini").toString());
        Path log = dir.resolve("pgbouncer.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            process.destroy();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // a temporary folder left behind is harmless
            }
        }));
        TestPgBouncer bouncer = new TestPgBouncer(port, log);
        await().atMost(30, TimeUnit.SECONDS).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("pgbouncer exited with " + process.exitValue() + ":\n" + bouncer.log());
            }
            return bouncer.accepts(server);
        });
        return bouncer;
    }

    /** PgBouncer's own output so far, for a failing test's message. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private boolean accepts(DatabaseUrl server) {
        try (Connection c = TestPostgres.connect(through(server)); var st = c.createStatement()) {
            st.execute("SELECT 1");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private static Path binary() {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.concat(Stream.of(path.split(":")), Stream.of("/usr/sbin", "/usr/local/sbin"))
                .filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, "pgbouncer"))
                .filter(Files::isExecutable)
                .findFirst().orElse(null);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
