package pgshift.shell;

import java.time.Instant;

import org.jline.reader.impl.history.DefaultHistory;

import pgshift.config.Secrets;

/** Line history that masks passwords before a line is kept or saved to ~/.pgshift_history. */
final class MaskedHistory extends DefaultHistory {

    @Override
    public void add(Instant time, String line) {
        super.add(time, Secrets.mask(line));
    }
}
