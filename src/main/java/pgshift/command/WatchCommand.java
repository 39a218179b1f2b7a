package pgshift.command;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import pgshift.PgshiftException;
import pgshift.console.Console;
import pgshift.watch.OnEdit;
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

    @Option(names = "--settle", paramLabel = "MS", defaultValue = "200",
            description = "How long a file must stay unchanged before it is applied, in milliseconds (default: ${DEFAULT-VALUE})")
    long settleMillis;

    @Option(names = "--on-edit", paramLabel = "warn|reapply", defaultValue = "warn", converter = OnEditConverter.class,
            description = "When an applied file is edited: warn (default) and run nothing, or reapply it in a "
                    + "transaction and record its new statements (for re-runnable migrations)")
    OnEdit onEdit;

    @Option(names = "--allow-remote", description = "Also watch a database that is not on this machine")
    boolean allowRemote;

    static final class OnEditConverter implements ITypeConverter<OnEdit> {
        @Override
        public OnEdit convert(String value) {
            try {
                return OnEdit.parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        if (settleMillis < 0) {
            throw PgshiftException.usage("--settle must be 0 or more milliseconds, not " + settleMillis + ".");
        }
        WatchOptions options = new WatchOptions(Duration.ofMillis(settleMillis), onEdit, allowRemote, root.lockTimeout());
        try (Context ctx = root.openContext()) {
            Console console = ctx.console();
            CountDownLatch stopped = new CountDownLatch(1);
            try (Watch watch = Watch.start(ctx, options, printer(console));
                 StopSignals signals = StopSignals.install(() -> {
                     stopped.countDown();
                     watch.stop();
                 })) {
                console.println("Watching " + ctx.display(ctx.folder()) + " for " + ctx.url().masked() + " (settle "
                        + settleMillis + " ms, edited files: " + onEdit.label() + "). Stop with Ctrl-C.");
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
