package pgshift.it;

import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import pgshift.testing.Cli;
import pgshift.testing.MigrationDb;
import pgshift.testing.TestPostgres;

/** The shadow databases pgshift makes on the test server, as the tests that they are dropped see them. */
final class ShadowDatabases {

    private ShadowDatabases() {
    }

    /** The shadow databases there are now. */
    static List<String> names() throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = TestPostgres.connect(TestPostgres.admin()); var st = c.createStatement();
             var rs = st.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE 'pgshift\\_shadow\\_%'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    /** The shadow database a pg_sleep runs in (alone, or in a replay's shared transaction), or null. */
    static String runningSleep() throws Exception {
        try (Connection c = TestPostgres.connect(TestPostgres.admin()); var st = c.createStatement();
             var rs = st.executeQuery("SELECT datname FROM pg_stat_activity WHERE datname LIKE 'pgshift\\_shadow\\_%' "
                     + "AND state = 'active' AND query LIKE '%pg_sleep%'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** What a command interrupted with SIGINT said, and the shadow it was sleeping in. */
    record Interrupted(Cli.Result result, String shadow) {
    }

    /**
     * Runs pgshift with {@code args} on {@code db}, waits until a pg_sleep runs in one of its
     * shadow databases ({@code what} says which), then sends SIGINT, as Ctrl-C does.
     */
    static Interrupted interruptWhileSleeping(MigrationDb db, String what, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--database-url", db.urlString()));
        all.addAll(List.of(args));
        Process process = Cli.start(db.workDir(), Map.of(), all.toArray(String[]::new));
        String shadow = awaitRunningSleep(what);
        new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start().waitFor();
        return new Interrupted(Cli.finish(process), shadow);
    }

    /** Waits (at most a minute) until a pg_sleep runs in a shadow database, and names it. */
    static String awaitRunningSleep(String what) {
        AtomicReference<String> shadow = new AtomicReference<>();
        await(what).atMost(Duration.ofSeconds(60)).until(() -> {
            shadow.set(runningSleep());
            return shadow.get() != null;
        });
        return shadow.get();
    }
}
