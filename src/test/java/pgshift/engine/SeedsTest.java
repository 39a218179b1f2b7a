package pgshift.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import pgshift.failure.PgshiftException;

/** Which seed files a command loads, from the project's layout and --seed/--no-seed. */
class SeedsTest {

    @TempDir
    Path root;

    private Path file(String relative) throws IOException {
        Path path = root.resolve(relative);
        Files.createDirectories(path.getParent());
        return Files.writeString(path, "select 1;\n");
    }

    @Test
    void aSupabaseLayoutSeedsFromSupabaseSeedSql() throws IOException {
        Files.createDirectories(root.resolve("supabase/migrations"));
        Path seed = file("supabase/seed.sql");
        file("seed.sql"); // a seed.sql at the root is not the Supabase CLI's

        assertThat(Seeds.find(root.resolve("supabase/migrations"), List.of(), false, root)).containsExactly(seed);
    }

    @Test
    void aPlainLayoutSeedsFromSeedSqlBesideTheMigrationsFolder() throws IOException {
        Files.createDirectories(root.resolve("db/migrations"));
        Path seed = file("db/seed.sql");

        assertThat(Seeds.find(root.resolve("db/migrations"), List.of(), false, root)).containsExactly(seed);
        assertThat(Seeds.find(root.resolve("migrations"), List.of(), false, root)).as("no seed.sql at the root: none")
                .isEmpty();
    }

    @Test
    void seedGlobsAreRelativeToTheWorkingFolderSortedByNameAndEachFileLoadsOnce() throws IOException {
        Path b = file("seeds/b_users.sql");
        Path a = file("seeds/a_orgs.sql");
        Path z = file("seeds/nested/z.sql");
        file("seeds/notes.txt");
        Path extra = file("extra.sql");
        Path work = root.resolve("seeds");

        assertThat(Seeds.find(root.resolve("migrations"), List.of("../extra.sql", "*.sql", "b_users.sql"), false, work))
                .containsExactly(extra, a, b);
        assertThat(Seeds.find(root.resolve("migrations"), List.of("seeds/**.sql"), false, root))
                .containsExactly(a, b, z);
    }

    @Test
    void aGlobMatchingNothingOrAMissingFileIsAnError() throws IOException {
        file("seeds/a.sql");

        assertThatThrownBy(() -> Seeds.find(root.resolve("migrations"), List.of("seeds/*.csv"), false, root))
                .isInstanceOf(PgshiftException.class)
                .hasMessageStartingWith("--seed seeds/*.csv matches no file (looked in " + root.resolve("seeds") + ")")
                .extracting(e -> ((PgshiftException) e).kind()).isEqualTo(PgshiftException.Kind.USAGE);
        assertThatThrownBy(() -> Seeds.find(root.resolve("migrations"), List.of("nowhere/*.sql"), false, root))
                .hasMessageStartingWith("--seed nowhere/*.sql matches no file");
        assertThatThrownBy(() -> Seeds.find(root.resolve("migrations"), List.of("seeds/b.sql"), false, root))
                .hasMessageStartingWith("--seed seeds/b.sql: no such file (looked for " + root.resolve("seeds/b.sql") + ")");
    }

    @Test
    void noSeedLoadsNothingAndContradictsSeed() throws IOException {
        file("seed.sql");
        Files.createDirectories(root.resolve("migrations"));

        assertThat(Seeds.find(root.resolve("migrations"), List.of(), true, root)).isEmpty();
        assertThatThrownBy(() -> Seeds.find(root.resolve("migrations"), List.of("seed.sql"), true, root))
                .isInstanceOf(PgshiftException.class).hasMessageContaining("--seed and --no-seed contradict each other");
    }
}
