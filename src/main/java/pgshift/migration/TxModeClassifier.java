package pgshift.migration;

import pgshift.migration.SqlStatement.TxMode;

/**
 * Tells from a statement's leading keywords whether PostgreSQL refuses to run it in a
 * transaction block, or whether it starts or ends a transaction itself.
 */
final class TxModeClassifier {

    private TxModeClassifier() {
    }

    static TxMode classify(String statementText) {
        return classify(statementText, true);
    }

    static TxMode classify(String statementText, boolean standardConformingStrings) {
        SignificantTokens tokens = new SignificantTokens(statementText, standardConformingStrings);
        if (tokens.is("vacuum")) {
            return TxMode.NO_TRANSACTION;
        }
        if (tokens.is("create", "drop")) {
            return createOrDrop(tokens);
        }
        if (tokens.is("alter")) {
            return alter(tokens);
        }
        if (tokens.is("reindex")) {
            return reindex(tokens);
        }
        if (tokens.is("discard", "cluster")) {
            return discardAllOrWholeCluster(tokens);
        }
        return transactionControl(tokens);
    }

    private static TxMode createOrDrop(SignificantTokens tokens) {
        boolean create = tokens.is("create");
        tokens.advance();
        if (tokens.is("database", "tablespace", "subscription")) {
            return TxMode.NO_TRANSACTION;
        }
        if (create && tokens.is("unique")) {
            tokens.advance();
        }
        if (!tokens.is("index")) {
            return TxMode.NORMAL;
        }
        tokens.advance();
        return noTransactionIf(tokens.is("concurrently"));
    }

    private static TxMode alter(SignificantTokens tokens) {
        tokens.advance();
        if (tokens.is("system")) {
            return TxMode.NO_TRANSACTION;
        }
        if (!tokens.is("table")) {
            return TxMode.NORMAL;
        }
        while (!tokens.atEnd()) {
            boolean detach = tokens.is("detach");
            tokens.advance();
            if (detach && tokens.is("partition")) {
                tokens.advance();
                skipQualifiedName(tokens);
                return noTransactionIf(tokens.is("concurrently"));
            }
        }
        return TxMode.NORMAL;
    }

    /** Skips {@code name} or {@code schema.name}; a partition may itself be called "concurrently". */
    private static void skipQualifiedName(SignificantTokens tokens) {
        tokens.advance();
        while (tokens.textIs(".")) {
            tokens.advance();
            tokens.advance();
        }
    }

    /** {@code REINDEX [ ( option, ... ) ] { INDEX | TABLE | SCHEMA | DATABASE | SYSTEM } [ CONCURRENTLY ] name}. */
    private static TxMode reindex(SignificantTokens tokens) {
        tokens.advance();
        boolean concurrently = false;
        if (tokens.kind() == SqlLexer.Kind.OPEN_PAREN) {
            tokens.advance();
            while (!tokens.atEnd() && tokens.kind() != SqlLexer.Kind.CLOSE_PAREN) {
                boolean option = tokens.is("concurrently");
                tokens.advance();
                if (option) {
                    concurrently = !(tokens.is("false", "off") || tokens.textIs("0"));
                }
            }
            tokens.advance();
        }
        // Reindexing a whole database or the catalogs commits per table, concurrently or not.
        if (tokens.is("database", "system")) {
            return TxMode.NO_TRANSACTION;
        }
        tokens.advance();
        return noTransactionIf(concurrently || tokens.is("concurrently"));
    }

    /** {@code DISCARD ALL}, and {@code CLUSTER [ ( option, ... ) ]} without a table, which clusters table by table. */
    private static TxMode discardAllOrWholeCluster(SignificantTokens tokens) {
        boolean discard = tokens.is("discard");
        tokens.advance();
        if (discard) {
            return noTransactionIf(tokens.is("all"));
        }
        if (tokens.kind() == SqlLexer.Kind.OPEN_PAREN) {
            while (!tokens.atEnd() && tokens.kind() != SqlLexer.Kind.CLOSE_PAREN) {
                tokens.advance();
            }
            tokens.advance();
        }
        if (tokens.is("verbose")) {
            tokens.advance();
        }
        return noTransactionIf(tokens.atEnd());
    }

    private static TxMode transactionControl(SignificantTokens tokens) {
        if (tokens.is("commit", "end")) {
            return TxMode.TRANSACTION_CONTROL;
        }
        boolean begin = tokens.is("begin");
        boolean start = tokens.is("start");
        boolean rollback = tokens.is("rollback", "abort");
        boolean prepare = tokens.is("prepare");
        tokens.advance();
        if (begin) {
            return controlIf(!tokens.is("atomic"));
        }
        if (start) {
            return controlIf(tokens.is("transaction"));
        }
        if (rollback) {
            if (tokens.is("work", "transaction")) {
                tokens.advance();
            }
            // ROLLBACK TO SAVEPOINT stays inside the transaction.
            return controlIf(!tokens.is("to"));
        }
        if (prepare && tokens.is("transaction")) {
            // PREPARE TRANSACTION 'gid', not PREPARE transaction AS ... (a statement named "transaction").
            tokens.advance();
            return controlIf(tokens.kind() == SqlLexer.Kind.STRING || tokens.kind() == SqlLexer.Kind.ESCAPE_STRING);
        }
        return TxMode.NORMAL;
    }

    private static TxMode noTransactionIf(boolean condition) {
        return condition ? TxMode.NO_TRANSACTION : TxMode.NORMAL;
    }

    private static TxMode controlIf(boolean condition) {
        return condition ? TxMode.TRANSACTION_CONTROL : TxMode.NORMAL;
    }
}
