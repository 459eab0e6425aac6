package dev.ranklab.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Python interpreter of the interop checks: the one RANKLAB_PYTHON names (CI's venv from .ci/requirements.txt).
 * Without it the checks skip, or fail when RANKLAB_REQUIRE_ALL is set (see {@link Prerequisites}).
 */
public final class Python {

    public static final String ENV = "RANKLAB_PYTHON";

    /** What a script printed and how it ended. */
    public record Result(int exitCode, String output) {
    }

    private Python() {
    }

    /** The interpreter, after skipping (or failing) the calling test when it is not configured. */
    public static Path require() {
        String configured = System.getenv(ENV);
        boolean installed = configured != null && Files.isExecutable(Path.of(configured));
        Prerequisites.require(installed, "Python with .ci/requirements.txt (" + ENV + ")");
        return Path.of(configured);
    }

    /** Runs {@code python script args...} with the given environment additions, stderr folded into the output. */
    public static Result run(Path script, List<String> args, Map<String, String> env, long timeoutSeconds)
            throws IOException, InterruptedException {
        List<String> arguments = new ArrayList<>();
        arguments.add(script.toString());
        arguments.addAll(args);
        return interpreter(arguments, env, timeoutSeconds);
    }

    /** Runs {@code python -m module args...}, as {@link #run} does a script. */
    public static Result module(String module, List<String> args, Map<String, String> env, long timeoutSeconds)
            throws IOException, InterruptedException {
        List<String> arguments = new ArrayList<>(List.of("-m", module));
        arguments.addAll(args);
        return interpreter(arguments, env, timeoutSeconds);
    }

    private static Result interpreter(List<String> args, Map<String, String> env, long timeoutSeconds)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(require().toString());
        command.addAll(args);
        String script = String.join(" ", args);
        // Output goes to a file so that a script that hangs cannot block the read past the timeout.
        Path log = Files.createTempFile("ranklab-python", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(script + " did not finish in " + timeoutSeconds + " s:\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
