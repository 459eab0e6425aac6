package dev.ranklab.packaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.ranklab.support.AppProcess;
import dev.ranklab.support.ItFixture;
import dev.ranklab.support.Prerequisites;

/**
 * The backup procedures of docs/operations.md, done for real: exports taken before a backup and after restoring it are
 * byte-identical. With an external PostgreSQL, {@code pg_dump -Fc} and {@code pg_restore} (whose major version must
 * match the server's: here Debian's PostgreSQL 15 server and tools); with the embedded default, a copy of the
 * stopped app's data directory.
 */
class BackupRestoreIT {

    private static final Path PG15 = Path.of("/usr/lib/postgresql/15/bin");

    /** The exports compared: every format of a ranking campaign, and the audit log's own export. */
    private static Map<String, String> exports(AppProcess app, String admin, long campaign) throws Exception {
        Map<String, String> exports = new LinkedHashMap<>();
        for (String format : List.of("rankings", "pairs", "trl")) {
            String path = "/api/v1/campaigns/" + campaign + "/export?format=" + format + "&realNames=true";
            var response = app.get(path, admin);
            assertEquals(200, response.statusCode(), path);
            exports.put(format, response.body());
        }
        return exports;
    }

    private static long seed(AppProcess app, String admin) throws Exception {
        long campaign = ItFixture.rankingCampaign(app, admin, "Backed up", 40, 2);
        List<String> tokens = ItFixture.annotators(List.of(app), admin, "bak", 3);
        for (String token : tokens) {
            for (int i = 0; i < 20; i++) {
                var next = app.get("/api/v1/campaigns/" + campaign + "/tasks/next", token);
                if (next.statusCode() != 200) {
                    break;
                }
                long task = ItFixture.JSON.readTree(next.body()).get("taskId").asLong();
                ItFixture.call(app, "POST", "/api/v1/tasks/" + task + "/submission", token,
                        "{\"ranking\":[[\"r" + (1 + i % 2) + "\"],[\"r" + (2 - i % 2) + "\"]],"
                                + "\"ratings\":{\"r1\":5,\"r2\":3},\"comment\":\"note " + i + "\"}");
            }
        }
        return campaign;
    }

    @Test
    void pgDumpAndPgRestoreRoundTripTheExportsByteForByte() throws Exception {
        boolean installed = Files.isExecutable(PG15.resolve("pg_dump")) && Files.isExecutable(PG15.resolve("postgres"));
        Prerequisites.require(installed, "PostgreSQL 15's server and tools (Debian's postgresql-15) in " + PG15);
        Path dir = Files.createTempDirectory("ranklab-backup-it");
        int port = freePort();
        run(dir, "initdb", "-D", dir.resolve("pg").toString(), "-U", "postgres", "-A", "trust");
        run(dir, "pg_ctl", "-D", dir.resolve("pg").toString(), "-o", "-p " + port + " -k " + dir
                + " -c listen_addresses=localhost", "-l", dir.resolve("pg.log").toString(), "start", "-w");
        try {
            run(dir, "createdb", "-h", "localhost", "-p", Integer.toString(port), "-U", "postgres", "ranklab");
            Map<String, String> env = env(dir, "jdbc:postgresql://localhost:" + port + "/ranklab");
            AppProcess app = AppProcess.start(env, dir.resolve("app.log"));
            String admin = ItFixture.adminToken(app);
            long campaign = seed(app, admin);
            Map<String, String> before = exports(app, admin, campaign);
            app.stop();

            Path dump = dir.resolve("ranklab.dump");
            run(dir, "pg_dump", "-h", "localhost", "-p", Integer.toString(port), "-U", "postgres", "-Fc", "-f",
                    dump.toString(), "ranklab");
            run(dir, "createdb", "-h", "localhost", "-p", Integer.toString(port), "-U", "postgres", "restored");
            run(dir, "pg_restore", "-h", "localhost", "-p", Integer.toString(port), "-U", "postgres", "--no-owner",
                    "-d", "restored", dump.toString());

            AppProcess restored = AppProcess.start(env(dir, "jdbc:postgresql://localhost:" + port + "/restored"),
                    dir.resolve("restored.log"));
            try {
                assertEquals(before, exports(restored, ItFixture.adminToken(restored), campaign));
                assertTrue(before.get("rankings").lines().count() >= 40, "the exports hold the seeded work");
            } finally {
                restored.stop();
            }
        } finally {
            run(dir, "pg_ctl", "-D", dir.resolve("pg").toString(), "stop", "-m", "fast");
        }
    }

    @Test
    void aCopyOfTheStoppedAppsDataDirectoryRestoresTheEmbeddedDefault() throws Exception {
        Path dir = Files.createTempDirectory("ranklab-cold-backup-it");
        Map<String, String> env = Map.of("RANKLAB_DATA_DIR", dir.resolve("data").toString(), "RANKLAB_ADMIN_PASSWORD",
                ItFixture.ADMIN_PASSWORD, "RANKLAB_BCRYPT_COST", "4", "RANKLAB_REWARD_MODEL_AUTO_TRAIN", "false");
        AppProcess app = AppProcess.start(env, dir.resolve("app.log"));
        String admin = ItFixture.adminToken(app);
        long campaign = seed(app, admin);
        Map<String, String> before = exports(app, admin, campaign);
        app.stop();
        assertTrue(Files.notExists(dir.resolve("data/postgres/postmaster.pid")), "the embedded server stopped cleanly");
        copy(dir.resolve("data"), dir.resolve("copy"));
        AppProcess restored = AppProcess.start(Map.of("RANKLAB_DATA_DIR", dir.resolve("copy").toString(),
                "RANKLAB_ADMIN_PASSWORD", ItFixture.ADMIN_PASSWORD, "RANKLAB_BCRYPT_COST", "4",
                "RANKLAB_REWARD_MODEL_AUTO_TRAIN", "false"), dir.resolve("restored.log"));
        try {
            assertEquals(before, exports(restored, ItFixture.adminToken(restored), campaign));
        } finally {
            restored.stop();
        }
    }

    private static Map<String, String> env(Path dir, String jdbcUrl) {
        return Map.of("RANKLAB_DATA_DIR", dir.resolve("data").toString(), "RANKLAB_ADMIN_PASSWORD",
                ItFixture.ADMIN_PASSWORD, "RANKLAB_BCRYPT_COST", "4", "RANKLAB_REWARD_MODEL_AUTO_TRAIN", "false",
                "QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl, "QUARKUS_DATASOURCE_USERNAME", "postgres");
    }

    /** Runs a PostgreSQL 15 tool; in a user namespace, because the server and initdb refuse to run as root. */
    private static void run(Path dir, String tool, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("unshare", "-U", PG15.resolve(tool).toString()));
        command.addAll(List.of(arguments));
        Path log = dir.resolve("tools.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        int exit = process.waitFor();
        assertEquals(0, exit, String.join(" ", command) + " failed:\n" + Files.readString(log));
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                // PostgreSQL refuses a data directory others may read: permissions are copied too.
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                    Files.setPosixFilePermissions(target, Files.getPosixFilePermissions(source));
                } else if (Files.isRegularFile(source)) {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
