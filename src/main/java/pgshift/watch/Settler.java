package pgshift.watch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Collects changed paths and hands them over together once the folder has been quiet for the
 * settle time and no path changed on disk since its last event.
 */
final class Settler implements AutoCloseable {

    /** What a file looked like at its last event; a difference later means a write still under way. */
    private record Stamp(boolean exists, long size, long modifiedNanos) {
        static Stamp of(Path path) {
            try {
                BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                return new Stamp(true, a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS));
            } catch (IOException e) {
                return new Stamp(false, -1, -1);
            }
        }
    }

    private final long settleMillis;
    private final Consumer<Set<Path>> onSettled;
    private final ScheduledExecutorService timer;
    private final Map<Path, Stamp> touched = new HashMap<>();
    private ScheduledFuture<?> due;
    /** Bumped by every touch, so a timer that fired just before a touch cannot hand over too early. */
    private long generation;

    Settler(Duration settle, Consumer<Set<Path>> onSettled) {
        this.settleMillis = settle.toMillis();
        this.onSettled = onSettled;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, Watch.daemon("pgshift-watch-settle"));
        executor.setRemoveOnCancelPolicy(true);
        this.timer = executor;
    }

    /** A path had an event: its batch waits for another full settle time. */
    synchronized void touch(Path path) {
        touched.put(path, Stamp.of(path));
        schedule();
    }

    /** Whether the path has an event whose settle time has not passed yet. */
    synchronized boolean isSettling(Path path) {
        return touched.containsKey(path);
    }

    private void schedule() {
        if (due != null) {
            due.cancel(false);
        }
        long mine = ++generation;
        if (!timer.isShutdown()) {
            due = timer.schedule(() -> fire(mine), settleMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void fire(long scheduled) {
        Set<Path> ready;
        synchronized (this) {
            if (scheduled != generation) {
                return;
            }
            for (Map.Entry<Path, Stamp> e : touched.entrySet()) {
                Stamp now = Stamp.of(e.getKey());
                if (!now.equals(e.getValue())) {
                    // Written to since its last event, whose notification is still on its way.
                    e.setValue(now);
                    schedule();
                    return;
                }
            }
            ready = Set.copyOf(touched.keySet());
            touched.clear();
            due = null;
        }
        onSettled.accept(ready);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
