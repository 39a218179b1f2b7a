package pgshift.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigestCacheTest {

    @TempDir
    Path dir;

    private MigrationFile write(String name, String sql) throws Exception {
        Path p = Files.writeString(dir.resolve(name), sql);
        return MigrationFile.parse(p).orElseThrow();
    }

    @Test
    void remembersDigestsAcrossRunsAndNoticesEdits() throws Exception {
        Path cacheFile = dir.resolve(".pgshift/digests.tsv");
        MigrationFile file = write("1_a.sql", "select 1;");
        DigestCache first = DigestCache.load(cacheFile, "v1");
        assertThat(first.digest(file)).isEqualTo(StatementsDigest.of(List.of("select 1")));
        first.save();
        assertThat(cacheFile).exists();

        // Same size, new content, same time: the cache cannot tell, which shows the cache is used.
        FileTime time = Files.getLastModifiedTime(file.path());
        Files.writeString(file.path(), "select 2;");
        Files.setLastModifiedTime(file.path(), time);
        assertThat(DigestCache.load(cacheFile, "v1").digest(file)).isEqualTo(StatementsDigest.of(List.of("select 1")));

        // A new modification time (any real edit has one) makes it read the file again.
        Files.setLastModifiedTime(file.path(), FileTime.fromMillis(time.toMillis() + 1000));
        assertThat(DigestCache.load(cacheFile, "v1").digest(file)).isEqualTo(StatementsDigest.of(List.of("select 2")));

        // A cache from another build is ignored.
        Files.setLastModifiedTime(file.path(), time);
        assertThat(DigestCache.load(cacheFile, "v2").digest(file)).isEqualTo(StatementsDigest.of(List.of("select 2")));
    }

    @Test
    void aBrokenCacheFileIsIgnored() throws Exception {
        Path cacheFile = dir.resolve("digests.tsv");
        Files.writeString(cacheFile, "pgshift digest cache v1\nnot\ta\tnumber\tx\n");
        MigrationFile file = write("1_a.sql", "select 1;");
        assertThat(DigestCache.load(cacheFile, "v1").digest(file)).isEqualTo(StatementsDigest.of(List.of("select 1")));
    }
}
