package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The ./pgshift launcher's choice of java and its class cache, through
 * src/test/launcher/java-switch.sh: JAVA_HOME before the PATH, CDS on 17-24, an AOT cache on 25+,
 * switching between them, damaged caches, a failing training run, a Java that is too old.
 * Skipped where the machine has no JDK 25 next to its JDK 17 (this project's machines have both).
 */
class LauncherIT {

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
