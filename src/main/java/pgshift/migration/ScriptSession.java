package pgshift.migration;

import pgshift.migration.SqlStatement.TxMode;

/**
 * What the statements of a script change about the ones after them: standard_conforming_strings,
 * which decides how the next statement is lexed.
 */
final class ScriptSession {

    private boolean standardConformingStrings = true;

    boolean standardConformingStrings() {
        return standardConformingStrings;
    }

    /** Classifies a statement and takes note of what it changes for the statements after it. */
    TxMode take(String statementText) {
        TxMode mode = TxModeClassifier.classify(statementText, standardConformingStrings);
        standardConformingStrings = ConformingStrings.after(statementText, standardConformingStrings);
        return mode;
    }
}
