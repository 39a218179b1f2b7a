package pgshift.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pgshift.failure.PgshiftException;

class ScriptReaderTest {

    @TempDir
    Path dir;

    @Test
    void dropsTheByteOrderMark() throws IOException {
        Path file = write("bom.sql", bytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "select 1;"));

        assertThat(ScriptReader.readAll(file)).isEqualTo("select 1;");
        try (Reader reader = ScriptReader.open(file)) {
            SqlStatement statement = new SqlSplitter(reader, "bom.sql").next();
            assertThat(statement.text()).isEqualTo("select 1");
            assertThat(statement.column()).isEqualTo(1);
        }
    }

    @Test
    void keepsAByteOrderMarkThatIsNotAtTheStart() throws IOException {
        Path file = write("mid.sql", "select '\uFEFF';".getBytes(StandardCharsets.UTF_8));

        assertThat(ScriptReader.readAll(file)).isEqualTo("select '\uFEFF';");
    }

    @Test
    void keepsCrlf() throws IOException {
        Path file = write("crlf.sql", "select 1;\r\nselect 2;\r\n".getBytes(StandardCharsets.UTF_8));

        assertThat(ScriptReader.readAll(file)).isEqualTo("select 1;\r\nselect 2;\r\n");
    }

    @Test
    void invalidUtf8NamesFileAndLine() throws IOException {
        Path file = write("bad.sql", bytes("select 1;\nselect 2;\nselect 'caf", new byte[] {(byte) 0xE9}, "';\n"));

        assertThatThrownBy(() -> ScriptReader.readAll(file))
                .isInstanceOf(PgshiftException.class)
                .hasMessageStartingWith(file + ":3:12: ")
                .hasMessageContaining("0xE9")
                .hasMessageContaining("Re-save the file as UTF-8");
    }

    @Test
    void invalidUtf8FarIntoALargeFileNamesItsLine() throws IOException {
        String line = "insert into t values ('été');\n";
        Path file = write("big.sql", bytes(line.repeat(4_999), "select ", new byte[] {(byte) 0xC3, '('}, ";\n"));

        assertThatThrownBy(() -> {
            try (Reader reader = ScriptReader.open(file)) {
                char[] buffer = new char[1000];
                while (reader.read(buffer) >= 0) {
                    // Read to the end; the bad byte must stop it.
                }
            }
        }).isInstanceOf(PgshiftException.class).hasMessageStartingWith(file + ":5000:8: ");
    }

    @Test
    void nulByteNamesFileLineAndColumn() throws IOException {
        Path file = write("nul.sql", bytes("select 1;\nselect 2;\nselect 'a", new byte[] {0}, "b';\n"));

        assertThatThrownBy(() -> ScriptReader.readAll(file))
                .isInstanceOf(PgshiftException.class)
                .hasMessageStartingWith(file + ":3:10: ")
                .hasMessageContaining("NUL byte")
                .hasMessageContaining("PostgreSQL text cannot hold NUL bytes");
    }

    @Test
    void nulByteStopsTheSplitBeforeAnyStatementOfItsChunk() throws IOException {
        Path file = write("nul2.sql", bytes("select 1;\n-- x", new byte[] {0}, "\n"));

        try (Reader reader = ScriptReader.open(file)) {
            SqlSplitter splitter = new SqlSplitter(reader, "nul2.sql");
            assertThatThrownBy(splitter::next).isInstanceOf(PgshiftException.class)
                    .hasMessageStartingWith(file + ":2:5: ");
        }
    }

    @Test
    void utf16FileFailsOnItsFirstNul() throws IOException {
        Path file = write("utf16.sql", "select 1;".getBytes(StandardCharsets.UTF_16LE));

        assertThatThrownBy(() -> ScriptReader.readAll(file))
                .isInstanceOf(PgshiftException.class)
                .hasMessageStartingWith(file + ":1:2: ")
                .hasMessageContaining("UTF-16");
    }

    @Test
    void truncatedCharacterAtTheEndIsInvalid() throws IOException {
        Path file = write("cut.sql", bytes("select 'é", new byte[] {(byte) 0xC3}));

        assertThatThrownBy(() -> ScriptReader.readAll(file))
                .isInstanceOf(PgshiftException.class)
                .hasMessageStartingWith(file + ":1:10: ");
    }

    @Test
    void decodesCharactersSplitAcrossReadChunks() throws IOException {
        // 3-byte and 4-byte characters at every offset relative to the internal 8 KiB chunks.
        String text = "x€😀".repeat(5_000);
        Path file = write("wide.sql", text.getBytes(StandardCharsets.UTF_8));

        assertThat(ScriptReader.readAll(file)).isEqualTo(text);
    }

    @Test
    void emptyFileReadsAsEmpty() throws IOException {
        assertThat(ScriptReader.readAll(write("empty.sql", new byte[0]))).isEmpty();
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private static byte[] bytes(Object... parts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            out.write(part instanceof byte[] raw ? raw : part.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
