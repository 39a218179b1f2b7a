package pgshift.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pgshift.PgshiftException;

class MigrationFileTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "20251112000001_add_bounce_tracking.sql | 20251112000001 | add_bounce_tracking",
            "1_init.sql                             | 1              | init",
            "0001_init.sql                          | 0001           | init",
            "2_.sql                                 | 2              | ''",
            "3_two_under_scores__x.sql              | 3              | two_under_scores__x",
            "4_with space.sql                       | 4              | with space",
            "5_dots.in.name.sql                     | 5              | dots.in.name",
            "6_a_b.sql                              | 6              | a_b",
            "init.sql                               | -              | -",
            "_init.sql                              | -              | -",
            "12init.sql                             | -              | -",
            "v1_init.sql                            | -              | -",
            "1_init.SQL                             | -              | -",
            "1_init.sql.bak                         | -              | -",
            "1-init.sql                             | -              | -",
    })
    void parsesTheSupabaseNameRule(String fileName, String version, String name) {
        var parsed = MigrationFile.parse(Path.of("migrations", fileName));
        if (version == null) {
            assertThat(parsed).isEmpty();
        } else {
            assertThat(parsed).get().satisfies(f -> {
                assertThat(f.version()).isEqualTo(version);
                assertThat(f.name()).isEqualTo(name);
            });
        }
    }

    @Test
    void versionsSortAsNumbers() {
        List<String> versions = new ArrayList<>(List.of("10", "9", "0100", "2", "20251112000001", "99", "abc", "0",
                "007", "7", "00"));
        versions.sort(MigrationFile.VERSION_ORDER);
        assertThat(versions).containsExactly("0", "00", "2", "007", "7", "9", "10", "99", "0100", "20251112000001", "abc");
        for (String a : versions) {
            for (String b : versions) {
                if (!a.equals("abc") && !b.equals("abc")) {
                    int byNumber = MigrationFile.numeric(a).compareTo(MigrationFile.numeric(b));
                    if (byNumber != 0) {
                        assertThat(Integer.signum(MigrationFile.VERSION_ORDER.compare(a, b))).as(a + " vs " + b)
                                .isEqualTo(Integer.signum(byNumber));
                    }
                }
            }
        }
    }

    @Test
    void numericComparisonsWithoutNumbersAgreeWithTheNumbers() {
        List<String> versions = List.of("10", "9", "0100", "2", "20251112000001", "99", "abc", "0", "007", "7", "00",
                "+7", "-1", "", "1".repeat(90));
        for (String a : versions) {
            for (String b : versions) {
                int byNumber = MigrationFile.numeric(a).compareTo(MigrationFile.numeric(b));
                assertThat(Integer.signum(MigrationFile.compareNumbers(a, b))).as(a + " vs " + b)
                        .isEqualTo(Integer.signum(byNumber));
                assertThat(MigrationFile.numericKey(a).equals(MigrationFile.numericKey(b))).as(a + " vs " + b)
                        .isEqualTo(byNumber == 0);
            }
        }
    }

    @Test
    void folderScanSortsWarnsAndIgnoresSubfolders(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("10_b.sql"), "");
        Files.writeString(dir.resolve("9_a.sql"), "");
        Files.writeString(dir.resolve("notes.sql"), "");
        Files.writeString(dir.resolve("README.md"), "");
        Files.createDirectories(dir.resolve("11_folder.sql"));
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/12_nested.sql"), "");

        MigrationFolder.Scan scan = MigrationFolder.scan(dir);

        assertThat(scan.files()).extracting(MigrationFile::version).containsExactly("9", "10");
        assertThat(scan.warnings()).containsExactly(
                "Skipping notes.sql: a migration file name must look like <digits>_<name>.sql, e.g. "
                        + "20251112000001_add_bounce_tracking.sql.");
    }

    @Test
    void duplicateVersionsNameBothFiles(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("7_first.sql"), "");
        Files.writeString(dir.resolve("007_second.sql"), "");
        assertThatThrownBy(() -> MigrationFolder.scan(dir))
                .isInstanceOf(PgshiftException.class)
                .hasMessageContaining("007_second.sql and 7_first.sql")
                .satisfies(e -> assertThat(((PgshiftException) e).exitCode()).isEqualTo(1));
    }

    @Test
    void aMissingFolderIsAConfigurationError(@TempDir Path dir) {
        assertThatThrownBy(() -> MigrationFolder.scan(dir.resolve("nope")))
                .isInstanceOf(PgshiftException.class)
                .hasMessageContaining("does not exist").hasMessageContaining("--dir")
                .satisfies(e -> assertThat(((PgshiftException) e).exitCode()).isEqualTo(3));
    }
}
