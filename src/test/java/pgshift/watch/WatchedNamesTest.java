package pgshift.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WatchedNamesTest {

    private static final Path FOLDER = Path.of("app", "migrations").toAbsolutePath();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "20251112000001_add_users.sql, true",
            "notes.sql,                    true",   // not a migration name: the scan warns about it
            "1_x.sql.swp,                  false",  // vim swap
            ".1_x.sql.swp,                 false",
            "1_x.sql~,                     false",  // backup
            ".#1_x.sql,                    false",  // emacs lock
            "#1_x.sql#,                    false",  // emacs autosave
            "4913,                         false",  // vim's probe for a writable folder
            "1_x.sql___jb_tmp___,          false",  // JetBrains safe write
            "1_x.sql.tmp.1234,             false",  // an atomic save's temp file
            ".hidden.sql,                  false",
            "README.md,                    false",
    })
    void namesInTheFolder(String name, boolean matters) {
        assertThat(WatchedNames.matters(FOLDER, FOLDER.resolve(name))).isEqualTo(matters);
    }

    @ParameterizedTest
    @CsvSource({"archive/1_old.sql", "../1_outside.sql"})
    void filesOutsideTheFolderItselfNeverMatter(String relative) {
        assertThat(WatchedNames.matters(FOLDER, FOLDER.resolve(relative).normalize())).isFalse();
    }
}
