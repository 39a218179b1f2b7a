package pgshift.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

import org.junit.jupiter.api.Test;
import org.postgresql.util.GT;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

class ConnectFailureTest {

    private static final DatabaseUrl URL = DatabaseUrl.parse("postgresql://app:Hunter2Secret@db.invalid:6000/shop");

    @Test
    void aLoginTimeoutNamesTheAddressAndTheBound() {
        PSQLException timedOut = new PSQLException(GT.tr("Connection attempt timed out."),
                PSQLState.CONNECTION_UNABLE_TO_CONNECT);

        assertThat(ConnectFailure.message(URL, "DATABASE_URL in .env", timedOut)).isEqualTo(
                "Cannot connect to postgresql://app:***@db.invalid:6000/shop (from DATABASE_URL in .env): no answer "
                        + "from db.invalid:6000 within 10 s (login timeout; set connect_timeout=N in the URL to change "
                        + "it). Check that the server is running and reachable and that the URL, user and password "
                        + "are right.");
    }

    @Test
    void theBoundComesFromConnectTimeoutInTheUrl() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://app@db.invalid/shop?connect_timeout=3");
        PSQLException timedOut = new PSQLException(GT.tr("Connection attempt timed out."),
                PSQLState.CONNECTION_UNABLE_TO_CONNECT);

        assertThat(ConnectFailure.message(url, null, timedOut))
                .contains(": no answer from db.invalid:5432 within 3 s (login timeout;");
    }

    @Test
    void aTcpConnectTimeoutSaysSo() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://db.invalid/shop?connectTimeout=7");
        PSQLException failed = new PSQLException("The connection attempt failed.",
                PSQLState.CONNECTION_UNABLE_TO_CONNECT, new SocketTimeoutException("Connect timed out"));

        assertThat(ConnectFailure.message(url, null, failed))
                .contains(": no answer from db.invalid:5432 within 7 s (TCP connect timeout; set connect_timeout=N");
    }

    @Test
    void aRefusedConnectionSaysSoOnce() {
        PSQLException refused = new PSQLException("Connection to db.invalid:6000 refused. Check that the hostname "
                + "and port are correct and that the postmaster is accepting TCP/IP connections.",
                PSQLState.CONNECTION_UNABLE_TO_CONNECT, new ConnectException("Connection refused"));

        assertThat(ConnectFailure.message(URL, null, refused)).isEqualTo("Cannot connect to "
                + "postgresql://app:***@db.invalid:6000/shop: the connection to db.invalid:6000 failed: Connection "
                + "refused. Check that the server is running and reachable and that the URL, user and password are "
                + "right.");
    }

    @Test
    void anUnknownHostSaysSo() {
        PSQLException failed = new PSQLException("The connection attempt failed.",
                PSQLState.CONNECTION_UNABLE_TO_CONNECT, new UnknownHostException("db.invalid"));

        assertThat(ConnectFailure.message(URL, null, failed))
                .contains(": the host name db.invalid cannot be resolved. Check that the server");
    }

    @Test
    void aDriverMessageEndingInAFullStopGetsNoSecond() {
        PSQLException failed = new PSQLException("FATAL: database \"shop\" does not exist.",
                PSQLState.CONNECTION_UNABLE_TO_CONNECT);

        String message = ConnectFailure.message(URL, null, failed);

        assertThat(message).doesNotContain("..").doesNotContain(". .")
                .endsWith("does not exist. Check that the server is running and reachable and that "
                        + "the URL, user and password are right.");
    }

    @Test
    void aDriverMessageWithoutAFullStopGetsOne() {
        PSQLException failed = new PSQLException("FATAL: password authentication failed for user \"app\"",
                PSQLState.INVALID_PASSWORD);

        assertThat(ConnectFailure.message(URL, null, failed))
                .contains("for user \"app\". Check that the server");
    }

    @Test
    void aDriverMessageQuotingTheUrlIsMasked() {
        PSQLException failed = new PSQLException("bad url postgresql://app:Hunter2Secret@db.invalid/shop\nnext line",
                PSQLState.CONNECTION_UNABLE_TO_CONNECT);

        assertThat(ConnectFailure.message(URL, null, failed)).doesNotContain("Hunter").doesNotContain("\n");
    }

    @Test
    void anInterruptedWaitSaysSoWithoutAdvice() {
        PSQLException unusual = new PSQLException("Something unusual has occurred to cause the driver to fail. "
                + "Please report this exception.", PSQLState.UNEXPECTED_ERROR,
                new RuntimeException(GT.tr("Interrupted while attempting to connect.")));

        assertThat(ConnectFailure.message(URL, "connect", unusual)).isEqualTo("Stopped connecting to "
                + "postgresql://app:***@db.invalid:6000/shop: interrupted before db.invalid:6000 answered.");
    }
}
