package pgshift.watch;

/**
 * Hears what a {@link Watch} has to tell the user, as ready-to-print text. Every call comes from
 * the watch's one worker thread, in order, never from the thread that started the watch.
 */
public interface WatchListener {

    /** Progress: "applied 3_x.sql (2 statement(s), 14 ms)", a file running without a transaction, a lock being waited for. */
    void info(String message);

    /** Something to look at, where nothing was run: an edited, deleted, out-of-order or badly named file. Once each. */
    void warning(String message);

    /** A failed file (the same report as apply, over several lines, and what the watch does next), or the database out of reach. */
    void error(String message);

    /** After a pass that changed the status (blocked, unblocked, more applied), e.g. to redraw a prompt. */
    default void statusChanged(WatchStatus status) {
    }
}
