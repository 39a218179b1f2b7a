package pgshift.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pgshift.failure.PgshiftException;

class DotEnvTest {

    @TempDir
    Path dir;

    static Stream<Arguments> values() {
        return Stream.of(
                Arguments.of("KEY=value", "value"),
                Arguments.of("export KEY=value", "value"),
                Arguments.of("  export   KEY=value", "value"),
                Arguments.of("KEY = value  ", "value"),
                Arguments.of("KEY=  value with spaces  ", "value with spaces"),
                Arguments.of("KEY=value # a comment", "value"),
                Arguments.of("KEY=value\t# a comment", "value"),
                Arguments.of("KEY=pa#ss", "pa#ss"),
                Arguments.of("KEY=#not-a-comment", "#not-a-comment"),
                Arguments.of("KEY= # only a comment", ""),
                Arguments.of("KEY=", ""),
                Arguments.of("KEY=''", ""),
                Arguments.of("KEY=\"\"", ""),
                Arguments.of("KEY=a=b=c", "a=b=c"),
                Arguments.of("KEY='a\\nb # c $HOME'", "a\\nb # c $HOME"),
                Arguments.of("KEY='  padded  '", "  padded  "),
                Arguments.of("KEY=\"a\\nb\"", "a\nb"),
                Arguments.of("KEY=\"say \\\"hi\\\"\"", "say \"hi\""),
                Arguments.of("KEY=\"back\\\\slash\\tand tab\"", "back\\slash\tand tab"),
                Arguments.of("KEY=\"C:\\dir\\file\"", "C:\\dir\\file"),
                Arguments.of("KEY=\"x # y\" # comment", "x # y"),
                Arguments.of("KEY=\"postgresql://u:p%40ss@db:5432/app?sslmode=require\"",
                        "postgresql://u:p%40ss@db:5432/app?sslmode=require"),
                Arguments.of("KEY=postgresql://u:p@ss@db:5432/app", "postgresql://u:p@ss@db:5432/app"),
                Arguments.of("KEY=\"first\nsecond\"", "first\nsecond"),
                Arguments.of("KEY='-----BEGIN-----\nline\n-----END-----'", "-----BEGIN-----\nline\n-----END-----"),
                Arguments.of("KEY=windows\r\n", "windows"),
                Arguments.of("\uFEFFKEY=after a byte order mark", "after a byte order mark"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("values")
    void readsValues(String content, String expected) throws IOException {
        Path file = write(content);

        assertThat(DotEnv.read(file)).containsExactly(Map.entry("KEY", expected));
    }

    @Test
    void readsAWholeFileInOrder() throws IOException {
        Path file = write("""
                # Local settings

                DATABASE_URL=postgresql://localhost/app
                export PGSHIFT_DIR=db/migrations   # relative to the project
                    # an indented comment
                EMPTY=
                DATABASE_URL=postgresql://localhost/override
                dotted.name=1
                """);

        assertThat(DotEnv.read(file)).containsExactly(
                Map.entry("DATABASE_URL", "postgresql://localhost/override"),
                Map.entry("PGSHIFT_DIR", "db/migrations"),
                Map.entry("EMPTY", ""),
                Map.entry("dotted.name", "1"));
    }

    @Test
    void aMissingFileIsEmpty() {
        assertThat(DotEnv.read(dir.resolve("nope.env"))).isEmpty();
    }

    @Test
    void theResultCannotBeChanged() throws IOException {
        Path file = write("A=1");

        assertThat(catchThrowableOfType(UnsupportedOperationException.class,
                () -> DotEnv.read(file).put("B", "2"))).isNotNull();
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("A=1\nthis line has no assignment s3cretvalue\n", 2, "not a KEY=VALUE"),
                Arguments.of("MY-KEY=s3cretvalue", 1, "not a KEY=VALUE"),
                Arguments.of("1KEY=s3cretvalue", 1, "not a KEY=VALUE"),
                Arguments.of("A=1\n\n=s3cretvalue", 3, "not a KEY=VALUE"),
                Arguments.of("export s3cretvalue", 1, "not a KEY=VALUE"),
                Arguments.of("A=1\nKEY=\"unclosed s3cretvalue\nB=2\nC=3\n", 2, "never closed"),
                Arguments.of("KEY='unclosed s3cretvalue", 1, "never closed"),
                Arguments.of("A=1\nKEY=\"s3cretvalue\" trailing", 2, "text after the closing quote"),
                Arguments.of("KEY='s3cret'value", 1, "text after the closing quote"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("malformed")
    void malformedLinesNameFileAndLineButNotTheValue(String content, int line, String reason) throws IOException {
        Path file = write(content);

        PgshiftException e = catchThrowableOfType(PgshiftException.class, () -> DotEnv.read(file));

        assertThat(e).isNotNull();
        assertThat(e.kind()).isEqualTo(PgshiftException.Kind.CONFIG);
        assertThat(e.getMessage())
                .startsWith(file + ":" + line + ": ")
                .contains(reason)
                .doesNotContain("s3cret");
    }

    @Test
    void aFolderInsteadOfAFileIsAConfigError() throws IOException {
        Path folder = Files.createDirectory(dir.resolve(".env"));

        PgshiftException e = catchThrowableOfType(PgshiftException.class, () -> DotEnv.read(folder));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("Cannot read " + folder);
    }

    @Test
    void aFileThatIsNotUtf8IsAConfigError() throws IOException {
        Path file = dir.resolve(".env");
        Files.write(file, new byte[] {'A', '=', (byte) 0xFF, (byte) 0xFE});

        PgshiftException e = catchThrowableOfType(PgshiftException.class, () -> DotEnv.read(file));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("is not UTF-8");
    }

    private Path write(String content) throws IOException {
        return Files.writeString(dir.resolve(".env"), content, StandardCharsets.UTF_8);
    }
}
