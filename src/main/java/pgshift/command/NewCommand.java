package pgshift.command;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.text.Normalizer;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import pgshift.failure.PgshiftException;
import pgshift.migration.MigrationFile;

/** Creates a new migration file named with the current UTC time, like supabase migration new. */
@Command(name = "new", mixinStandardHelpOptions = true,
        description = "Create <UTC yyyyMMddHHmmss>_<name>.sql in the migrations folder from a short template.")
public final class NewCommand implements Callable<Integer> {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    private static final Pattern VERSION = Pattern.compile("^([0-9]+)_");
    /** Letters that NFD does not take apart into a base letter and marks. */
    private static final Map<Integer, String> SPELLED = Map.of('ß', "ss", 'æ', "ae", 'ø', "o", 'œ', "oe", 'ł', "l",
            'đ', "d", 'ð', "d", 'þ', "th", 'ı', "i").entrySet().stream()
            .collect(java.util.stream.Collectors.toMap(e -> (int) e.getKey().charValue(), Map.Entry::getValue));

    @ParentCommand
    CommandRoot root;

    @Parameters(index = "0", arity = "1..*", paramLabel = "NAME", description = "What the migration does, e.g. add bounce tracking")
    String[] words;

    @Override
    public Integer call() throws Exception {
        String name = migrationName(String.join(" ", words));
        try (Context ctx = root.openContext()) {
            Path file = create(ctx.folder(), name, Clock.systemUTC());
            ctx.console().println(ctx.display(file));
            return 0;
        }
    }

    /** The file name part for what the user typed, as {@link #sanitize} makes it; refused when nothing is left. */
    static String migrationName(String typed) {
        String name = sanitize(typed);
        if (name.isEmpty()) {
            throw PgshiftException.usage("'" + MigrationFile.printable(typed) + "' has no letters a-z or digits, even with "
                    + "accents removed, and a migration name needs some (file names stay ASCII, for every tool and file "
                    + "system). Describe it in Latin letters, e.g. new add_bounce_tracking.");
        }
        return name;
    }

    /**
     * Writes the template to {@code <stamp>_<name>.sql}, where stamp is the current UTC second or,
     * when a file already has that version, the next second that is free: two calls within one
     * second get two versions instead of an error.
     */
    static Path create(Path folder, String name, Clock clock) throws IOException {
        return create(folder, name, clock, "-- " + name.replace('_', ' ') + "\n-- Runs in one transaction with its ledger row. "
                + "For CREATE INDEX CONCURRENTLY and the like, make the first line: -- pgshift:no-transaction\n\n");
    }

    /** As {@link #create(Path, String, Clock)}, holding {@code text}. */
    static Path create(Path folder, String name, Clock clock, String text) throws IOException {
        Files.createDirectories(folder);
        Set<String> taken = versions(folder);
        LocalDateTime at = LocalDateTime.now(clock.withZone(ZoneOffset.UTC)).withNano(0);
        while (true) {
            String version = STAMP.format(at);
            at = at.plusSeconds(1);
            if (taken.contains(version)) {
                continue;
            }
            Path file = folder.resolve(version + "_" + name + ".sql");
            try {
                Files.writeString(file, text, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                return file;
            } catch (FileAlreadyExistsException e) {
                taken.add(version); // another new in the same second, just now
            }
        }
    }

    /** The versions of every entry named like a migration, whatever its extension: each one is taken. */
    private static Set<String> versions(Path folder) throws IOException {
        Set<String> versions = new HashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                Matcher m = VERSION.matcher(entry.getFileName().toString());
                if (m.find()) {
                    versions.add(m.group(1));
                }
            }
        }
        return versions;
    }

    /**
     * Lower case, [a-z0-9_] only: accented letters keep their base letter (é -> e, ß -> ss), runs
     * of anything else become one underscore.
     */
    static String sanitize(String raw) {
        StringBuilder spelled = new StringBuilder(raw.length());
        raw.toLowerCase(Locale.ROOT).codePoints().forEach(c -> {
            String replacement = SPELLED.get(c);
            if (replacement != null) {
                spelled.append(replacement);
            } else {
                spelled.appendCodePoint(c);
            }
        });
        String base = Normalizer.normalize(spelled, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
        return base.replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
    }
}
