package pgshift.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettlerTest {

    @TempDir
    Path folder;

    @Test
    void pathsTouchedTogetherAreHandedOverTogetherOnce() throws Exception {
        List<Set<Path>> batches = new CopyOnWriteArrayList<>();
        try (Settler settler = new Settler(Duration.ofMillis(50), batches::add)) {
            Path a = Files.writeString(folder.resolve("1_a.sql"), "select 1;");
            Path b = Files.writeString(folder.resolve("2_b.sql"), "select 2;");
            settler.touch(b);
            settler.touch(a);
            settler.touch(b);
            assertThat(settler.isSettling(a)).isTrue();

            await().atMost(Duration.ofSeconds(10)).until(() -> batches.size() == 1);
            assertThat(batches.get(0)).containsExactlyInAnyOrder(a, b);
            assertThat(settler.isSettling(a)).isFalse();

            // A later touch is a batch of its own: the first was not handed over twice.
            Path c = Files.writeString(folder.resolve("3_c.sql"), "select 3;");
            settler.touch(c);
            await().atMost(Duration.ofSeconds(10)).until(() -> batches.size() == 2);
            assertThat(batches.get(1)).containsExactly(c);
        }
    }

    @Test
    void aDeletedPathIsHandedOverToo() throws Exception {
        List<Set<Path>> batches = new CopyOnWriteArrayList<>();
        try (Settler settler = new Settler(Duration.ofMillis(20), batches::add)) {
            Path gone = folder.resolve("1_gone.sql");
            settler.touch(gone);
            await().atMost(Duration.ofSeconds(10)).until(() -> batches.size() == 1);
            assertThat(batches.get(0)).containsExactly(gone);
        }
    }
}
