package pgshift.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SentencesTest {

    @ParameterizedTest(name = "[{index}] {0} + {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            Refused.           | Check it   | Refused. Check it.
            Refused            | Check it.  | Refused. Check it.
            'Refused.  '       | Check it   | Refused. Check it.
            Is it up?          | Check it   | Is it up? Check it.
            Stop!              | Check it   | Stop! Check it.
            Refused            | ''         | Refused.
            NULL               | Check it   | Check it.
            ''                 | ''         | ''
            """)
    void joinsWithExactlyOneFullStop(String first, String second, String expected) {
        assertThat(Sentences.join(first, second)).isEqualTo(expected);
    }
}
