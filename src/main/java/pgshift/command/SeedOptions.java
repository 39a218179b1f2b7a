package pgshift.command;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Option;

import pgshift.engine.Seeds;

/** The options that choose seed files, declared once for every command that loads seeds. */
public final class SeedOptions {

    @Option(names = "--seed", paramLabel = "PATH",
            description = "Seed file or glob to load instead of seed.sql beside the migrations folder "
                    + "(repeatable; relative to the current folder; each glob's files in name order)")
    List<String> seeds = new ArrayList<>();

    @Option(names = "--no-seed", description = "Load no seed file")
    boolean noSeed;

    /** The seed files to load, in order; see {@link Seeds#find}. */
    public List<Path> files(Path migrationsDir, Path workingDir) {
        return Seeds.find(migrationsDir, seeds, noSeed, workingDir);
    }

    /** True when the user named seed files: worth a word when they are not loaded. */
    public boolean named() {
        return !seeds.isEmpty();
    }
}
