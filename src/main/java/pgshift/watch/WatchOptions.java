package pgshift.watch;

import java.time.Duration;
import java.util.Objects;

/**
 * How a watch behaves.
 *
 * @param settle      how long a file must stay unchanged before it is read
 * @param onEdit      what an edit of an applied file does
 * @param allowRemote whether a non-local database may be watched
 * @param lockTimeout how long a pass waits for the migration lock another run holds
 */
public record WatchOptions(Duration settle, OnEdit onEdit, boolean allowRemote, Duration lockTimeout) {

    public static final Duration DEFAULT_SETTLE = Duration.ofMillis(200);

    public WatchOptions {
        Objects.requireNonNull(settle, "settle");
        Objects.requireNonNull(onEdit, "onEdit");
        Objects.requireNonNull(lockTimeout, "lockTimeout");
        if (settle.isNegative()) {
            throw new IllegalArgumentException("settle must not be negative");
        }
    }
}
