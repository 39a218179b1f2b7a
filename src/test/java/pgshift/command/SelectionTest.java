package pgshift.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pgshift.failure.PgshiftException;

class SelectionTest {

    @ParameterizedTest(name = "{0} in 002 3 abc: {1}")
    @CsvSource(delimiter = '|', value = {
            "002  | 002",
            "3    | 3",
            "abc  | abc",
            "4    | -",
            "2    | !did you mean 002?",
            "0002 | !did you mean 002?",
            "03   | !did you mean 3?",
    })
    void versionsMatchExactlyAndNumberTwinsAreNamed(String wanted, String expected) {
        List<String> versions = List.of("002", "3", "abc");
        if (expected.startsWith("!")) {
            assertThatThrownBy(() -> Selection.matching(versions, Function.identity(), wanted))
                    .isInstanceOf(PgshiftException.class)
                    .hasMessage("No migration has version " + wanted + "; " + expected.substring(1)
                            + " Versions match exactly, as text, as in the ledger.");
        } else if (expected.equals("-")) {
            assertThat(Selection.matching(versions, Function.identity(), wanted)).isEmpty();
        } else {
            assertThat(Selection.matching(versions, Function.identity(), wanted)).contains(expected);
        }
    }
}
