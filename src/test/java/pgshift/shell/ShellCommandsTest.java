package pgshift.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import picocli.CommandLine;

import pgshift.command.PgshiftCommand;
import pgshift.console.Console;

/** The shell's command root without a database: what a line's options do, help, and usage errors. */
class ShellCommandsTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Console console = new Console(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(out, true, StandardCharsets.UTF_8), false);

    private ShellCommands root(String... startOptions) {
        PgshiftCommand started = new PgshiftCommand(Map.of(), Path.of("."), console);
        new CommandLine(started).parseArgs(startOptions);
        return new ShellCommands(started, null, null);
    }

    private String run(CommandLine tree, String line) {
        out.reset();
        int code = tree.execute(line.split(" "));
        return "exit " + code + "\n" + out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aLinesOptionsHoldForThatLineOnlyOverTheShellsStartOptions() {
        ShellCommands root = root("--lock-timeout", "30s");
        CommandLine tree = root.commandLine(console, () -> false);
        tree.parseArgs("apply", "--yes", "--lock-timeout", "2s", "--verbose");
        assertThat(root.yes()).isTrue();
        assertThat(root.lockTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(root.verbose()).isTrue();
        tree.parseArgs("apply");
        assertThat(root.yes()).as("not left over from the line before").isFalse();
        assertThat(root.lockTimeout()).as("as the shell started").isEqualTo(Duration.ofSeconds(30));
        assertThat(root.verbose()).isFalse();

        ShellCommands yes = root("--yes", "--verbose");
        yes.commandLine(console, () -> false).parseArgs("status");
        assertThat(yes.yes()).isTrue();
        assertThat(yes.verbose()).isTrue();
        assertThat(yes.lockTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "apply --database-url postgresql://x@db.invalid/db | --database-url is given when the shell starts; type connect URL to switch databases.",
            "status --dir other/                                | --dir is given when the shell starts",
            "sql --dir=x --                                     | --dir is given when the shell starts",
            "stauts                                             | Unknown command 'stauts'; did you mean 'status'? Type 'help' for the commands.",
            "stauts --help                                      | Unknown command 'stauts'; did you mean 'status'?",
            "apply --nope                                       | Unknown option: '--nope'\\nType 'help apply' for its options.",
            "mark-applied --through                             | Type 'help mark-applied' for its options.",
            "apply --lock-timeout soon                          | Type 'help apply' for its options.",
    })
    void usageErrorsSayWhatToTypeInTheShell(String line, String message) {
        String result = run(root().commandLine(console, () -> false), line);
        assertThat(result).startsWith("exit 2\nerror: ").contains(message.replace("\\n", "\n"))
                .doesNotContain("pgshift --help").doesNotContain("Run 'pgshift");
    }

    @Test
    void helpListsTheShellsCommandsAndOptionsAndEachCommandsOwn() {
        CommandLine tree = root().commandLine(console, () -> false);
        assertThat(run(tree, "help")).startsWith("exit 0\n")
                .contains("status", "apply", "connect", "rescan", "watch", "exit, quit", "--yes", "--lock-timeout", "--verbose")
                .doesNotContain("--database-url=").doesNotContain("--dir=").doesNotContain("Usage: pgshift");
        assertThat(run(tree, "help apply")).startsWith("exit 0\n").contains("Usage: apply ", "--include-all", "--yes")
                .doesNotContain("pgshift").doesNotContain("--database-url");
        assertThat(run(tree, "watch --help")).contains("Usage: watch ", "--settle", "on|off|status");
    }

    @Test
    void exitAndQuitAskToLeave() {
        ShellCommands root = root();
        CommandLine tree = root.commandLine(console, () -> false);
        assertThat(run(tree, "quit")).startsWith("exit 0");
        assertThat(root.exitRequested()).isTrue();
    }
}
