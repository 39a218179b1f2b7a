package pgshift.shell;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** The shell's {@code exit} (or {@code quit}): leaves once the line is done. */
@Command(name = "exit", aliases = "quit", mixinStandardHelpOptions = true, description = "Leave the shell (also Ctrl-D).")
final class ExitCommand implements Callable<Integer> {

    @ParentCommand
    ShellCommands root;

    @Override
    public Integer call() {
        root.requestExit();
        return 0;
    }
}
