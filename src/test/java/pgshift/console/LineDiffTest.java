package pgshift.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class LineDiffTest {

    @Test
    void equalTextsHaveNoDiff() {
        assertThat(LineDiff.of(List.of("a", "b"), List.of("a", "b"))).isEmpty();
    }

    @Test
    void aChangedLineShowsWithTwoLinesOfContext() {
        List<String> before = List.of("1", "2", "3", "old", "5", "6", "7");
        List<String> after = List.of("1", "2", "3", "new", "5", "6", "7");
        assertThat(LineDiff.of(before, after)).isEqualTo("""
                @@ from line 2 @@
                  2
                  3
                - old
                + new
                  5
                  6
                """);
    }

    @Test
    void insertionsAndDeletionsKeepTheCommonLines() {
        assertThat(LineDiff.of(List.of("a", "b", "c"), List.of("b", "c", "d"))).isEqualTo("""
                @@ from line 1 @@
                - a
                  b
                  c
                + d
                """);
    }

    @Test
    void aRewriteTooBigToCompareIsSummarised() {
        List<String> before = java.util.stream.IntStream.range(0, 3000).mapToObj(i -> "a" + i).toList();
        List<String> after = java.util.stream.IntStream.range(0, 3000).mapToObj(i -> "b" + i).toList();
        assertThat(LineDiff.of(before, after)).startsWith("@@ lines 1-3000 (recorded) became lines 1-3000 (file)");
    }
}
