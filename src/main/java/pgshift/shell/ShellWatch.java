package pgshift.shell;

import java.time.Duration;
import java.util.function.Consumer;

import pgshift.command.Context;
import pgshift.command.WatchSettings;
import pgshift.console.Console;
import pgshift.watch.Watch;
import pgshift.watch.WatchListener;
import pgshift.watch.WatchStatus;

/**
 * The shell's watch: at most one at a time, its messages printed above the prompt (so they do
 * not garble a line being typed), and the prompt redrawn when it becomes blocked or unblocked.
 */
final class ShellWatch {

    private final Context context;
    private final Console console;
    private final Consumer<String> above;
    private final Runnable statusChanged;
    /** Read without the lock by the prompt, which the worker redraws while off() waits for it. */
    private volatile Watch watch;

    /**
     * @param above         prints a message above the prompt (or plainly, while a command runs)
     * @param statusChanged redraws the prompt
     */
    ShellWatch(Context context, Console console, Consumer<String> above, Runnable statusChanged) {
        this.context = context;
        this.console = console;
        this.above = above;
        this.statusChanged = statusChanged;
    }

    /** @param lockTimeout how long each run waits for the migration lock (the line's --lock-timeout) */
    synchronized void on(WatchSettings settings, Duration lockTimeout) {
        if (isOn()) {
            console.println("Already " + describe() + ". Run watch off first to change its options.");
            return;
        }
        watch = Watch.start(context.target(), context.planner(), context::display, settings.toOptions(lockTimeout), listener());
        console.println("Watching " + context.display(context.folder()) + " (" + settings.describe()
                + "): new files are applied as they are saved. watch off stops it.");
    }

    synchronized void off() {
        if (!isOn()) {
            console.println("Watch is off.");
            return;
        }
        watch.stop();
        watch = null;
        console.println("Stopped watching.");
    }

    void printStatus() {
        console.println("Watch: " + describe());
    }

    /** Stops a running watch without a word (the shell is closing). */
    synchronized void close() {
        if (watch != null) {
            watch.stop();
            watch = null;
        }
    }

    synchronized String describe() {
        return isOn() ? watch.status().describe(context.display(context.folder())) : "not watching (watch on starts it)";
    }

    /** A command typed in the shell may have changed the ledger: let the watch look again. */
    synchronized void afterCommand() {
        if (isOn()) {
            watch.recheck();
        }
    }

    /** The prompt's part: "" when off, "watching" or "watch: blocked on VERSION". */
    String promptPart() {
        Watch current = watch;
        if (current == null) {
            return "";
        }
        WatchStatus status = current.status();
        if (!status.watching()) {
            return ""; // it stopped by itself (its folder went away) and said why
        }
        return status.blocked() ? console.red("watch: blocked on " + status.blockedOn()) : "watching";
    }

    private boolean isOn() {
        return watch != null && watch.status().watching();
    }

    private WatchListener listener() {
        return new WatchListener() {
            @Override
            public void info(String message) {
                above.accept(message);
            }

            @Override
            public void warning(String message) {
                above.accept(console.yellow("warning: ") + message);
            }

            @Override
            public void error(String message) {
                above.accept(console.red("error: ") + message);
            }

            @Override
            public void statusChanged(WatchStatus status) {
                ShellWatch.this.statusChanged.run();
            }
        };
    }
}
