package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import pgshift.testing.TestPostgres;

/**
 * The packaged launcher's shell in a real terminal, through src/test/tmux/shell-in-tmux.sh:
 * prompt, Tab completion, Ctrl-C and exit as a person at a keyboard meets them. CI installs
 * tmux and sets PGSHIFT_REQUIRE_TMUX=1, so there a missing tmux fails instead of skipping.
 */
class TmuxShellIT {

    @Test
    void theLaunchersShellWorksInARealTerminal() throws Exception {
        boolean haveTmux = new ProcessBuilder("sh", "-c", "command -v tmux").start().waitFor() == 0;
        if (!"1".equals(System.getenv("PGSHIFT_REQUIRE_TMUX"))) {
            Assumptions.assumeTrue(haveTmux, "tmux is not installed (.ci/run installs it)");
        }
        ProcessBuilder script = new ProcessBuilder("bash", Path.of("src/test/tmux/shell-in-tmux.sh").toString())
                .redirectErrorStream(true);
        script.environment().put("DATABASE_URL", TestPostgres.urlString(TestPostgres.freshDatabase("tmux")));
        Process run = script.start();
        String output = read(run);
        assertThat(run.waitFor(5, TimeUnit.MINUTES)).isTrue();
        System.err.print(output); // the measured Ctrl-C time, for the CI log
        assertThat(run.exitValue()).as(output).isZero();
        assertThat(output).contains("ok: Ctrl-C cancelled the running statement");
    }

    private static String read(Process process) throws IOException {
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
