package pgshift.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SnapshotsTest {

    /** FILE_COPY only where the server has it (15+) and its checkpoint and copy need no fsync. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "140012 | false | ''",
            "140012 | true  | ''",
            "150000 | false | ' STRATEGY FILE_COPY'",
            "170011 | false | ' STRATEGY FILE_COPY'",
            "150000 | true  | ''",
            "170011 | true  | ''"})
    void snapshotsAreCopiedFileByFileOnlyOnAServerThatHasItAndRunsWithoutFsync(int version, boolean fsync, String clause) {
        assertThat(Snapshots.copyStrategy(version, fsync)).isEqualTo(clause);
    }
}
