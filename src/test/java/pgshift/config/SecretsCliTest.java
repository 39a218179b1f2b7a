package pgshift.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import pgshift.testing.Cli;

/** The whole command line, stack traces included, never prints a password from a malformed URL. */
class SecretsCliTest {

    @TempDir
    Path dir;

    private static final String[] MALFORMED = {
            "postgresql://app:Hunter2Pw9/host:5432/db",
            "postgresql://app:Hunter2Pw9#host:5432/db",
            "postgresql://app:Hunter2 Pw9@host:port/db",
            "postgresql://app:Hunter2Pw9%zz@host/db",
            "postgresql://app:Hunter2?Pw9@host:port/db",
            "jdbc:postgresql://host:port/db?user=app&password=Hunter2Pw9",
            "jdbc:postgresql://host/db?password=Hunter2 Pw9&sslmode",
            "Hunter2Pw9",
            "app:Hunter2Pw9@host/db"};

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"--database-url", "DATABASE_URL", ".env"})
    void malformedUrlsFailWithoutThePasswordEvenVerbose(String from) throws IOException {
        Files.createDirectories(dir.resolve("migrations"));
        for (String url : MALFORMED) {
            Cli.Result result = switch (from) {
                case "--database-url" -> Cli.run(dir, "--verbose", "--database-url", url, "status");
                case "DATABASE_URL" -> Cli.run(dir, Map.of("DATABASE_URL", url), "--verbose", "status");
                default -> {
                    Files.writeString(dir.resolve(".env"), "DATABASE_URL='" + url + "'\n");
                    yield Cli.run(dir, "--verbose", "status");
                }
            };

            assertThat(result.code()).as(url + "\n" + result).isEqualTo(3);
            assertThat(result.err()).as(url).contains("Cannot use the database URL")
                    .contains("@host:port/database?sslmode=require").contains("jdbc:postgresql://host:port/database");
            assertThat(result.all()).as(url + "\n" + result).doesNotContain("Hunter2").doesNotContain("Pw9");
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"postgresql://app:Hunter2Pw9#host/db", "postgresql://app:Hunter2Pw9@host/db"})
    void aUrlTypedWhereACommandBelongsIsMasked(String url) {
        Cli.Result result = Cli.run(dir, "--verbose", url);

        assertThat(result.code()).as(result.toString()).isEqualTo(2);
        assertThat(result.all()).as(result.toString()).doesNotContain("Hunter2");
    }
}
