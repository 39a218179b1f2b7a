package pgshift.command;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import pgshift.failure.PgshiftException;
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
    CommandRoot root;

    @Mixin
    WatchSettings settings;

    @Override
    public Integer call() throws Exception {
        WatchOptions options = settings.toOptions(root.lockTimeout());
        try (Context ctx = root.openContext()) {
            Console console = ctx.console();
            CountDownLatch stopped = new CountDownLatch(1);
            // A watch that stops without a signal ended by itself (its folder went away) and said why.
            AtomicBoolean signalled = new AtomicBoolean();
            AtomicBoolean ended = new AtomicBoolean();
            try (Watch watch = Watch.start(ctx.target(), ctx.planner(), ctx::display, options, printer(console, () -> {
                     ended.set(true);
                     stopped.countDown();
                 }));
                 StopSignals signals = StopSignals.install(() -> {
                     signalled.set(true);
                     stopped.countDown();
                     watch.stop();
                 })) {
                console.println("Watching " + ctx.display(ctx.folder()) + " for " + ctx.url().masked() + " ("
                        + settings.describe() + "). Stop with Ctrl-C.");
                stopped.await();
            }
            if (ended.get() && !signalled.get()) {
                return PgshiftException.Kind.CONFIG.exitCode();
            }
            console.println("Stopped watching.");
            return 0;
        }
    }

    /** @param ended runs when the watch stops by itself */
    private static WatchListener printer(Console console, Runnable ended) {
        return new WatchListener() {
            @Override
            public void statusChanged(pgshift.watch.WatchStatus status) {
                if (!status.watching()) {
                    ended.run();
                }
            }

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
