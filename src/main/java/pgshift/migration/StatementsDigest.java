package pgshift.migration;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A SHA-256 of a statement list that the server computes the same way ({@link #SQL}), so status
 * compares thousands of ledger rows with their files without fetching every statements array.
 */
public final class StatementsDigest {

    /** The server side of the digest, over the ledger's {@code statements} column. */
    public static final String SQL = "encode(sha256(convert_to(coalesce(array_length(statements, 1), 0)::text "
            + "|| E'\\n' || array_to_string(statements, E'\\x1f'), 'UTF8')), 'hex')";

    private StatementsDigest() {
    }

    public static String of(List<String> statements) {
        String joined = statements.size() + "\n" + String.join("\u001f", statements);
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(joined.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
