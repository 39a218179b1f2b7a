package pgshift.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import picocli.CommandLine.TypeConversionException;

import pgshift.testing.Cli;

class DurationConverterTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            10s      | PT10S
            10       | PT10S
            ' 10s '  | PT10S
            500ms    | PT0.5S
            2m       | PT2M
            1h       | PT1H
            24h      | PT24H
            1440m    | PT24H
            86400    | PT24H
            86400000ms | PT24H
            0        | PT0S
            0ms      | PT0S
            007s     | PT7S
            000000000000000000000000000000000000000001h | PT1H
            """)
    void readsDurations(String text, String expected) {
        assertThat(new DurationConverter().convert(text)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"25h", "1441m", "86401", "86400001ms", "9223372036854775807h",
            "9223372036854775807m", "9223372036854775807", "99999999999999999999s", "99999999999999999999ms"})
    void rejectsDurationsAboveADay(String text) {
        assertThatThrownBy(() -> new DurationConverter().convert(text))
                .isInstanceOf(TypeConversionException.class)
                .hasMessage("'" + text + "' is too long a duration: use a whole number with ms, s, m or h, "
                        + "like 10s, 500ms, 2m or 1h, from 0 up to 24h");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"-1s", "-0", "1.5s", "10 s", "10d", "s", "", "1e3", "+5s", "10sec"})
    void rejectsOtherForms(String text) {
        assertThatThrownBy(() -> new DurationConverter().convert(text))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageStartingWith("'" + text + "' is not a duration: use a whole number with ms, s, m or h");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"99999999999999999999s", "9223372036854775807h", "-5s"})
    void anUnusableLockTimeoutIsAUsageError(String text, @TempDir Path dir) {
        Cli.Result result = Cli.run(dir, "--lock-timeout", text, "status");

        assertThat(result.code()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).contains("'" + text + "'").contains("like 10s, 500ms, 2m or 1h")
                .doesNotContain("Exception");
    }
}
