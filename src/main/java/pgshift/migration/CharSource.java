package pgshift.migration;

/**
 * Random access to the characters the lexer reads, so one lexer serves both a streamed file and
 * an in-memory statement.
 */
@FunctionalInterface
interface CharSource {

    /** Returns the char at {@code index}, or -1 when the input ends before it. */
    int charAt(int index);

    static CharSource of(String text) {
        return index -> index < text.length() ? text.charAt(index) : -1;
    }
}
