package pgshift.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LedgerCopyTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "insert into t values (1)", "\u00e9t\u00e9", "\u20ac 5", "\uD83D\uDE00 emoji",
            "lone \uD83D high", "lone \uDE00 low", "end \uD83D", "\u0000\u007f\u0080\u07ff\u0800\uffff"})
    void utf8LengthIsTheLengthOfTheBytesSent(String text) {
        assertThat(LedgerCopy.utf8Length(text)).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
    }
}
