package pgshift.watch;

import java.util.Arrays;
import java.util.Locale;

/** What watch does when a file it finds applied is edited. */
public enum OnEdit {
    /**
     * Rewind the database (a local one) to its state just before the edited file, from a snapshot
     * kept on the same server, then apply the edited file and every later one again: no re-runnable
     * SQL needed.
     */
    REWIND,
    /** Warn once (state modified); run nothing. */
    WARN,
    /** Re-run the edited file in a transaction and record its new statements: for re-runnable migrations. */
    REAPPLY;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static OnEdit parse(String text) {
        return Arrays.stream(values()).filter(v -> v.label().equals(text.toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not one of: rewind, warn, reapply"));
    }
}
