package pgshift.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProjectTest {

    @TempDir
    Path tmp;

    /** A project folder inside the temp folder, so the walk never reaches markers outside the test's own. */
    private Path make(String... paths) throws IOException {
        Path root = tmp.resolve("app");
        for (String path : paths) {
            Path p = root.resolve(path);
            if (path.endsWith("/")) {
                Files.createDirectories(p);
            } else {
                Files.createDirectories(p.getParent());
                Files.writeString(p, "");
            }
        }
        return root;
    }

    @ParameterizedTest(name = "{0} from {1}")
    @CsvSource(delimiter = '|', value = {
            "supabase/migrations/        | supabase             | supabase/",
            "supabase/migrations/        | supabase/migrations  | supabase/",
            "supabase/config.toml        | src/app              | supabase/",
            "migrations/                 | src/app              | migrations/",
            ".env.local                  | src                  | .env.local",
            ".git/                       | a/b/c                | .git/",
            ".git                        | a                    | .git",
            "migrations/                 | .                    | migrations/",
    })
    void theNearestFolderWithAMarkerIsTheRoot(String marker, String from, String named) throws IOException {
        Path root = make(marker, from + "/");
        Project project = Project.find(root.resolve(from));
        assertThat(project.root()).isEqualTo(root);
        assertThat(project.marker()).isEqualTo(named);
        assertThat(project.home()).isEqualTo(root.resolve(".pgshift"));
    }

    @Test
    void theNearestRootWinsOverOneFurtherUp() throws IOException {
        Path root = make(".git/", "packages/api/migrations/", "packages/api/src/");
        assertThat(Project.find(root.resolve("packages/api/src")).root()).isEqualTo(root.resolve("packages/api"));
    }

    @Test
    void runFromInsideSupabaseTheProjectIsItsParent() throws IOException {
        // The supabase/ folder holds migrations/, but it belongs to its parent, which holds supabase/.
        Path root = make("supabase/migrations/");
        assertThat(Project.find(root.resolve("supabase")).root()).isEqualTo(root);
    }

    @Test
    void noticeOnlyWhenTheRootIsAboveTheWorkingFolder() throws IOException {
        Path root = make("supabase/migrations/", "src/app/");
        Project project = Project.find(root.resolve("src/app"));
        assertThat(project.notice(root)).isNull();
        assertThat(project.notice(root.resolve("src/app"))).isEqualTo("Using the project in " + root
                + " (it holds supabase/): its .env files, migrations and embedded database.");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "supabase/migrations/  | true",
            "supabase/config.toml  | true",
            "supabase/seed.sql     | false",
            "migrations/           | false",
    })
    void aSupabaseLayoutHasMigrationsOrConfigTomlInSupabase(String marker, boolean supabase) throws IOException {
        assertThat(Project.find(make(marker)).supabaseLayout()).isEqualTo(supabase);
    }

    @Test
    void settingsComeFromTheRootButDirFromTheWorkingFolder() throws IOException {
        Path root = make("supabase/migrations/", "src/app/own/");
        Files.writeString(root.resolve(".env.local"), "DATABASE_URL=postgresql://app@root-host/app\n");
        Path here = root.resolve("src/app");

        Settings settings = SettingsResolver.resolve(null, null, Map.of(), here);
        assertThat(settings.migrationsDir()).isEqualTo(root.resolve("supabase/migrations"));
        assertThat(settings.databaseUrl().host()).isEqualTo("root-host");
        assertThat(settings.databaseUrlSource()).isEqualTo("DATABASE_URL in ../../.env.local");
        assertThat(settings.project().root()).isEqualTo(root);

        assertThat(SettingsResolver.resolve(null, "own", Map.of(), here).migrationsDir()).isEqualTo(here.resolve("own"));
    }
}
