package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import pgshift.testing.Cli;
import pgshift.testing.MigrationDb;

/** status sees every edit of an applied file, whatever its size and time, and writes nothing into the project. */
class EditDetectionIT {

    @RegisterExtension
    final MigrationDb db = new MigrationDb();

    @Test
    void anEditKeepingSizeAndModificationTimeShowsAsModified() throws Exception {
        Path file = db.write("1_accounts.sql", "create table accounts (id int);\n");
        long written = System.currentTimeMillis();
        await().atMost(Duration.ofSeconds(10)).until(() -> System.currentTimeMillis() - written > 1500);
        assertThat(db.pgshift("apply").code()).isZero();
        assertThat(db.pgshift("status", "--check").code()).as("applied, and now remembered").isZero();

        FileTime time = Files.getLastModifiedTime(file);
        Files.writeString(file, "create table accounts (ix int);\n"); // same size
        Files.setLastModifiedTime(file, time);

        Cli.Result status = db.pgshift("status");
        assertThat(status.out()).contains("modified");
        assertThat(db.pgshift("status", "--check").code()).isEqualTo(1);
    }

    @Test
    void nothingIsWrittenIntoTheProjectWhenADatabaseUrlIsSet() throws Exception {
        db.write("1_accounts.sql", "create table accounts (id int);\n");
        assertThat(db.pgshift("apply").code()).isZero();
        assertThat(db.pgshift("status").code()).isZero();
        try (var files = Files.walk(db.workDir())) {
            assertThat(files.filter(p -> !p.startsWith(db.folder())).filter(p -> !p.equals(db.workDir())).toList())
                    .as("nothing beside the migrations folder the test wrote (no .pgshift/, no cache)").isEmpty();
        }
        try (var files = Files.list(db.folder())) {
            assertThat(files.toList()).containsExactly(db.folder().resolve("1_accounts.sql"));
        }
    }
}
