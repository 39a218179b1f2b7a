package pgshift.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import pgshift.testing.Screen;
import pgshift.testing.VisibleLine;

/** A prompt replaced from another thread while a line is typed, as the terminal then shows it. */
class PromptRedrawTest {

    private static final String BLOCKED = "pgshift app@localhost:5432/app local 0 pending [watch: blocked on 20261127081500]> ";
    private static final String WATCHING = "pgshift app@localhost:5432/app local 0 pending [watching]> ";

    @ParameterizedTest
    @ValueSource(strings = {Terminal.TYPE_DUMB, "ansi", "xterm-256color"})
    void aShorterPromptLeavesNothingOfTheOldOneAndKeepsTheTyping(String type) throws Exception {
        Screen screen = new Screen();
        PipedOutputStream keys = new PipedOutputStream();
        try (Terminal terminal = new DumbTerminal("test", type, new PipedInputStream(keys), screen, StandardCharsets.UTF_8)) {
            terminal.setSize(new Size(160, 40));
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).build();
            CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> reader.readLine(BLOCKED));
            keys.write("hist".getBytes(StandardCharsets.UTF_8));
            keys.flush();
            // (A dumb terminal's reader shows typing only at the next redisplay: wait for the reader, not the screen.)
            await().atMost(Duration.ofSeconds(30)).until(() -> reader.isReading() && reader.getBuffer().toString().equals("hist")
                    && screen.text().contains(BLOCKED));

            PromptRedraw.redraw(reader, WATCHING);

            await().atMost(Duration.ofSeconds(30)).until(() -> screen.text().contains("[watching]"));
            assertThat(VisibleLine.of(screen.text())).isEqualTo(WATCHING + "hist");
            keys.write("ory\n".getBytes(StandardCharsets.UTF_8));
            keys.flush();
            assertThat(line.get()).as("the typing went on after the redraw").isEqualTo("history");
        }
    }

}
