package pgshift.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.jline.reader.Parser;

/**
 * What a typed line asks for: nothing (blank, a # comment), a command's arguments, or options
 * without a command before them.
 *
 * @param kind what the line is
 * @param args the command's arguments, for {@link Kind#COMMAND}
 */
record ShellLine(Kind kind, List<String> args) {

    enum Kind { NOTHING, COMMAND, OPTION_FIRST }

    static ShellLine parse(Parser parser, String line) {
        List<String> words = parser.parse(line, 0, Parser.ParseContext.ACCEPT_LINE).words().stream()
                .filter(w -> !w.isEmpty()).toList();
        if (words.isEmpty() || words.get(0).startsWith("#")) {
            return new ShellLine(Kind.NOTHING, List.of());
        }
        String first = words.get(0);
        if (first.startsWith("-")) {
            return new ShellLine(Kind.OPTION_FIRST, words);
        }
        return new ShellLine(Kind.COMMAND, first.equals("sql") ? sqlArguments(line) : words);
    }

    /** The root's options that take a value as the next word (sql's own take none). */
    private static final Set<String> VALUE_OPTIONS = Set.of("--lock-timeout", "--dir", "--database-url");

    /**
     * "sql ..." keeps the rest of the line as typed: the shell's word splitting would drop the
     * quotes SQL needs ('text', "Identifier"). Leading options (--write, -h, --lock-timeout 5s,
     * --dir=x) stay options, so that the root can honour or refuse them instead of sending them as SQL.
     */
    private static List<String> sqlArguments(String line) {
        String rest = line.strip().substring("sql".length()).strip();
        List<String> args = new ArrayList<>(List.of("sql"));
        boolean takesValue = false;
        while (takesValue || rest.startsWith("-") && !rest.startsWith("--") || rest.matches("^--[a-z-]+(=\\S*)?(\\s.*)?$")) {
            int end = rest.indexOf(' ') < 0 ? rest.length() : rest.indexOf(' ');
            String word = rest.substring(0, end);
            args.add(word);
            rest = rest.substring(end).strip();
            takesValue = !takesValue && VALUE_OPTIONS.contains(word) && !rest.isEmpty();
        }
        if (!rest.isEmpty()) {
            args.add("--");
            args.add(rest);
        }
        return args;
    }
}
