package pgshift.migration;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Remembers each migration file's {@link StatementsDigest} by path, size and modification time, so
 * status compares 10,000 applied files with the ledger without reading and splitting each one
 * every time (git's index does the same for its working tree). A file whose size or time changed
 * is read again; a cache written by another pgshift version is ignored.
 */
public final class DigestCache {

    private record Entry(long size, long modifiedNanos, String digest) {
    }

    private final Path file;
    private final String version;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private volatile boolean changed;

    private DigestCache(Path file, String version) {
        this.file = file;
        this.version = version;
    }

    /** Loads the cache; a missing, unreadable or foreign cache starts empty. */
    public static DigestCache load(Path file, String version) {
        DigestCache cache = new DigestCache(file, version);
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty() || !lines.get(0).equals(header(version))) {
                return cache;
            }
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split("\t");
                if (f.length == 4) {
                    cache.entries.put(f[0], new Entry(Long.parseLong(f[1]), Long.parseLong(f[2]), f[3]));
                }
            }
        } catch (IOException | RuntimeException e) {
            cache.entries.clear(); // a cache is only ever a shortcut: start over
        }
        return cache;
    }

    /** The digest of the file's statements, from the cache when the file is unchanged. */
    public String digest(MigrationFile migration) {
        Path path = migration.path().toAbsolutePath();
        BasicFileAttributes attrs = attributes(path);
        if (attrs == null) {
            return StatementsDigest.of(MigrationScript.load(migration).texts());
        }
        String cached = cached(path, attrs);
        if (cached != null) {
            return cached;
        }
        String digest = StatementsDigest.of(MigrationScript.load(migration).texts());
        entries.put(path.toString(), new Entry(attrs.size(), modifiedNanos(attrs), digest));
        changed = true;
        return digest;
    }

    /** The cached digest when the file is unchanged since it was cached; null otherwise. Never reads the file. */
    public String cached(MigrationFile migration) {
        Path path = migration.path().toAbsolutePath();
        BasicFileAttributes attrs = attributes(path);
        return attrs == null ? null : cached(path, attrs);
    }

    private String cached(Path path, BasicFileAttributes attrs) {
        Entry cached = entries.get(path.toString());
        return cached != null && cached.size() == attrs.size() && cached.modifiedNanos() == modifiedNanos(attrs)
                ? cached.digest() : null;
    }

    private static BasicFileAttributes attributes(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException e) {
            return null;
        }
    }

    private static long modifiedNanos(BasicFileAttributes attrs) {
        return attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS);
    }

    /** Writes the cache back if it learnt anything; failures are ignored (read-only folders are fine). */
    public void save() {
        if (!changed) {
            return;
        }
        StringBuilder out = new StringBuilder(header(version)).append('\n');
        entries.forEach((path, e) -> out.append(path).append('\t').append(e.size()).append('\t')
                .append(e.modifiedNanos()).append('\t').append(e.digest()).append('\n'));
        try {
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), "digests", ".tmp");
            Files.writeString(temp, out, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            changed = false;
        } catch (IOException | RuntimeException e) {
            // Without a cache the next status reads the files again; nothing else depends on it.
        }
    }

    private static String header(String version) {
        return "pgshift digest cache " + version;
    }
}
