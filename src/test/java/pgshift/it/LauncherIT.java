package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import pgshift.testing.Cli;
import pgshift.testing.MigrationDb;

/**
 * The ./pgshift launcher's choice of java and its class cache, through
 * src/test/launcher/java-switch.sh: JAVA_HOME before the PATH, CDS on 17-24, an AOT cache on 25+,
 * switching between them, damaged caches, a failing training run, a Java that is too old.
 * Skipped where the machine has no JDK 25 next to its JDK 17 (this project's machines have both).
 */
class LauncherIT {

    @RegisterExtension
    final MigrationDb db = new MigrationDb();

    /** Runs a command line in bash, in {@code dir}, with {@code bin} first on the PATH and no DATABASE_URL. */
    private static Cli.Result bash(Path dir, Path bin, String command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", command).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().remove("DATABASE_URL");
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return Cli.finish(pb.start());
    }

    @Test
    void theLauncherLinkedFromAFolderOnThePathRunsInTheUsersOwnProject() throws Exception {
        // The user's own repository: migrations, .env.local with their database, a subfolder they work in.
        Path project = db.workDir().resolve("my-app");
        Files.createDirectories(project.resolve("supabase/migrations"));
        Files.createDirectories(project.resolve("web/src"));
        Files.writeString(project.resolve("supabase/migrations/20240101000000_hello.sql"), "create table hello (id int);\n");
        Files.writeString(project.resolve(".env.local"), "DATABASE_URL=" + db.urlString() + "\n");
        // ~/bin/pgshift -> ~/tools/pgshift -> the checkout's launcher: a chain of links, as users make them.
        Path bin = Files.createDirectories(db.workDir().resolve("bin"));
        Path tools = Files.createDirectories(db.workDir().resolve("tools"));
        Files.createSymbolicLink(tools.resolve("pgshift"), Path.of("pgshift").toAbsolutePath());
        Files.createSymbolicLink(bin.resolve("pgshift"), tools.resolve("pgshift"));

        Cli.Result version = bash(project, bin, "pgshift --version");
        assertThat(version.code()).as(version.toString()).isZero();
        assertThat(version.out()).startsWith("pgshift ");
        assertThat(version.err()).as("the jar is found through the links, not rebuilt").isEmpty();

        Cli.Result apply = bash(project.resolve("web/src"), bin, "pgshift apply");
        assertThat(apply.code()).as(apply.toString()).isZero();
        assertThat(apply.err()).contains("Using the project in " + project);
        assertThat(db.tableExists("hello")).as("applied to the database named in the project's .env.local").isTrue();

        Cli.Result jar = bash(project, bin, "java -jar " + Path.of("target/pgshift.jar").toAbsolutePath() + " status --check");
        assertThat(jar.code()).as(jar.toString()).isZero();
        assertThat(jar.out()).containsPattern("20240101000000 +hello +applied");
        assertThat(project.resolve(".pgshift")).as("no embedded database: the URL came from .env.local").doesNotExist();
    }

    @Test
    void theLauncherPicksItsJavaAndClassCacheAndNeverPrintsMoreThanPgshift() throws Exception {
        boolean haveJdk25 = false;
        try (var jdks = Files.list(Path.of("/usr/lib/jvm"))) {
            for (Path jdk : jdks.toList()) {
                Path release = jdk.resolve("release");
                haveJdk25 |= Files.exists(release) && Files.readString(release).contains("JAVA_VERSION=\"25");
            }
        } catch (java.io.IOException e) {
            haveJdk25 = false;
        }
        Assumptions.assumeTrue(haveJdk25, "no JDK 25 under /usr/lib/jvm");
        Process run = new ProcessBuilder("bash", "src/test/launcher/java-switch.sh").redirectErrorStream(true).start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(run.exitValue()).as(output).isZero();
        assertThat(output).contains("java-switch: all passed");
    }
}
