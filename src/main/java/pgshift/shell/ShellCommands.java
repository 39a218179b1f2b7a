package pgshift.shell;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import pgshift.failure.PgshiftException;
import pgshift.cli.Failures;
import pgshift.command.ApplyCommand;
import pgshift.command.CommandRoot;
import pgshift.command.ConnectCommand;
import pgshift.command.Context;
import pgshift.command.DiffCommand;
import pgshift.command.DryRunCommand;
import pgshift.command.DurationConverter;
import pgshift.command.HistoryCommand;
import pgshift.command.MarkAppliedCommand;
import pgshift.command.MarkRevertedCommand;
import pgshift.command.NewCommand;
import pgshift.command.PgshiftCommand;
import pgshift.command.RescanCommand;
import pgshift.command.ResetCommand;
import pgshift.command.ShowCommand;
import pgshift.command.SqlCommand;
import pgshift.command.StatusCommand;
import pgshift.command.VerifyCommand;
import pgshift.console.Console;

/**
 * The shell's own command root, built from the CLI's command classes plus the shell's (as
 * picocli-shell-jline3's CliCommands): an option typed after a command applies to that command
 * only, and the options that choose database and folder are refused with what to do instead.
 */
@Command(name = "", synopsisHeading = "", customSynopsis = "Type a command, then its options: e.g. apply --to 3 --yes.",
        commandListHeading = "%nCommands:%n", optionListHeading = "%nOptions every command takes (for that line only):%n",
        footer = {"", "Type 'help COMMAND' for a command's options. Database and folder are chosen when the shell "
                + "starts (--database-url, --dir); connect URL switches databases."},
        subcommands = {StatusCommand.class, ApplyCommand.class, DryRunCommand.class, MarkAppliedCommand.class,
                MarkRevertedCommand.class, HistoryCommand.class, ShowCommand.class, SqlCommand.class, NewCommand.class,
                ShellWatchCommand.class, ResetCommand.class, DiffCommand.class, VerifyCommand.class, ConnectCommand.class, RescanCommand.class, HelpCommand.class, ExitCommand.class})
final class ShellCommands implements CommandRoot {

    @Spec
    CommandSpec spec;

    @Option(names = {"-y", "--yes"}, scope = ScopeType.INHERIT,
            description = "Do not ask before changing a non-local database")
    boolean yes;

    @Option(names = "--lock-timeout", paramLabel = "DURATION", scope = ScopeType.INHERIT, converter = DurationConverter.class,
            description = "How long to wait for another run's migration lock, e.g. 10s, 500ms (default: as the shell started)")
    Duration lockTimeout;

    @Option(names = "--table-lock-timeout", paramLabel = "DURATION", scope = ScopeType.INHERIT,
            converter = DurationConverter.class,
            description = "How long a migration's statement may wait for a lock another session holds before its "
                    + "file is rolled back (default: as the shell started)")
    Duration tableLockTimeout;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT, description = "Show stack traces")
    boolean verbose;

    @Option(names = "--database-url", hidden = true, scope = ScopeType.INHERIT)
    void refuseDatabaseUrl(String url) {
        if (url != null) {
            throw new StartOption(spec.commandLine(), "--database-url is given when the shell starts; "
                    + "type connect URL to switch databases.");
        }
    }

    @Option(names = "--dir", hidden = true, scope = ScopeType.INHERIT)
    void refuseDir(String dir) {
        if (dir != null) {
            throw new StartOption(spec.commandLine(), "--dir is given when the shell starts; for another folder, "
                    + "leave the shell (exit) and start it again with ./pgshift --dir DIR.");
        }
    }

    private final PgshiftCommand started;
    private final Context context;
    private final ShellWatch watch;
    private boolean exitRequested;

    /**
     * @param started the options the shell was started with: the defaults of every line's options
     * @param context the shell's context, open between commands
     */
    ShellCommands(PgshiftCommand started, Context context, ShellWatch watch) {
        this.started = started;
        this.context = context;
        this.watch = watch;
    }

    /** An option that only the shell's start takes: its message says all. */
    private static final class StartOption extends ParameterException {
        StartOption(CommandLine line, String message) {
            super(line, message);
        }
    }

    /**
     * The command tree, with the shell's error handling; built once, used for every line.
     *
     * @param ctrlC whether Ctrl-C was pressed during the line now running
     */
    CommandLine commandLine(Console console, BooleanSupplier ctrlC) {
        CommandLine tree = new CommandLine(this);
        // "@name" is SQL (and a version never starts with @): no argument files.
        tree.setExpandAtFiles(false);
        tree.setOut(console.resultWriter());
        tree.setExecutionStrategy(parsed -> {
            Failures.requireKnownCommand(parsed);
            return new CommandLine.RunLast().execute(parsed);
        });
        tree.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (ctrlC.getAsBoolean() && !(e instanceof PgshiftException)) {
                // The interrupt that stops a lock wait can also stop a wait for the server, which then
                // fails with an exception about the interrupt: a consequence of the cancel, not news.
                console.error("Cancelled by Ctrl-C.");
                return PgshiftException.Kind.MIGRATION.exitCode();
            }
            return Failures.report(e, console, verbose());
        });
        tree.setParameterExceptionHandler((e, args) -> {
            console.error(usageError(e));
            return e.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
        });
        // help: the commands first, then the options any of them takes (the root's help only).
        tree.getCommandSpec().usageMessage().sectionKeys(List.of(UsageMessageSpec.SECTION_KEY_SYNOPSIS,
                UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING,
                UsageMessageSpec.SECTION_KEY_COMMAND_LIST,
                UsageMessageSpec.SECTION_KEY_OPTION_LIST_HEADING,
                UsageMessageSpec.SECTION_KEY_OPTION_LIST,
                UsageMessageSpec.SECTION_KEY_FOOTER));
        // The root has no name (nothing is typed before a command): "Usage: apply ...", not "Usage:  apply ...".
        tree.getSubcommands().values().forEach(c -> c.getCommandSpec().usageMessage().synopsisHeading("Usage:"));
        return tree;
    }

    private static String usageError(ParameterException e) {
        if (e instanceof StartOption) {
            return e.getMessage();
        }
        if (Failures.unknownCommand(e) != null) {
            return Failures.unknownCommandMessage(e) + " Type 'help' for the commands.";
        }
        String command = e.getCommandLine().getCommandSpec().name();
        return e.getMessage() + "\n" + (command.isEmpty() ? "Type 'help' for the commands."
                : "Type 'help " + command + "' for its options.");
    }

    ShellWatch watch() {
        return watch;
    }

    /** Whether the last line asked to leave the shell. */
    boolean exitRequested() {
        return exitRequested;
    }

    void requestExit() {
        exitRequested = true;
    }

    @Override
    public Context openContext() {
        return context;
    }

    @Override
    public Console console() {
        return context.console();
    }

    @Override
    public boolean yes() {
        return yes || started.yes();
    }

    @Override
    public Duration lockTimeout() {
        return lockTimeout != null ? lockTimeout : started.lockTimeout();
    }

    @Override
    public Duration tableLockTimeout() {
        return tableLockTimeout != null ? tableLockTimeout : started.tableLockTimeout();
    }

    @Override
    public boolean verbose() {
        return verbose || started.verbose();
    }
}
