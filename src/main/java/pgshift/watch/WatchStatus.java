package pgshift.watch;

import java.nio.file.Path;

/**
 * Where a watch stands.
 *
 * @param watching  false once stopped
 * @param folder    the folder watched
 * @param blockedOn the version of the file that failed and holds back later ones, or null
 * @param applied   files this watch applied (re-applied edits included)
 */
public record WatchStatus(boolean watching, Path folder, String blockedOn, int applied) {

    public boolean blocked() {
        return blockedOn != null;
    }

    /** One line for {@code watch status}: "watching migrations (3 applied)", "blocked on 20251112000001 ...". */
    public String describe(String folderShown) {
        if (!watching) {
            return "not watching";
        }
        return (blocked() ? "blocked on " + blockedOn + " (later files wait; save it again to retry), " : "")
                + "watching " + folderShown + ", " + applied + " applied";
    }
}
