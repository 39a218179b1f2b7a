package pgshift.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pgshift.testing.Cli;

class NewCommandTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "Add Bounce-Tracking!      | add_bounce_tracking",
            "Über Größe café           | uber_grosse_cafe",
            "ÆSIR Ørsted Œuvre         | aesir_orsted_oeuvre",
            "Łódź đak þorn             | lodz_dak_thorn",
            "crème brûlée 2            | creme_brulee_2",
            "add 用户 table             | add_table",
            "用户表                      | ''",
            "!!!                       | ''",
    })
    void namesKeepTheirLettersBaseForms(String typed, String expected) {
        assertThat(NewCommand.sanitize(typed)).isEqualTo(expected);
    }

    @Test
    void twoFilesInTheSameSecondGetTwoVersions(@TempDir Path dir) throws Exception {
        Clock frozen = Clock.fixed(Instant.parse("2026-11-27T08:00:59Z"), ZoneOffset.UTC);
        Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(dir.resolve("migrations/20261127080100_taken.SQL"), ""); // any file with the version takes it
        Path first = NewCommand.create(dir.resolve("migrations"), "a", frozen);
        Path second = NewCommand.create(dir.resolve("migrations"), "a", frozen);
        assertThat(first.getFileName()).hasToString("20261127080059_a.sql");
        assertThat(second.getFileName()).hasToString("20261127080101_a.sql");
    }

    @Test
    void twoNewCommandsInARowCreateDistinctVersions(@TempDir Path dir) throws Exception {
        Cli.Result first = Cli.run(dir, "new", "add", "users");
        Cli.Result second = Cli.run(dir, "new", "add", "users");
        assertThat(first.code()).as(first.toString()).isZero();
        assertThat(second.code()).as(second.toString()).isZero();
        try (Stream<Path> files = Files.list(dir.resolve("migrations"))) {
            assertThat(files.map(p -> p.getFileName().toString().substring(0, 14)).distinct().count()).isEqualTo(2);
        }
        assertThat(first.out().trim()).isNotEqualTo(second.out().trim()).matches("migrations/\\d{14}_add_users\\.sql");
    }

    @Test
    void aNameWithoutLatinLettersIsAUsageError(@TempDir Path dir) {
        Cli.Result r = Cli.run(dir, "new", "用户表");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("'用户表' has no letters a-z or digits").contains("e.g. new add_bounce_tracking");
        assertThat(dir.resolve("migrations")).doesNotExist();
    }
}
