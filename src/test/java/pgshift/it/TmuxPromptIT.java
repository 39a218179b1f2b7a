package pgshift.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import pgshift.testing.TestPostgres;

/**
 * The shell's prompt in a real terminal, through src/test/tmux/prompt-in-tmux.sh: redrawn
 * shorter from the watch's thread while a line is typed, it leaves nothing of the old one.
 */
class TmuxPromptIT {

    @Test
    void aPromptThatGetsShorterLeavesNothingBehindInARealTerminal() throws Exception {
        boolean haveTmux = new ProcessBuilder("sh", "-c", "command -v tmux").start().waitFor() == 0;
        if (!"1".equals(System.getenv("PGSHIFT_REQUIRE_TMUX"))) {
            Assumptions.assumeTrue(haveTmux, "tmux is not installed (.ci/run installs it)");
        }
        ProcessBuilder script = new ProcessBuilder("bash", Path.of("src/test/tmux/prompt-in-tmux.sh").toString())
                .redirectErrorStream(true);
        script.environment().put("DATABASE_URL", TestPostgres.urlString(TestPostgres.freshDatabase("tmux_prompt")));
        Process run = script.start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(run.exitValue()).as(output).isZero();
        assertThat(output).contains("ok: unblocked: ");
    }
}
