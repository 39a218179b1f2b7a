package pgshift.shell;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import pgshift.failure.PgshiftException;
import pgshift.command.WatchSettings;

/** The shell's {@code watch on|off|status}, in place of the CLI's watch, which runs until Ctrl-C. */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Apply new migration files as they are saved, while the shell is open (local databases only): "
                + "watch on [options], watch off, watch status.")
final class ShellWatchCommand implements Callable<Integer> {

    @ParentCommand
    ShellCommands root;

    @Parameters(index = "0", arity = "0..1", defaultValue = "status", paramLabel = "on|off|status",
            description = "Start, stop, or show the watch (default: status)")
    String action;

    @Mixin
    WatchSettings settings;

    @Override
    public Integer call() {
        ShellWatch watch = root.watch();
        switch (action) {
            case "on" -> watch.on(settings, root.lockTimeout());
            case "off" -> watch.off();
            case "status" -> watch.printStatus();
            default -> throw PgshiftException.usage("watch takes on, off or status, not '" + action + "'.");
        }
        return 0;
    }
}
