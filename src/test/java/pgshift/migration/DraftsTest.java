package pgshift.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DraftsTest {

    private static boolean draft(String text) throws IOException {
        return Drafts.hasNoStatement(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void emptyBlankAndCommentOnlyFilesAreDrafts() throws IOException {
        assertThat(draft("")).isTrue();
        assertThat(draft(" \n\t\r\n")).isTrue();
        assertThat(draft("-- add widgets\n-- Runs in one transaction.\n")).isTrue();
        assertThat(draft("-- no newline at the end")).isTrue();
        assertThat(draft("/* a /* nested */ comment */\n;\n;")).isTrue();
        assertThat(draft("\uFEFF-- with a byte order mark\n")).isTrue();
    }

    @Test
    void anyStatementMakesAFileNoDraft() throws IOException {
        assertThat(draft("-- comment\ncreate table t (id int);")).isFalse();
        assertThat(draft("select 1")).isFalse();
        assertThat(draft("/* c */ select 1")).isFalse();
        assertThat(draft("- 1")).isFalse();
        assertThat(draft("/ 1")).isFalse();
        assertThat(draft("/*/ select 1 */ x")).isFalse();
        assertThat(draft("\\i other.sql")).isFalse(); // the splitter reports it, with its line
    }

    @Test
    void anUnclosedCommentIsNoDraftSoApplyReportsIt() throws IOException {
        assertThat(draft("/* never closed\n")).isFalse();
        assertThat(draft("/* a /* b */ still open\n")).isFalse();
    }

    @Test
    void anUnreadableFileIsNoDraft(@TempDir Path dir) throws IOException {
        assertThat(Drafts.isDraft(dir.resolve("1_gone.sql"))).isFalse();
        Path nul = Files.write(dir.resolve("1_nul.sql"), new byte[] {0, 0});
        assertThat(Drafts.isDraft(nul)).isFalse();
        assertThat(Drafts.isDraft(Files.writeString(dir.resolve("2_c.sql"), "-- only\n"))).isTrue();
    }
}
