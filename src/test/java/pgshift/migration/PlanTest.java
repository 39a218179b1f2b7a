package pgshift.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Plan states, table-driven: files (version=statement) and ledger rows (version=statement) in, states out. */
class PlanTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("nothing anywhere", "", "", ""),
                Arguments.of("all pending", "1=a 2=b", "", "1:pending 2:pending"),
                Arguments.of("all applied", "1=a 2=b", "1=a 2=b", "1:applied 2:applied"),
                Arguments.of("next is pending", "1=a 2=b", "1=a", "1:applied 2:pending"),
                Arguments.of("gap is out of order", "1=a 2=b 3=c", "1=a 3=c", "1:applied 2:out-of-order 3:applied"),
                Arguments.of("numeric, not text, order", "9=a 10=b", "10=b", "9:out-of-order 10:applied"),
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
        fileList.sort((a, b) -> MigrationFile.VERSION_ORDER.compare(a.version(), b.version()));
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
                f -> texts.get(f.version()), recorded::get);

        List<String> states = plan.entries().stream().map(e -> e.version() + ":" + e.state().label()).toList();
        assertThat(states).containsExactlyElementsOf(split(expected));
        assertThat(plan.hasProblems()).isEqualTo(states.stream().anyMatch(s -> !s.endsWith(":applied")));
    }

    private static List<String> split(String s) {
        return s.isBlank() ? List.of() : Arrays.asList(s.trim().split(" +"));
    }
}
