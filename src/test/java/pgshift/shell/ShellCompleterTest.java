package pgshift.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jline.reader.Candidate;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;
import org.jline.reader.impl.DefaultParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import picocli.CommandLine;

import pgshift.command.PgshiftCommand;
import pgshift.console.Console;
import pgshift.migration.LedgerRow;
import pgshift.migration.MigrationFile;
import pgshift.migration.Plan;

class ShellCompleterTest {

    /** 1 applied, 2 pending, 3 missing (ledger only), 0 out of order. */
    private static Plan plan() {
        List<MigrationFile> files = List.of(new MigrationFile("0", "early", Path.of("0_early.sql")),
                new MigrationFile("1", "one", Path.of("1_one.sql")), new MigrationFile("2", "two", Path.of("2_two.sql")));
        List<LedgerRow> rows = List.of(new LedgerRow("1", "one", null, null, null, null, null),
                new LedgerRow("3", "three", null, null, null, null, null));
        return Plan.build(files, rows, f -> null, f -> List.of(), v -> List.of(), f -> false);
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(delimiter = '|', value = {
            "''                  | apply connect diff dry-run exit help history mark-applied mark-reverted new quit rescan reset show sql status verify watch",
            "st                  | apply connect diff dry-run exit help history mark-applied mark-reverted new quit rescan reset show sql status verify watch",
            "apply               | 0 2",
            "dry-run             | 0 2",
            "mark-applied        | 0 2",
            "mark-reverted       | 1 3",
            "show                | 0 1 2 3",
            "verify              | 0 1 2",
            "history             | ''",
            "new                 | ''",
            "help                | apply connect diff dry-run exit help history mark-applied mark-reverted new quit rescan reset show sql status verify watch",
            "apply --to          | 0 2",
            "mark-applied --through | 0 2",
            "status              | ''",
            "nosuchcommand       | ''",
            "status --           | --check --help --json -h --yes --lock-timeout --verbose",
    })
    void candidates(String typed, String expected) {
        Console console = new Console(System.out, System.err, false);
        CommandLine commands = new ShellCommands(new PgshiftCommand(Map.of(), Path.of("."), console), null, null)
                .commandLine(console, () -> false);
        ShellCompleter completer = new ShellCompleter(() -> commands, ShellCompleterTest::plan);
        String line = typed.isEmpty() || typed.endsWith("-") || typed.equals("st") ? typed : typed + " ";
        ParsedLine parsed = new DefaultParser().parse(line, line.length(), Parser.ParseContext.COMPLETE);
        List<Candidate> candidates = new ArrayList<>();
        completer.complete(null, parsed, candidates);
        List<String> values = candidates.stream().map(Candidate::value).distinct().sorted().toList();
        List<String> wanted = expected.isEmpty() ? List.of()
                : List.of(expected.split(" ")).stream().filter(v -> !v.isEmpty()).sorted().toList();
        if (typed.equals("status --")) {
            assertThat(values).containsAll(wanted).as("refused in the shell").doesNotContain("--database-url", "--dir");
        } else {
            assertThat(values).containsExactlyElementsOf(wanted);
        }
    }

    @Test
    void versionsAreOfferedInRunOrder() {
        List<MigrationFile> files = List.of(new MigrationFile("9", "c", Path.of("9_c.sql")),
                new MigrationFile("1", "b", Path.of("1_b.sql")), new MigrationFile("10", "a", Path.of("10_a.sql")),
                new MigrationFile("20250821", "x", Path.of("20250821_x.sql")),
                new MigrationFile("20250819100000", "y", Path.of("20250819100000_y.sql")));
        Plan plan = Plan.build(files, List.of(), f -> null, f -> List.of(), v -> List.of(), f -> false);
        CommandLine commands = new CommandLine(new PgshiftCommand(Map.of(), Path.of("."), null));
        ShellCompleter completer = new ShellCompleter(() -> commands, () -> plan);
        ParsedLine parsed = new DefaultParser().parse("apply ", 6, Parser.ParseContext.COMPLETE);
        List<Candidate> candidates = new ArrayList<>();
        completer.complete(null, parsed, candidates);
        // Candidate's natural order is what JLine falls back to once the typed prefix is matched.
        assertThat(candidates.stream().sorted().map(Candidate::value).toList())
                .containsExactly("10", "1", "20250819100000", "20250821", "9");
    }
}
