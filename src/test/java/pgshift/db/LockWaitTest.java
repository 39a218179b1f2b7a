package pgshift.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LockWaitTest {

    @ParameterizedTest
    @CsvSource({"0.25, 250 ms", "1, 1 s", "59.6, 60 s", "119, 119 s", "180, 3 min", "7199, 120 min", "7200, 2 h"})
    void durationsReadAsAPersonSaysThem(double seconds, String expected) {
        assertThat(LockWaitWatch.human(seconds)).isEqualTo(expected);
    }

    @Test
    void aBlockerIsDescribedWithWhatItLastDid() {
        var idle = new LockWait.Blocker(4242, "myapp", "idle in transaction", 185, "10.0.0.7", "UPDATE t SET a = 1");
        assertThat(idle.describe()).isEqualTo(
                "pid 4242 (application myapp, idle in transaction for 3 min, client 10.0.0.7, last query 'UPDATE t SET a = 1')");
        var running = new LockWait.Blocker(7, "", "active", 5, null, "SELECT pg_sleep(60)");
        assertThat(running.describe()).isEqualTo("pid 7 (application unnamed, active for 5 s, client local socket, query 'SELECT pg_sleep(60)')");
        var hidden = new LockWait.Blocker(9, "other", null, 0, null, "<insufficient privilege>");
        assertThat(hidden.describe()).isEqualTo("pid 9 (application other, client local socket)");
    }

    @Test
    void holdersNameTheFirstBlockerAndCountTheRest() {
        var blocker = new LockWait.Blocker(1, "a", "active", 3, null, "x");
        assertThat(new LockWait("a lock on table t", true, 3, blocker, 2).holders()).startsWith("held by pid 1 (").endsWith(") and 2 more sessions");
        assertThat(new LockWait("a lock on table t", true, 3, null, 0).holders()).isEqualTo("held by a session this user cannot see");
        assertThat(new LockWait("older transactions to end", false, 3, blocker, 0).holders()).startsWith("among them pid 1 (");
    }
}
