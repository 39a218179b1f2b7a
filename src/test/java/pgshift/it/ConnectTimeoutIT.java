package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import pgshift.failure.PgshiftException;
import pgshift.config.DatabaseUrl;
import pgshift.db.Database;
import pgshift.testing.Cli;

/** Connecting fails within its bound, saying where and why: a silent server, a refused port, Ctrl-C. */
class ConnectTimeoutIT {

    @TempDir
    Path dir;

    private ServerSocket silent;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstAccepted = new CountDownLatch(1);

    @BeforeEach
    void startSilentServer() throws IOException {
        Files.createDirectories(dir.resolve("migrations"));
        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(silent.accept());
                    firstAccepted.countDown();
                }
            } catch (IOException closed) {
                // the test is over
            }
        }, "silent-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void stopSilentServer() throws IOException {
        silent.close();
        for (Socket s : accepted) {
            s.close();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void statusGivesUpAfterConnectTimeoutAndSaysWhere() {
        String address = "127.0.0.1:" + silent.getLocalPort();

        Cli.Result result = Cli.run(dir, "--database-url",
                "postgresql://app:Hunter2Secret@" + address + "/db?connect_timeout=2", "status");

        assertThat(result.code()).as(result.toString()).isEqualTo(3);
        assertThat(result.err()).as(result.toString()).contains("Cannot connect to postgresql://app:***@" + address
                + "/db").contains(": no answer from " + address + " within 2 s (login timeout; set "
                + "connect_timeout=N in the URL to change it). Check that the server is running");
        assertThat(result.all()).doesNotContain("Hunter2Secret").doesNotContain("..");
        assertThat(accepted).as("the driver did reach the silent server").isNotEmpty();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aJdbcUrlKeepsItsOwnLoginTimeout() {
        String address = "127.0.0.1:" + silent.getLocalPort();

        Cli.Result result = Cli.run(dir, "--database-url",
                "jdbc:postgresql://" + address + "/db?user=app&password=Hunter2Secret&loginTimeout=1", "status");

        assertThat(result.code()).as(result.toString()).isEqualTo(3);
        assertThat(result.err()).contains(": no answer from " + address + " within 1 s (login timeout;");
        assertThat(result.all()).doesNotContain("Hunter2Secret");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anInterruptStopsTheWaitForASilentServer() throws Exception {
        String address = "127.0.0.1:" + silent.getLocalPort();
        Database db = new Database(DatabaseUrl.parse("postgresql://app:Hunter2Secret@" + address
                + "/db?connect_timeout=50"), null, notice -> { });
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread connecting = new Thread(() -> {
            try (Connection conn = db.connection()) {
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        }, "connecting");
        connecting.start();

        firstAccepted.await();
        connecting.interrupt();

        assertThat(outcome.get(30, TimeUnit.SECONDS)).isInstanceOf(PgshiftException.class)
                .hasMessage("Stopped connecting to postgresql://app:***@" + address
                        + "/db?connectTimeout=50&loginTimeout=50: interrupted before " + address + " answered.");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aRefusedConnectionIsOneSentenceAndTheAdvice() throws IOException {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }

        Cli.Result result = Cli.run(dir, "--database-url", "postgresql://app:Hunter2Secret@127.0.0.1:" + port + "/db",
                "status");

        assertThat(result.code()).as(result.toString()).isEqualTo(3);
        assertThat(result.err()).as(result.toString()).contains("Cannot connect to postgresql://app:***@127.0.0.1:"
                + port + "/db (from --database-url): the connection to 127.0.0.1:" + port + " failed: Connection "
                + "refused. Check that the server is running").doesNotContain("..");
    }
}
