package pgshift.command;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import pgshift.console.Console;
import pgshift.watch.Watch;
import pgshift.watch.WatchListener;
import pgshift.watch.WatchOptions;

/** Applies pending migrations, then every new file as it is saved, until Ctrl-C or SIGTERM. */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Apply pending migrations, then each new migration file once it is saved, until Ctrl-C "
                + "(local databases only).")
public final class WatchCommand implements Callable<Integer> {

    @ParentCommand
    PgshiftCommand root;

    @Mixin
    WatchSettings settings;

    @Override
    public Integer call() throws Exception {
        WatchOptions options = settings.toOptions(root.lockTimeout());
        try (Context ctx = root.openContext()) {
            Console console = ctx.console();
            CountDownLatch stopped = new CountDownLatch(1);
            try (Watch watch = Watch.start(ctx, options, printer(console));
                 StopSignals signals = StopSignals.install(() -> {
                     stopped.countDown();
                     watch.stop();
                 })) {
                console.println("Watching " + ctx.display(ctx.folder()) + " for " + ctx.url().masked() + " ("
                        + settings.describe() + "). Stop with Ctrl-C.");
                stopped.await();
            }
            console.println("Stopped watching.");
            return 0;
        }
    }

    private static WatchListener printer(Console console) {
        return new WatchListener() {
            @Override
            public void info(String message) {
                console.println(message);
            }

            @Override
            public void warning(String message) {
                console.warn(message);
            }

            @Override
            public void error(String message) {
                console.error(message);
            }
        };
    }
}
