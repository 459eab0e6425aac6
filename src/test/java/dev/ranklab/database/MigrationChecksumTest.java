package dev.ranklab.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Applied migrations are never edited: a database migrated by an earlier build would fail Flyway's validation. This
 * test holds every migration's checksum in a list that only grows, so an edited, renamed or deleted migration fails
 * the build here instead of on someone's database, and a new one fails until its line is added.
 */
class MigrationChecksumTest {

    static final Path MIGRATIONS = Path.of("migrations");
    static final Path CHECKSUMS = Path.of("src/test/resources/migration-checksums.txt");
    /** V + a UTC timestamp to the minute, so that branches adding migrations at once never collide. */
    static final Pattern NAME = Pattern.compile("V\\d{12}__[a-z0-9]+(_[a-z0-9]+)*\\.sql");

    @Test
    void everyCommittedMigrationIsUnchangedAndEveryNewOneIsListed() throws IOException {
        Map<String, String> listed = listed();
        Map<String, String> present = present();
        List<String> problems = new ArrayList<>();
        listed.forEach((name, sum) -> {
            if (!present.containsKey(name)) {
                problems.add(name + " is listed in " + CHECKSUMS + " but is gone from " + MIGRATIONS
                        + ": a committed migration is never deleted or renamed; restore it");
            } else if (!present.get(name).equals(sum)) {
                problems.add(name + " changed since it was committed (sha256 " + present.get(name) + ", listed " + sum
                        + "): restore it and put the change in a new migration");
            }
        });
        present.forEach((name, sum) -> {
            if (!listed.containsKey(name)) {
                problems.add(name + " is new: add this line to the end of " + CHECKSUMS + ":\n" + sum + "  " + name);
            }
        });
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void migrationsAreNamedByTimeAndListedInVersionOrder() throws IOException {
        for (String name : present().keySet()) {
            assertTrue(NAME.matcher(name).matches(),
                    name + " must be named V<yyyyMMddHHmm>__<feature>_<verb>_<noun>.sql (lower case, UTC time)");
        }
        List<String> names = new ArrayList<>(listed().keySet());
        List<String> sorted = names.stream().sorted().toList();
        assertEquals(sorted, names, CHECKSUMS + " must list the migrations in version order");
    }

    /** The checked-in list: "sha256  name" a line, as sha256sum prints it; '#' starts a comment. */
    static Map<String, String> listed() throws IOException {
        Map<String, String> listed = new LinkedHashMap<>();
        int number = 0;
        for (String line : Files.readAllLines(CHECKSUMS)) {
            number++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.trim().split("\\s+");
            if (parts.length != 2 || parts[0].length() != 64) {
                fail(CHECKSUMS + " line " + number + " is not \"<sha256>  <file name>\": " + line);
            }
            if (listed.put(parts[1], parts[0]) != null) {
                fail(CHECKSUMS + " line " + number + " lists " + parts[1] + " a second time");
            }
        }
        return listed;
    }

    static Map<String, String> present() throws IOException {
        Map<String, String> present = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (Path file : files.sorted().toList()) {
                present.put(file.getFileName().toString(), sha256(Files.readAllBytes(file)));
            }
        }
        return present;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
