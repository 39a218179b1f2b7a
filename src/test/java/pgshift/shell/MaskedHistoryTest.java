package pgshift.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;

import org.jline.reader.LineReaderBuilder;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MaskedHistoryTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            connect postgresql://u:pw@h/db                               | connect postgresql://u:***@h/db
            connect postgresql://u:p@ss#word@host/db                     | connect postgresql://u:***@host/db
            connect postgresql://u:p@s?s@host/db?sslmode=require         | connect postgresql://u:***@host/db?sslmode=require
            connect postgresql://u:p#s?s@host/db                         | connect postgresql://u:***@host/db
            connect postgresql://u:p%40ss%23w%3F@host/db                 | connect postgresql://u:***@host/db
            connect postgresql://u:p://w@h/db                            | connect postgresql://u:***@h/db
            connect postgresql://u:my secret@h/db                        | connect postgresql://u:***@h/db
            connect 'postgresql://u:my secret@h/db'                      | connect 'postgresql://u:***@h/db'
            `  connect   postgresql://u:a@b@c@h:6543/db  `               | `  connect   postgresql://u:***@h:6543/db  `
            connect postgresql://app:SECRET/host:5432/db                 | connect postgresql://app:***/db
            connect postgresql://app:SECRET#host:5432/db                 | connect postgresql://app:***/db
            connect jdbc:postgresql://h/db?user=u&password=my secret&x=1 | connect jdbc:postgresql://h/db?user=u&password=***&x=1
            connect jdbc:postgresql://h/db?password=p@w&user=u           | connect jdbc:postgresql://h/db?password=***&user=u
            connect hunter2secret                                        | connect ***
            connect --help                                               | connect --help
            connect postgresql://u@h/db                                  | connect postgresql://u@h/db
            connect postgresql://h:5432/db                               | connect postgresql://h:5432/db
            sql alter role x password 'secret'                           | sql alter role x password '***'
            sql alter role x password $$secret$$                         | sql alter role x password '***'
            sql alter role x password $pw$sec$$ret$pw$ login             | sql alter role x password '***' login
            sql create role x login encrypted password 'secret'         | sql create role x login encrypted password '***'
            sql alter user x with password E'se\\'cret'                  | sql alter user x with password '***'
            sql alter user x with password U&'se\\0063ret'               | sql alter user x with password '***'
            sql alter role x password null                               | sql alter role x password null
            status --verbose                                             | status --verbose
            """)
    void masksPasswordsInTypedLines(String line, String kept) {
        assertThat(MaskedHistory.mask(line)).isEqualTo(kept);
    }

    @Test
    void aMultiLineEntryIsMaskedAcrossItsLines() {
        assertThat(MaskedHistory.mask("sql create role x login password\n  $tag$sec\nret$tag$;"))
                .isEqualTo("sql create role x login password\n  '***'\n;");
    }

    @Test
    void theHistoryKeepsOnlyTheMaskedLine() throws IOException {
        MaskedHistory history = new MaskedHistory();
        try (DumbTerminal terminal = new DumbTerminal(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream())) {
            LineReaderBuilder.builder().terminal(terminal).history(history).build();
            history.add(Instant.now(), "connect postgresql://u:p@ss#w?rd@h/db");
            history.add(Instant.now(), "sql alter role r password $$s3cret$$");
        }

        assertThat(history).extracting(entry -> entry.line())
                .containsExactly("connect postgresql://u:***@h/db", "sql alter role r password '***'");
    }
}
