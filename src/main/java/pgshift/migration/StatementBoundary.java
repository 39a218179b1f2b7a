package pgshift.migration;

/**
 * Decides which {@code ;} ends a statement: not one inside parentheses (psql agrees), and not
 * one inside the {@code BEGIN ATOMIC ... END} body of a SQL-standard function or procedure.
 *
 * <p>Like psql, it only looks for a body when the statement starts with
 * {@code CREATE [OR REPLACE] FUNCTION|PROCEDURE}; inside the body {@code CASE} opens another
 * level that its {@code END} closes. Like psql's begin_depth, they only count outside
 * parentheses: a CASE expression never spans a parenthesis, and inside one {@code end} or
 * {@code case} can be a column label ({@code (SELECT 1 AS end)}). Unlike psql, a label right
 * after {@code AS} or {@code .} does not count either, since no block keyword can stand there.
 */
final class StatementBoundary {

    private enum Head { START, AFTER_CREATE, AFTER_OR, AFTER_REPLACE, ROUTINE, OTHER }

    private Head head = Head.START;
    private int parenDepth;
    private int atomicDepth;
    private boolean afterBegin;
    /** After {@code AS} or {@code .}, where even a reserved word is a label. */
    private boolean afterLabelMark;

    void reset() {
        head = Head.START;
        parenDepth = 0;
        atomicDepth = 0;
        afterBegin = false;
        afterLabelMark = false;
    }

    /** Takes the token the lexer just read; true when it is the {@code ;} that ends the statement. */
    boolean endsStatement(SqlLexer lexer) {
        switch (lexer.kind()) {
            case WHITESPACE, LINE_COMMENT, BLOCK_COMMENT:
                return false;
            case WORD:
                word(lexer);
                return false;
            case SEMICOLON:
                if (parenDepth == 0 && atomicDepth == 0) {
                    return true;
                }
                break;
            case OPEN_PAREN:
                parenDepth++;
                break;
            case CLOSE_PAREN:
                parenDepth = Math.max(0, parenDepth - 1);
                break;
            default:
                break;
        }
        if (head != Head.ROUTINE) {
            head = Head.OTHER;
        }
        afterBegin = false;
        afterLabelMark = lexer.textIs(".");
        return false;
    }

    private void word(SqlLexer lexer) {
        head = nextHead(lexer);
        if (head == Head.ROUTINE) {
            if (atomicDepth == 0) {
                if (afterBegin && parenDepth == 0 && lexer.isWord("atomic")) {
                    atomicDepth = 1;
                }
            } else if (parenDepth == 0 && !afterLabelMark) {
                if (lexer.isWord("case")) {
                    atomicDepth++;
                } else if (lexer.isWord("end")) {
                    atomicDepth--;
                }
            }
        }
        afterBegin = lexer.isWord("begin");
        afterLabelMark = lexer.isWord("as");
    }

    private Head nextHead(SqlLexer lexer) {
        return switch (head) {
            case START -> lexer.isWord("create") ? Head.AFTER_CREATE : Head.OTHER;
            case AFTER_CREATE -> lexer.isWord("or") ? Head.AFTER_OR : routine(lexer);
            case AFTER_OR -> lexer.isWord("replace") ? Head.AFTER_REPLACE : Head.OTHER;
            case AFTER_REPLACE -> routine(lexer);
            case ROUTINE, OTHER -> head;
        };
    }

    private static Head routine(SqlLexer lexer) {
        return lexer.isWord("function") || lexer.isWord("procedure") ? Head.ROUTINE : Head.OTHER;
    }
}
