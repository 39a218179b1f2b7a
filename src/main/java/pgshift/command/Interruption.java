package pgshift.command;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

import org.jline.utils.Signals;

/**
 * Ctrl-C and SIGTERM for a command run from the command line: the statement the command runs is
 * cancelled on the server first (its transaction rolls back and the migration lock is released at
 * once), then the process exits with 130 (SIGINT) or 143 (SIGTERM). A command that does not end
 * within a few seconds of the signal is ended anyway: the server rolls back what a closed
 * connection left open. A second signal ends it at once.
 */
public final class Interruption {

    /** How long a cancelled command may take to roll back and say so before the process ends regardless. */
    private static final long GRACE_MILLIS = 10_000;

    private Interruption() {
    }

    /** Runs the command; returns its exit code, or 130/143 when a signal stopped it. */
    public static int run(PgshiftCommand root, IntSupplier command) {
        AtomicInteger signalled = new AtomicInteger();
        Thread main = Thread.currentThread();
        Object previousInt = Signals.register("INT", () -> stop(root, main, signalled, 130));
        Object previousTerm = Signals.register("TERM", () -> stop(root, main, signalled, 143));
        try {
            int code = command.getAsInt();
            return signalled.get() != 0 ? signalled.get() : code;
        } finally {
            if (previousInt != null) {
                Signals.unregister("INT", previousInt);
            }
            if (previousTerm != null) {
                Signals.unregister("TERM", previousTerm);
            }
        }
    }

    private static void stop(PgshiftCommand root, Thread main, AtomicInteger signalled, int code) {
        if (!signalled.compareAndSet(0, code)) {
            Runtime.getRuntime().halt(signalled.get()); // a second signal: no more waiting
        }
        root.cancelRunning();
        main.interrupt(); // whatever waits between statements (the migration lock)
        Thread deadline = new Thread(() -> {
            try {
                Thread.sleep(GRACE_MILLIS);
                Runtime.getRuntime().halt(code);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "pgshift-stop-deadline");
        deadline.setDaemon(true);
        deadline.start();
    }
}
