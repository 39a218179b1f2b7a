package pgshift.migration;

/**
 * A 1-based line and column in a migration file, the column counted in Java chars.
 */
public record TextPosition(int line, int column) {
}
