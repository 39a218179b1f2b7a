package pgshift.migration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the file system says of a file (size, modification time, change time, inode), taken to tell
 * later whether it was written since, as {@link DigestCache} does: the kernel sets the change time
 * on every write and no user or tool can set it back. A file changed within the second before it
 * was stamped is {@linkplain #settled() unsettled}: a second write in the same clock tick could
 * leave the stamp as it was, so only its bytes can say it is unchanged.
 */
public record FileStamp(long size, long modifiedNanos, long changedNanos, long inode, long stampedNanos) {

    private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** The file's stamp now, or null when the file system cannot say (no Unix view, the file is gone). */
    public static FileStamp of(Path path) {
        try {
            long now = System.currentTimeMillis() * 1_000_000L;
            Map<String, Object> a = Files.readAttributes(path, "unix:size,lastModifiedTime,ctime,ino");
            return new FileStamp((Long) a.get("size"), nanos(a.get("lastModifiedTime")), nanos(a.get("ctime")),
                    (Long) a.get("ino"), now);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Whether the file was last changed more than a second before it was stamped. */
    public boolean settled() {
        return stampedNanos - changedNanos > SETTLE_NANOS;
    }

    /** Whether {@code now} shows the same file, not written since this stamp (when this one is settled). */
    public boolean sameFileAs(FileStamp now) {
        return now != null && size == now.size && modifiedNanos == now.modifiedNanos && changedNanos == now.changedNanos
                && inode == now.inode;
    }

    private static long nanos(Object time) {
        return ((FileTime) time).to(TimeUnit.NANOSECONDS);
    }
}
