package pgshift.command;

import java.util.Set;

import pgshift.console.Console;
import pgshift.db.Executor;
import pgshift.engine.MigrationListener;
import pgshift.migration.PlanEntry;

/**
 * Prints dry-run's run on a shadow database: progress while the applied migrations replay, then
 * each rehearsed file as apply prints it. One runner pass may do both, so it tells them apart by
 * version; the replay is over once all its files are applied.
 */
final class ShadowRehearsalReport implements MigrationListener {

    private final Console console;
    private final Set<String> rehearsed;
    private final MigrationListener replay;
    private final String header;
    private final int replayTotal;
    private int replayed;
    private long rehearsalStart;
    private boolean rehearsing;

    /**
     * @param rehearsed the versions being rehearsed; every other file the run applies is replay
     * @param replay    the progress of the replay (see {@link ShadowBuild#progress})
     * @param replayTotal how many files the replay applies before the rehearsal starts
     * @param header    printed once, as the replay ends
     */
    ShadowRehearsalReport(Console console, Set<String> rehearsed, MigrationListener replay, int replayTotal,
                          String header) {
        this.console = console;
        this.rehearsed = rehearsed;
        this.replay = replay;
        this.replayTotal = replayTotal;
        this.header = header;
        if (replayTotal == 0) {
            begin();
        }
    }

    /** Whether the run got past the replay to the files rehearsed (so a failure is theirs). */
    boolean rehearsing() {
        return rehearsing;
    }

    /** Milliseconds since the replay ended (the rehearsal's own time). */
    long rehearsalMillis() {
        return (System.nanoTime() - rehearsalStart) / 1_000_000;
    }

    @Override
    public void notice(String message) {
        console.notice(message);
    }

    @Override
    public void applied(PlanEntry entry, Executor.Applied applied) {
        if (!rehearsed.contains(entry.version())) {
            replay.applied(entry, applied);
            if (++replayed == replayTotal) {
                begin();
            }
            return;
        }
        console.println("  " + console.green("ok") + "      " + entry.file().displayName() + "  ("
                + applied.summary() + ")");
    }

    @Override
    public void failed(PlanEntry entry) {
        if (rehearsed.contains(entry.version())) {
            console.println("  " + console.red("FAILED") + "  " + entry.file().displayName());
        }
    }

    /** The replay is over: the header, then the rehearsed files' lines. */
    private void begin() {
        rehearsing = true;
        rehearsalStart = System.nanoTime();
        console.println(header);
    }
}
