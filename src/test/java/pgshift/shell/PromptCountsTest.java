package pgshift.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pgshift.migration.MigrationState;

class PromptCountsTest {

    @ParameterizedTest(name = "{0} {1} {2} {3} {4}")
    @CsvSource(delimiter = '|', value = {
            // applied | pending | modified | missing | out-of-order | prompt
            "0 | 0 | 0 | 0 | 0 | 0 pending",
            "5 | 2 | 0 | 0 | 0 | 2 pending",
            "5 | 2 | 1 | 0 | 0 | 2 pending, 1 modified",
            "5 | 0 | 0 | 3 | 0 | 0 pending, 3 missing",
            "5 | 0 | 0 | 0 | 1 | 0 pending, 1 out-of-order",
            "1 | 4 | 2 | 3 | 1 | 4 pending, 2 modified, 3 missing, 1 out-of-order",
    })
    void countsWhatNeedsAttention(int applied, int pending, int modified, int missing, int outOfOrder, String expected) {
        Map<MigrationState, Integer> counts = new EnumMap<>(MigrationState.class);
        counts.put(MigrationState.APPLIED, applied);
        counts.put(MigrationState.PENDING, pending);
        counts.put(MigrationState.MODIFIED, modified);
        counts.put(MigrationState.MISSING, missing);
        counts.put(MigrationState.OUT_OF_ORDER, outOfOrder);
        assertThat(PromptCounts.of(counts)).isEqualTo(expected);
    }
}
