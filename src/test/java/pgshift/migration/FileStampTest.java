package pgshift.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStampTest {

    @TempDir
    Path dir;

    @Test
    void aWriteChangesTheStampAndAMissingFileHasNone() throws Exception {
        Path file = Files.writeString(dir.resolve("1_a.sql"), "create table a (id int);\n");
        FileStamp before = FileStamp.of(file);
        assertThat(before.sameFileAs(FileStamp.of(file))).isTrue();

        Files.writeString(file, "create table a (id bigint);\n");
        assertThat(before.sameFileAs(FileStamp.of(file))).isFalse();
        assertThat(FileStamp.of(dir.resolve("gone.sql"))).isNull();
        assertThat(before.sameFileAs(null)).isFalse();
    }

    @Test
    void aStampIsSettledOnlyWhenTheFileChangedMoreThanASecondBeforeIt() throws Exception {
        FileStamp fresh = FileStamp.of(Files.writeString(dir.resolve("1_a.sql"), "select 1;\n"));
        assertThat(fresh.settled()).as("written just now").isFalse();

        long second = 1_000_000_000L;
        assertThat(new FileStamp(10, 5 * second, 5 * second, 1, 6 * second + 1).settled()).isTrue();
        assertThat(new FileStamp(10, 5 * second, 5 * second, 1, 6 * second).settled()).isFalse();
    }
}
