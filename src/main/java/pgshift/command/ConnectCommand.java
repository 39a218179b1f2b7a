package pgshift.command;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import pgshift.config.DatabaseUrl;

/** The shell's {@code connect URL}: later commands go to another database. */
@Command(name = "connect", mixinStandardHelpOptions = true,
        description = "Switch the shell to another database (postgresql://user:password@host:port/db).")
public final class ConnectCommand implements Callable<Integer> {

    @ParentCommand
    CommandRoot root;

    @Parameters(index = "0", paramLabel = "URL", description = "postgresql://..., postgres://... or jdbc:postgresql:...")
    String url;

    @Override
    public Integer call() {
        DatabaseUrl target = DatabaseUrl.parse(url);
        Context ctx = root.openContext();
        ctx.connect(target);
        ctx.console().println("Connected to " + target.masked() + (target.isLocal() ? " (local)." : " (REMOTE)."));
        return 0;
    }
}
