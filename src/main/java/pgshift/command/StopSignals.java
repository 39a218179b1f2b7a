package pgshift.command;

import org.jline.utils.Signals;

/**
 * Turns Ctrl-C and SIGTERM into a call, so a long-running command stops cleanly and exits 0; a
 * shutdown hook alone would end the JVM with 130 or 143. Other ways to end the JVM run the hook.
 */
final class StopSignals implements AutoCloseable {

    private static final String[] NAMES = {"INT", "TERM"};

    private final Object[] previous = new Object[NAMES.length];
    private final Thread hook;

    private StopSignals(Runnable stop) {
        // JLine's wrapper around sun.misc.Signal: null where the JVM keeps the signal (-Xrs), and
        // then the shutdown hook below still stops the command.
        for (int i = 0; i < NAMES.length; i++) {
            previous[i] = Signals.register(NAMES[i], stop);
        }
        hook = new Thread(stop, "pgshift-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    static StopSignals install(Runnable stop) {
        return new StopSignals(stop);
    }

    /** Gives the signals back to whoever had them (the shell's own Ctrl-C handling). */
    @Override
    public void close() {
        for (int i = 0; i < NAMES.length; i++) {
            if (previous[i] != null) {
                Signals.unregister(NAMES[i], previous[i]);
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook is running.
        }
    }
}
