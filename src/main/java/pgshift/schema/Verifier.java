package pgshift.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

import pgshift.engine.MigrationListener;
import pgshift.engine.Planner;
import pgshift.migration.MigrationFolder;
import pgshift.migration.Plan;
import pgshift.migration.PlanEntry;

/**
 * Gathers the {@link Evidence} for some migrations on one shadow: the migrations are replayed in
 * run order, and the shadow is snapshotted only before and after each one checked (and, when an
 * applied one is checked, once more after every applied migration).
 */
public final class Verifier {

    private final Shadow shadow;
    private final Planner planner;
    private final MigrationFolder.Scan scan;
    private final MigrationListener listener;
    private final Duration lockTimeout;
    private final Function<PlanEntry, String> display;
    private final Consumer<String> progress;
    private final Set<String> replayed = new HashSet<>();
    private SchemaSnapshot current;

    /**
     * @param progress told what is being replayed or snapshotted, for the shell's progress line
     */
    public Verifier(Shadow shadow, Planner planner, MigrationFolder.Scan scan, MigrationListener listener,
                    Duration lockTimeout, Function<PlanEntry, String> display, Consumer<String> progress) {
        this.shadow = shadow;
        this.planner = planner;
        this.scan = scan;
        this.listener = listener;
        this.lockTimeout = lockTimeout;
        this.display = display;
        this.progress = progress;
    }

    /**
     * The evidence for each of {@code targets} (entries of {@code plan} with a file), in run order.
     * Before a migration, the shadow holds every migration with a file that runs before it, applied
     * or not (a pending one may build on another).
     *
     * @param database a connection to the database, snapshotted once the shadow is built
     */
    public List<Evidence> verify(Plan plan, List<PlanEntry> targets, Connection database)
            throws SQLException {
        List<PlanEntry> order = plan.entries().stream().filter(PlanEntry::hasFile).toList();
        List<PlanEntry> sorted = new ArrayList<>(targets);
        sorted.sort(Comparator.comparingInt(order::indexOf));
        record Pair(PlanEntry entry, SchemaSnapshot before, SchemaSnapshot after) {
        }
        List<Pair> pairs = new ArrayList<>();
        for (PlanEntry target : sorted) {
            replayUpTo(order, order.indexOf(target), e -> true);
            SchemaSnapshot before = snapshot();
            replay(List.of(target));
            pairs.add(new Pair(target, before, snapshot()));
        }
        SchemaSnapshot expected = null;
        if (sorted.stream().anyMatch(PlanEntry::isApplied)) {
            replayUpTo(order, order.size(), PlanEntry::isApplied);
            expected = snapshot();
        }
        progress.accept("Taking the database's snapshot...");
        SchemaSnapshot db = SchemaSnapshot.take(database, Set.of());
        List<Evidence> evidence = new ArrayList<>();
        for (Pair p : pairs) {
            evidence.add(p.entry().isApplied()
                    ? Evidence.ofApplied(p.entry().version(), p.before(), p.after(), expected, db)
                    : Evidence.ofPending(p.entry().version(), p.before(), p.after(), db));
        }
        return evidence;
    }

    /** Replays the entries before {@code end} that pass {@code which} and are not in the shadow yet. */
    private void replayUpTo(List<PlanEntry> order, int end, java.util.function.Predicate<PlanEntry> which)
            throws SQLException {
        replay(order.subList(0, end).stream().filter(which).filter(e -> !replayed.contains(e.version())).toList());
    }

    private void replay(List<PlanEntry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        Set<String> versions = new LinkedHashSet<>();
        entries.forEach(e -> versions.add(e.version()));
        progress.accept(entries.size() == 1 ? "Replaying " + display.apply(entries.get(0)) + " into the shadow..."
                : "Replaying " + entries.size() + " migrations into the shadow...");
        shadow.replay(planner, scan, versions, listener, lockTimeout, display);
        replayed.addAll(versions);
        current = null;
    }

    /** The shadow's snapshot, taken again only when something was replayed since the last one. */
    private SchemaSnapshot snapshot() throws SQLException {
        if (current == null) {
            current = shadow.snapshot(Set.of());
        }
        return current;
    }
}
