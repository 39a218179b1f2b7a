package pgshift.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StatusViewTest {

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-22T09:59:40.123456+00:00", "2025-01-03T23:30:05+02:00", "2024-12-31T23:59:59-01:00",
            "1999-01-01T00:00:00+14:00", "0999-06-01T10:00:00Z", "9999-12-31T23:59:59-05:00"})
    void appliedAtIsWrittenAsTheFormatterWouldInUtc(String text) {
        OffsetDateTime at = OffsetDateTime.parse(text);
        String expected = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
                .format(at.withOffsetSameInstant(ZoneOffset.UTC));
        assertThat(StatusView.utc(at)).isEqualTo(expected);
    }
}
