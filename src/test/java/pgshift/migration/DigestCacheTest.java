package pgshift.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The digest cache remembers unchanged files and sees every edit, even one that keeps size and time. */
class DigestCacheTest {

    @TempDir
    Path dir;

    private MigrationFile write(String name, String sql) throws Exception {
        Path p = Files.writeString(dir.resolve(name), sql);
        // Old enough not to count as "changed just now" (see DigestCache's racy rule).
        Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        return MigrationFile.parse(p).orElseThrow();
    }

    /** A file whose change time is a few seconds old: waits until the kernel's clock has moved past it. */
    private static void ageChangeTime(Path file, long seconds) throws Exception {
        long changed = ((FileTime) Files.getAttribute(file, "unix:ctime")).toMillis();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(seconds + 5))
                .until(() -> System.currentTimeMillis() - changed > seconds * 1000);
    }

    @Test
    void anUnchangedFileIsAnsweredFromTheCacheWithoutReadingIt() throws Exception {
        Path cacheFile = dir.resolve("cache/digests.tsv");
        MigrationFile file = write("1_a.sql", "select 1;");
        ageChangeTime(file.path(), 1);
        DigestCache first = DigestCache.load(cacheFile, "v1");
        assertThat(first.digest(file)).isEqualTo(StatementsDigest.of(List.of("select 1")));
        first.save();
        assertThat(cacheFile).exists();

        assertThat(DigestCache.load(cacheFile, "v1").cached(file)).isEqualTo(StatementsDigest.of(List.of("select 1")));
        assertThat(DigestCache.load(cacheFile, "v2").cached(file)).as("a cache from another build").isNull();
    }

    @Test
    void anEditThatKeepsSizeAndModificationTimeIsStillSeen() throws Exception {
        Path cacheFile = dir.resolve("digests.tsv");
        MigrationFile file = write("1_a.sql", "select 1;");
        ageChangeTime(file.path(), 1);
        DigestCache cache = DigestCache.load(cacheFile, "v1");
        cache.digest(file);
        cache.save();

        FileTime time = Files.getLastModifiedTime(file.path());
        Files.writeString(file.path(), "select 2;");
        Files.setLastModifiedTime(file.path(), time); // size and modification time as before

        DigestCache again = DigestCache.load(cacheFile, "v1");
        assertThat(again.cached(file)).as("the change time moved").isNull();
        assertThat(again.digest(file)).isEqualTo(StatementsDigest.of(List.of("select 2")));
    }

    @Test
    void aFileChangedJustNowIsNotRemembered() throws Exception {
        Path cacheFile = dir.resolve("digests.tsv");
        Path p = Files.writeString(dir.resolve("1_a.sql"), "select 1;");
        MigrationFile file = MigrationFile.parse(p).orElseThrow();
        DigestCache cache = DigestCache.load(cacheFile, "v1");
        assertThat(cache.digest(file)).isEqualTo(StatementsDigest.of(List.of("select 1")));
        cache.save();
        assertThat(DigestCache.load(cacheFile, "v1").cached(file)).isNull();
    }

    @Test
    void aBrokenCacheFileIsIgnored() throws Exception {
        Path cacheFile = dir.resolve("digests.tsv");
        Files.writeString(cacheFile, "pgshift digest cache 2 v1\nnot\ta\tnumber\tx\ty\tz\n");
        MigrationFile file = write("1_a.sql", "select 1;");
        assertThat(DigestCache.load(cacheFile, "v1").digest(file)).isEqualTo(StatementsDigest.of(List.of("select 1")));
    }

    @Test
    void theCacheLivesInTheUsersCacheFolderNeverInTheProject() {
        Path project = Path.of("/work/some-app/supabase/migrations");
        Path location = DigestCache.locationFor(project, Map.of("XDG_CACHE_HOME", "/home/u/.cache-x"));
        assertThat(location.getParent()).isEqualTo(Path.of("/home/u/.cache-x/pgshift"));
        assertThat(location.startsWith(Path.of("/work/some-app"))).isFalse();
        assertThat(DigestCache.locationFor(Path.of("/elsewhere/migrations"), Map.of("XDG_CACHE_HOME", "/c")))
                .as("one cache per folder").isNotEqualTo(DigestCache.locationFor(project, Map.of("XDG_CACHE_HOME", "/c")));
    }
}
