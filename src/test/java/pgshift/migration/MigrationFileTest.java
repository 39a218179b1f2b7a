package pgshift.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import pgshift.failure.PgshiftException;

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

    @ParameterizedTest(name = "{0} before {1}")
    @CsvSource(delimiter = '|', value = {
            // The real case: an 8-digit date beside a 14-digit timestamp; byte order, not numbers.
            "20250819100000 | 20250821",
            "10             | 9",
            "0100           | 2",
            "007            | 7",
            "0              | 00",
            "1              | 10",
            "20251112000001 | abc",
    })
    void versionsSortAsText(String first, String second) {
        assertThat(MigrationFile.VERSION_ORDER.compare(first, second)).isNegative();
        assertThat(MigrationFile.VERSION_ORDER.compare(second, first)).isPositive();
        assertThat(MigrationFile.VERSION_ORDER.compare(first, first)).isZero();
    }

    @ParameterizedTest(name = "{0} runs before {1}")
    @CsvSource(delimiter = '|', value = {
            "20250819100000_y.sql | 20250821_x.sql",
            // '0' sorts before '_', as in Go's fs.ReadDir: the file-name order, not the version order.
            "10_a.sql             | 1_b.sql",
            "1_a.sql              | 1_b.sql",
            "2_Z.sql              | 2_a.sql",
            // UTF-8 byte order: U+1F600 (4 bytes, F0..) after U+FF5E (EF BD BE), where UTF-16 puts it before.
            "3_\uff5e.sql         | 3_\ud83d\ude00.sql",
    })
    void filesRunInFileNameByteOrder(String first, String second) {
        MigrationFile a = MigrationFile.parse(Path.of(unescape(first))).orElseThrow();
        MigrationFile b = MigrationFile.parse(Path.of(unescape(second))).orElseThrow();
        assertThat(MigrationFile.RUN_ORDER.compare(a, b)).isNegative();
        assertThat(MigrationFile.RUN_ORDER.compare(b, a)).isPositive();
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            if (s.startsWith("\\u", i)) {
                out.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
                i += 5;
            } else {
                out.append(s.charAt(i));
            }
        }
        return out.toString();
    }

    @ParameterizedTest(name = "{0} ~ {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "002 | 2   | true",
            "01  | 1   | true",
            "0   | 00  | true",
            "2   | 2   | false",
            "2   | 20  | false",
            "abc | abc | false",
            "1   | abc | false",
    })
    void leadingZeroTwins(String a, String b, boolean same) {
        assertThat(MigrationFile.sameNumber(a, b)).isEqualTo(same);
        assertThat(MigrationFile.sameNumber(b, a)).isEqualTo(same);
    }

    static Stream<Arguments> controlCharacters() {
        return Stream.of(
                Arguments.of("1_plain.sql", "1_plain.sql"),
                Arguments.of("1_a\nb.sql", "1_a\\nb.sql"),
                Arguments.of("1_a\rb.sql", "1_a\\rb.sql"),
                Arguments.of("1_a\u001b[31mb.sql", "1_a\\x1b[31mb.sql"),
                Arguments.of("1_a\tb\u0007.sql", "1_a\\tb\\x07.sql"),
                Arguments.of("1_\u0085x\u007f.sql", "1_\\x85x\\x7f.sql"),
                Arguments.of("1_\u202etxt.sql", "1_\\u202etxt.sql"),
                Arguments.of("1_caf\u00e9_\u8868.sql", "1_caf\u00e9_\u8868.sql"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("controlCharacters")
    void namesArePrintedWithControlCharactersEscaped(String raw, String printed) {
        assertThat(MigrationFile.printable(raw)).isEqualTo(printed);
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

        assertThat(scan.files()).extracting(MigrationFile::version).containsExactly("10", "9");
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
                .hasMessageContaining("the versions 007 and 7, the same number")
                .satisfies(e -> assertThat(((PgshiftException) e).exitCode()).isEqualTo(1));
    }

    @Test
    void identicalVersionsNameBothFiles(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("7_first.sql"), "");
        Files.writeString(dir.resolve("7_second.sql"), "");
        assertThatThrownBy(() -> MigrationFolder.scan(dir))
                .hasMessageContaining("have the version 7: 7_first.sql and 7_second.sql");
    }

    @Test
    void theRealCaseRunsTheLongerTimestampFirst(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("20250821_x.sql"), "");
        Files.writeString(dir.resolve("20250819100000_y.sql"), "");
        assertThat(MigrationFolder.scan(dir).files()).extracting(MigrationFile::fileName)
                .containsExactly("20250819100000_y.sql", "20250821_x.sql");
    }

    @Test
    void upperCaseExtensionsAreSkippedWithAWarning(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("1_a.SQL"), "");
        Files.writeString(dir.resolve("2_b.Sql"), "");
        Files.writeString(dir.resolve("3_c.sql"), "");
        Files.createDirectories(dir.resolve("4_folder.SQL"));
        MigrationFolder.Scan scan = MigrationFolder.scan(dir);
        assertThat(scan.files()).extracting(MigrationFile::fileName).containsExactly("3_c.sql");
        assertThat(scan.warnings()).hasSize(2).allSatisfy(w -> assertThat(w).contains("lower-case .sql"));
        assertThat(scan.warnings().get(0)).startsWith("Skipping 1_a.SQL: ").endsWith("Rename it to 1_a.sql if it is a migration.");
    }

    @Test
    void danglingSymlinksNamedLikeMigrationsAreSkippedWithAWarning(@TempDir Path dir) throws Exception {
        Files.createSymbolicLink(dir.resolve("4_gone.sql"), dir.resolve("elsewhere/4_gone.sql"));
        Files.writeString(dir.resolve("5_real.sql"), "");
        Files.createSymbolicLink(dir.resolve("6_link.sql"), dir.resolve("5_real.sql"));
        MigrationFolder.Scan scan = MigrationFolder.scan(dir);
        assertThat(scan.files()).extracting(MigrationFile::fileName).containsExactly("5_real.sql", "6_link.sql");
        assertThat(scan.warnings()).containsExactly("Skipping 4_gone.sql: it is a symbolic link to "
                + dir.resolve("elsewhere/4_gone.sql") + ", which does not exist.");
    }

    @Test
    void controlCharactersInNamesAreEscapedInWarnings(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("bad\nname.sql"), "");
        Files.writeString(dir.resolve("x\u001b[2J\u0007.SQL"), "");
        Files.writeString(dir.resolve("1_a\nb.sql"), "");
        MigrationFolder.Scan scan = MigrationFolder.scan(dir);
        assertThat(scan.files()).isEmpty();
        assertThat(scan.warnings()).hasSize(3).allSatisfy(w -> assertThat(w).doesNotContain("\n", "\u001b", "\u0007"));
        assertThat(String.join("|", scan.warnings())).contains("Skipping 1_a\\nb.sql: ", "Skipping bad\\nname.sql: ",
                "Skipping x\\x1b[2J\\x07.SQL: ");
    }

    @Test
    void namesThatAreNotUtf8DoNotBreakTheScan(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.io.File.separatorChar == '/');
        Files.writeString(dir.resolve("2_fine.sql"), "");
        // Latin-1 "caf\u00e9": the byte E9 alone is not UTF-8. Java cannot spell such a name, so the shell makes it.
        Process touch = new ProcessBuilder("/bin/sh", "-c", "touch \"$(printf '1_caf\\351.sql')\"").directory(dir.toFile())
                .inheritIO().start();
        assertThat(touch.waitFor()).isZero();
        MigrationFolder.Scan scan = MigrationFolder.scan(dir);
        assertThat(scan.files()).extracting(MigrationFile::fileName).containsExactly("2_fine.sql");
        assertThat(scan.warnings()).singleElement().asString().startsWith("Skipping 1_caf\uFFFD.sql: ").contains("not valid UTF-8");
    }

    @Test
    void aMissingFolderIsAConfigurationError(@TempDir Path dir) {
        assertThatThrownBy(() -> MigrationFolder.scan(dir.resolve("nope")))
                .isInstanceOf(PgshiftException.class)
                .hasMessageContaining("does not exist").hasMessageContaining("--dir")
                .satisfies(e -> assertThat(((PgshiftException) e).exitCode()).isEqualTo(3));
    }
}
