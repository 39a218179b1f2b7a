package pgshift.command;

import java.time.Duration;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import pgshift.failure.PgshiftException;
import pgshift.watch.OnEdit;
import pgshift.watch.WatchOptions;

/** The options of watch, shared by {@code pgshift watch} and the shell's {@code watch on}. */
public final class WatchSettings {

    @Option(names = "--settle", paramLabel = "MS", defaultValue = "200",
            description = "How long a file must stay unchanged before it is applied, in milliseconds (default: ${DEFAULT-VALUE})")
    long settleMillis;

    @Option(names = "--on-edit", paramLabel = "rewind|warn|reapply", defaultValue = "rewind", converter = OnEditConverter.class,
            description = "When an applied file is edited: rewind (default) the local database to just before it, from "
                    + "a snapshot on the same server, and apply it and the later files again; warn and run nothing; or "
                    + "reapply it in a transaction and record its new statements (for re-runnable migrations)")
    OnEdit onEdit;

    @Option(names = "--allow-remote", description = "Also watch a database that is not on this machine")
    boolean allowRemote;

    static final class OnEditConverter implements ITypeConverter<OnEdit> {
        @Override
        public OnEdit convert(String value) {
            try {
                return OnEdit.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** @param lockTimeout how long a pass waits for another run's migration lock */
    public WatchOptions toOptions(Duration lockTimeout) {
        if (settleMillis < 0) {
            throw PgshiftException.usage("--settle must be 0 or more milliseconds, not " + settleMillis + ".");
        }
        return new WatchOptions(Duration.ofMillis(settleMillis), onEdit, allowRemote, lockTimeout);
    }

    /** "settle 200 ms, edited files: warn", for the line that says watching started. */
    public String describe() {
        return "settle " + settleMillis + " ms, edited files: " + onEdit.label();
    }
}
