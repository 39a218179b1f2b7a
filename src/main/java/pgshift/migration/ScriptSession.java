package pgshift.migration;

import pgshift.migration.SqlStatement.TxMode;

/**
 * What the statements of a script change about the ones after them: standard_conforming_strings,
 * which decides how the next statement is lexed, and the procedures that commit, which decide
 * whether a later CALL can run in pgshift's transaction.
 */
final class ScriptSession {

    private boolean standardConformingStrings = true;
    private final CommittingCode committingCode = new CommittingCode();

    boolean standardConformingStrings() {
        return standardConformingStrings;
    }

    /** Classifies a statement and takes note of what it changes for the statements after it. */
    TxMode take(String statementText) {
        TxMode mode = TxModeClassifier.classify(statementText, standardConformingStrings);
        if (mode == TxMode.NORMAL && committingCode.endsTransaction(statementText, standardConformingStrings)) {
            mode = TxMode.NO_TRANSACTION;
        }
        committingCode.remember(statementText, standardConformingStrings);
        standardConformingStrings = ConformingStrings.after(statementText, standardConformingStrings);
        return mode;
    }
}
