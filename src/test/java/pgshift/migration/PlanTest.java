package pgshift.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import pgshift.failure.PgshiftException;

/** Plan states, table-driven: files (version=statement) and ledger rows (version=statement) in, states out. */
class PlanTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("nothing anywhere", "", "", ""),
                Arguments.of("all pending", "1=a 2=b", "", "1:pending 2:pending"),
                Arguments.of("all applied", "1=a 2=b", "1=a 2=b", "1:applied 2:applied"),
                Arguments.of("next is pending", "1=a 2=b", "1=a", "1:applied 2:pending"),
                Arguments.of("gap is out of order", "1=a 2=b 3=c", "1=a 3=c", "1:applied 2:out-of-order 3:applied"),
                Arguments.of("text, not numeric, order", "9=a 10=b", "10=b", "10:applied 9:pending"),
                Arguments.of("the real case: file-name order", "20250821=x 20250819100000=y", "",
                        "20250819100000:pending 20250821:pending"),
                Arguments.of("the real case, one applied", "20250821=x 20250819100000=y", "20250821=x",
                        "20250819100000:out-of-order 20250821:applied"),
                Arguments.of("a prefix runs after its extensions, as fs.ReadDir lists them", "1=a 10=b", "",
                        "10:pending 1:pending"),
                Arguments.of("missing rows placed by version as text", "2=b", "10=a 2=b", "10:missing 2:applied"),
                Arguments.of("renamed with fewer leading zeros", "2=a 3=c", "002=a", "002:missing 2:conflict 3:pending"),
                Arguments.of("renamed with more leading zeros", "0003=c", "3=c", "0003:conflict 3:missing"),
                Arguments.of("an exact row wins over a twin", "2=a", "002=a 2=a", "002:missing 2:applied"),
                Arguments.of("edited statement", "1=select_2", "1=select_1", "1:modified"),
                Arguments.of("whitespace edit is not modified", "1=create_table_t(a_int)", "1=create_table__t_(a_int)", "1:applied"),
                Arguments.of("ledger row without file", "2=b", "1=a 2=b", "1:missing 2:applied"),
                Arguments.of("missing and newer pending", "3=c", "1=a", "1:missing 3:pending"),
                Arguments.of("row without statements is applied", "1=anything", "1=", "1:applied"),
                Arguments.of("older than newest missing row", "1=a", "5=e", "1:out-of-order 5:missing"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void states(String title, String files, String ledger, String expected) {
        List<MigrationFile> fileList = new ArrayList<>();
        Map<String, List<String>> texts = new HashMap<>();
        for (String f : split(files)) {
            String[] kv = f.split("=", 2);
            fileList.add(new MigrationFile(kv[0], "n" + kv[0], Path.of(kv[0] + "_n" + kv[0] + ".sql")));
            texts.put(kv[0], List.of(kv[1].replace('_', ' ')));
        }
        List<LedgerRow> rows = new ArrayList<>();
        Map<String, List<String>> recorded = new HashMap<>();
        for (String r : split(ledger)) {
            String[] kv = r.split("=", 2);
            List<String> statements = kv[1].isEmpty() ? null : List.of(kv[1].replace('_', ' '));
            recorded.put(kv[0], statements);
            rows.add(new LedgerRow(kv[0], "n" + kv[0], statements == null ? null : StatementsDigest.of(statements),
                    null, null, null, null));
        }

        Plan plan = Plan.build(fileList, rows, f -> StatementsDigest.of(texts.get(f.version())),
                f -> texts.get(f.version()), recorded::get, f -> false);

        List<String> states = plan.entries().stream().map(e -> e.version() + ":" + e.state().label()).toList();
        assertThat(states).containsExactlyElementsOf(split(expected));
        assertThat(plan.hasProblems()).isEqualTo(states.stream().anyMatch(s -> !s.endsWith(":applied")));
        assertThat(plan.conflicts()).hasSize((int) states.stream().filter(s -> s.endsWith(":conflict")).count());
    }

    private static Plan plan(String files, String ledger) {
        List<MigrationFile> fileList = new ArrayList<>();
        for (String v : split(files)) {
            fileList.add(new MigrationFile(v, "n" + v, Path.of("migrations", v + "_n" + v + ".sql")));
        }
        List<LedgerRow> rows = new ArrayList<>();
        for (String v : split(ledger)) {
            rows.add(new LedgerRow(v, "n" + v, null, null, null, null, null));
        }
        return Plan.build(fileList, rows, f -> null, f -> List.of(), v -> List.of(), f -> false);
    }

    @Test
    void aLeadingZeroConflictNamesFileAndLedgerVersionAndStopsEveryRun() {
        Plan plan = plan("2 5", "002");
        assertThat(plan.conflicts()).containsExactly("migrations/2_n2.sql has version 2, but the ledger records 002: "
                + "the same number with other leading zeros, so it would run again as a new migration. Rename the file "
                + "back to 002_n002.sql, or, if it is a different migration, give it a version of its own (e.g. a new timestamp).");
        assertThatThrownBy(plan::requireConsistent).isInstanceOf(PgshiftException.class)
                .hasMessageContaining("migrations/2_n2.sql has version 2, but the ledger records 002")
                .hasMessageEndingWith("Nothing was run.");
        assertThatThrownBy(() -> plan.select("5", null, false, "apply")).hasMessageContaining("ledger records 002");
        assertThatThrownBy(() -> plan.select(null, null, true, "apply")).hasMessageContaining("ledger records 002");
        plan("2 5", "2").requireConsistent();
    }

    @Test
    void newestAppliedIsTheGreatestVersionAsText() {
        assertThat(plan("", "").newestApplied()).isEmpty();
        assertThat(plan("9", "10 9").newestApplied()).contains("9");
        assertThat(plan("", "20250819100000 20250821").newestApplied()).contains("20250821");
    }

    static Stream<Arguments> selections() {
        // Files 1 2 3 5, ledger 1 3: 2 is out of order, 5 pending.
        return Stream.of(
                Arguments.of("all pending refuses the out-of-order one", null, null, false,
                        "!Refusing to run 2_n2.sql: older than the newest applied migration (3), so it would run after "
                                + "migrations that were written after it. If that is what you want, run 'apply --include-all'."),
                Arguments.of("all pending with --include-all", null, null, true, "2 5"),
                Arguments.of("one version", "5", null, false, "5"),
                Arguments.of("one out-of-order version", "2", null, false, "!run 'apply 2 --include-all'."),
                Arguments.of("one out-of-order version, included", "2", null, true, "2"),
                Arguments.of("an applied version: nothing", "3", null, false, ""),
                Arguments.of("a file name", "5_n5.sql", null, false, "5"),
                Arguments.of("a path elsewhere with the same name", "other/5_n5.sql", null, false, "5"),
                Arguments.of("a path whose name differs", "other/5_foo.sql", null, false,
                        "!other/5_foo.sql has version 5, but the migration with that version is 5_n5.sql. "
                                + "Give the version (5) or that file's name."),
                Arguments.of("a number-equal version is not the version", "05", null, false,
                        "!No migration has version 05; did you mean 5?"),
                Arguments.of("an unknown version", "9", null, false, "!No migration has the version 9"),
                Arguments.of("not a version", "latest", null, false, "!'latest' is neither a version"),
                Arguments.of("--to includes its target", null, "5", true, "2 5"),
                Arguments.of("--to an applied version", null, "3", true, "2"),
                Arguments.of("--to refuses out of order, hint keeps --to", null, "3", false, "!run 'apply --to 3 --include-all'."),
                Arguments.of("--to a number-equal version", null, "005", true, "!did you mean 5?"),
                Arguments.of("target and --to", "5", "5", false, "!Give either a VERSION or --to VERSION, not both."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("selections")
    void selectionRules(String title, String target, String to, boolean includeAll, String expected) {
        Plan plan = plan("1 2 3 5", "1 3");
        if (expected.startsWith("!")) {
            assertThatThrownBy(() -> plan.select(target, to, includeAll, "apply")).isInstanceOf(PgshiftException.class)
                    .hasMessageContaining(expected.substring(1));
        } else {
            assertThat(plan.select(target, to, includeAll, "apply")).extracting(PlanEntry::version)
                    .containsExactlyElementsOf(split(expected));
        }
    }

    @Test
    void toFollowsTheRunOrderNotTheNumbers() {
        // 10_n10.sql runs before 1_n1.sql (file-name order), so --to 10 runs only 10.
        assertThat(plan("1 10 2", "").select(null, "10", false, "apply")).extracting(PlanEntry::version)
                .containsExactly("10");
        assertThat(plan("1 10 2", "").select(null, "1", false, "apply")).extracting(PlanEntry::version)
                .containsExactly("10", "1");
        assertThat(plan("1 10 2", "10").upTo("2")).extracting(PlanEntry::version).containsExactly("1", "2");
    }

    private static List<String> split(String s) {
        return s.isBlank() ? List.of() : Arrays.asList(s.trim().split(" +"));
    }
}
