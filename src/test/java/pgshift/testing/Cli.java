package pgshift.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import pgshift.Main;
import pgshift.console.Console;

/** Runs pgshift's command line, in this JVM or as a real process of the packaged jar. */
public final class Cli {

    /** What a run printed and returned. */
    public record Result(int code, String out, String err) {
        public String all() {
            return out + err;
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Cli() {
    }

    /** Runs in-process with an empty environment (no DATABASE_URL leaks in from the machine). */
    public static Result run(Path workDir, String... args) {
        return run(workDir, Map.of(), args);
    }

    public static Result run(Path workDir, Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Console console = new Console(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        int code = Main.run(args, env, workDir, console);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Starts the packaged jar as its own process; stdin is empty, like CI. */
    public static Process start(Path workDir, Map<String, String> env, String... args) throws IOException {
        return startWithInput(workDir, env, null, args);
    }

    /** Starts the packaged jar with the given text as its standard input (null: empty). */
    public static Process startWithInput(Path workDir, Map<String, String> env, String stdin, String... args)
            throws IOException {
        String jar = System.getProperty("pgshift.jar", "target/pgshift.jar");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of(jar).toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        Map<String, String> environment = pb.environment();
        environment.remove("DATABASE_URL");
        environment.putAll(env);
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process p = pb.start();
        if (stdin != null) {
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        return p;
    }

    public static Result process(Path workDir, Map<String, String> env, String... args) throws Exception {
        Process p = start(workDir, env, args);
        return finish(p);
    }

    public static Result finish(Process p) throws Exception {
        // Read both pipes at once: a full stderr pipe would otherwise block the process.
        var errBytes = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
        var out = p.getInputStream().readAllBytes();
        var err = errBytes.get(180, TimeUnit.SECONDS);
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("pgshift did not finish within 180 s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    public static Map<String, String> env(String... keyValues) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            env.put(keyValues[i], keyValues[i + 1]);
        }
        return env;
    }
}
