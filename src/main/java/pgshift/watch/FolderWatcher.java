package pgshift.watch;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import io.methvin.watcher.DirectoryChangeEvent;
import io.methvin.watcher.DirectoryWatcher;
import io.methvin.watcher.visitor.FileTreeVisitor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one folder (not its subfolders) and reports the `.sql` paths that changed, in batches,
 * once they have settled (see {@link Settler}).
 */
public final class FolderWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FolderWatcher.class);

    private final Path folder;
    private final Settler settler;
    private final long settleMillis;
    private final DirectoryWatcher watcher;
    private final ExecutorService loop = Executors.newSingleThreadExecutor(Watch.daemon("pgshift-watch-events"));
    private volatile boolean closed;

    private FolderWatcher(Path folder, Duration settle, Consumer<Set<Path>> onSettled) throws IOException {
        this.folder = folder;
        this.settler = new Settler(settle, onSettled);
        this.settleMillis = settle.toMillis();
        this.watcher = DirectoryWatcher.builder()
                .path(folder)
                // Hashing would read every file at start and drop identical rewrites; saving a file
                // unchanged is how a user retries a failed one.
                .fileHashing(false)
                .fileTreeVisitor(topLevelOnly(folder))
                .listener(this::onEvent)
                .logger(LOG)
                .build();
    }

    /**
     * Starts watching; events for writes that begin after this returns are seen.
     *
     * @param onSettled hears each batch of settled paths, on the settle timer's thread; keep it short
     * @param onLost    hears why watching ended on its own (the folder was deleted or moved)
     */
    public static FolderWatcher start(Path folder, Duration settle, Consumer<Set<Path>> onSettled,
                                      Consumer<String> onLost) throws IOException {
        Path absolute = folder.toAbsolutePath().normalize();
        FolderWatcher w = new FolderWatcher(absolute, settle, onSettled);
        // watchAsync registers the folder before it returns; only the event loop runs on the thread.
        // The loop ends by itself when the folder's watch is gone: the folder was deleted or moved.
        w.watcher.watchAsync(w.loop).whenComplete((ok, error) -> {
            if (!w.closed) {
                LOG.info("The folder watcher stopped", error);
                onLost.accept(Files.isDirectory(absolute) ? "the folder could not be watched any more"
                        + (error == null ? "" : " (" + error + ")") : "the folder was deleted or moved");
            }
        });
        return w;
    }

    private void onEvent(DirectoryChangeEvent event) {
        if (event.eventType() == DirectoryChangeEvent.EventType.OVERFLOW) {
            // inotify dropped events: look at every file again.
            try (DirectoryStream<Path> all = Files.newDirectoryStream(folder, "*.sql")) {
                all.forEach(this::consider);
            } catch (IOException e) {
                LOG.warn("Cannot list {} after lost events: {}", folder, e.toString());
            }
            return;
        }
        if (!event.isDirectory()) {
            consider(event.path());
        }
    }

    private void consider(Path path) {
        if (WatchedNames.matters(folder, path)) {
            settler.touch(path);
        }
    }

    /**
     * Whether a file can be read whole: no event for it is settling, and it was last written more
     * than the settle time ago. A file found too young (written before the watch started, or by a
     * writer whose events are late) is treated as just changed, so a pass follows once it settles.
     */
    public boolean isSettled(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        if (settler.isSettling(absolute)) {
            return false;
        }
        try {
            long age = System.currentTimeMillis() - Files.getLastModifiedTime(absolute).toMillis();
            // A modification time well in the future is a skewed clock, not a write under way.
            if (age >= settleMillis || age < -1_000) {
                return true;
            }
        } catch (IOException e) {
            return true; // gone: the pass sees that in its scan
        }
        settler.touch(absolute);
        return false;
    }

    /** Registers the folder itself, never a subfolder, even one created while watching. */
    private static FileTreeVisitor topLevelOnly(Path root) {
        return (start, onDirectory, onFile) -> {
            if (start.equals(root)) {
                onDirectory.call(start);
            }
        };
    }

    @Override
    public void close() {
        closed = true;
        try {
            watcher.close();
        } catch (IOException e) {
            LOG.debug("Closing the folder watcher failed", e);
        }
        settler.close();
        loop.shutdownNow();
    }
}
