package pgshift.shell;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import pgshift.migration.Plan;
import pgshift.migration.PlanEntry;

/**
 * Tab completion from the command tree itself: command names, each command's options, and the
 * versions a command can take (pending ones for apply, applied ones for mark-reverted, ...).
 */
final class ShellCompleter implements Completer {

    private static final Set<String> TAKE_PENDING = Set.of("apply", "dry-run", "mark-applied");
    private static final Set<String> TAKE_VERSIONS = Set.of("apply", "dry-run", "mark-applied", "mark-reverted", "show", "verify");
    private static final Set<String> VERSION_OPTIONS = Set.of("--to", "--through");

    private final Supplier<CommandLine> tree;
    private final Supplier<Plan> plan;

    /**
     * @param tree the shell's command tree (built while the shell starts)
     * @param plan the current plan, asked for only when a version is being completed
     */
    ShellCompleter(Supplier<CommandLine> tree, Supplier<Plan> plan) {
        this.tree = tree;
        this.plan = plan;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> words = line.words();
        CommandLine commands = tree.get();
        if (line.wordIndex() == 0) {
            commands.getSubcommands().keySet().forEach(name -> candidates.add(new Candidate(name)));
            return;
        }
        CommandLine command = commands.getSubcommands().get(words.get(0));
        if (command == null) {
            return;
        }
        CommandSpec spec = command.getCommandSpec();
        if (line.word().startsWith("-")) {
            for (OptionSpec option : spec.options()) {
                if (option.hidden()) {
                    continue; // refused in the shell (--database-url, --dir): not offered
                }
                for (String name : option.names()) {
                    candidates.add(new Candidate(name));
                }
            }
            return;
        }
        if (spec.name().equals("help")) {
            commands.getSubcommands().keySet().forEach(name -> candidates.add(new Candidate(name)));
            return;
        }
        String previous = words.get(line.wordIndex() - 1);
        if (!VERSION_OPTIONS.contains(previous) && !TAKE_VERSIONS.contains(spec.name())) {
            return;
        }
        // JLine sorts candidates by their sort key before their text: the key keeps the plan's run order
        // (20250819100000 before 20250821, as the Supabase CLI runs them), not Java's string order.
        int order = 0;
        for (PlanEntry e : versions(spec.name())) {
            candidates.add(new Candidate(e.version(), e.version(), null, e.name(), null, null, true, order++));
        }
    }

    private List<PlanEntry> versions(String command) {
        Plan current;
        try {
            current = plan.get();
        } catch (RuntimeException e) {
            return List.of(); // no database right now: nothing to offer, and no error in the middle of a line
        }
        return current.entries().stream().filter(e -> {
            if (TAKE_PENDING.contains(command)) {
                return e.isRunnable();
            }
            if (command.equals("mark-reverted")) {
                return e.isApplied();
            }
            if (command.equals("verify")) {
                return e.hasFile();
            }
            return true;
        }).toList();
    }
}
