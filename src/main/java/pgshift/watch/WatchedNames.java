package pgshift.watch;

import java.nio.file.Path;

/**
 * Which paths in the watched folder can concern migrations: `.sql` files directly in it. Editors'
 * temp, swap and backup files ({@code *.swp}, {@code *~}, {@code .#*}, {@code #*#}, vim's
 * {@code 4913}, JetBrains' {@code *___jb_tmp___}) and anything in a subfolder cannot.
 */
final class WatchedNames {

    private WatchedNames() {
    }

    static boolean matters(Path folder, Path path) {
        // apply does not look into subfolders either.
        if (path.getFileName() == null || !folder.equals(path.getParent())) {
            return false;
        }
        String name = path.getFileName().toString();
        // Hidden and #...# names are editors' lock and autosave files even when they end in .sql.
        return name.endsWith(".sql") && !name.startsWith(".") && !name.startsWith("#");
    }
}
