package dev.ranklab.packaged;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.ranklab.support.AppProcess;
import dev.ranklab.support.ItFixture;
import dev.ranklab.support.Python;

/**
 * The published OpenAPI document against the packaged app, by two independent readers of it: a Python client
 * generated from it (openapi-python-client) runs a researcher's whole loop, then Schemathesis fuzzes every operation
 * with every check as anonymous, annotator and admin. Both come from .ci/requirements.txt, pinned.
 */
class ApiContractIT {

    private static final Path PYTHON_DIR = Path.of("src/test/python");

    @Test
    void aGeneratedClientWorksAndTheFuzzerFindsNothing() throws Exception {
        Python.require();
        Path dataDir = Files.createTempDirectory("ranklab-contract-it");
        Map<String, String> env = Map.of("RANKLAB_DATA_DIR", dataDir.toString(), "RANKLAB_ADMIN_PASSWORD",
                ItFixture.ADMIN_PASSWORD, "RANKLAB_BCRYPT_COST", "4", "RANKLAB_REWARD_MODEL_AUTO_TRAIN", "false");
        AppProcess app = AppProcess.start(env, dataDir.resolve("app.log"));
        try {
            String base = "http://localhost:" + app.port;
            HttpResponse<String> published = app.get("/q/openapi?format=json", null);
            assertEquals(200, published.statusCode());
            Path document = dataDir.resolve("openapi.json");
            Files.writeString(document, published.body(), StandardCharsets.UTF_8);

            generatedClientRunsTheLoop(base, document, dataDir);

            String admin = ItFixture.adminToken(app);
            long campaign = ItFixture.rankingCampaign(app, admin, "Fuzzed", 3, 2);
            List<String> accounts = ItFixture.annotators(List.of(app), admin, "fuzz-", 3);
            ItFixture.call(app, "POST", "/api/v1/users", admin,
                    "{\"username\":\"fuzz-admin\",\"password\":\"fuzz-admin-password\",\"role\":\"ADMIN\"}");
            String fuzzAdmin = ItFixture.token(app, "fuzz-admin", "fuzz-admin-password");
            long victim = ItFixture.call(app, "GET", "/api/v1/users/me", accounts.get(2), null).get("id").asLong();
            Map<String, String> fuzzEnv = Map.of("RANKLAB_FUZZ_VICTIM", Long.toString(victim));
            // Anonymous first and admin last: an admin's changes (archiving, deactivating) must not hide routes
            // from the others' runs.
            // The admin reaches every operation's logic; the others meet 401 or 403 on most routes, where a few
            // random cases per operation check exactly that. The coverage phase (every field's bounds, ~2,800
            // cases) costs minutes on a 2-core CI machine: it runs with -Dfuzz.coverage=true.
            String adminPhases = Boolean.getBoolean("fuzz.coverage") ? "examples,coverage,fuzzing" : "examples,fuzzing";
            fuzz("anonymous", base, document, null, "fuzzing", "1", fuzzEnv, app);
            fuzz("annotator", base, document, accounts.get(0), "examples,fuzzing", "1", fuzzEnv, app);
            fuzz("admin", base, document, fuzzAdmin, adminPhases, "2", fuzzEnv, app);
            assertEquals(200, app.get("/api/v1/campaigns/" + campaign, admin).statusCode());
        } finally {
            app.stop();
        }
    }

    /** Generates the client as docs/api.md tells researchers to, and runs the loop script with it. */
    private static void generatedClientRunsTheLoop(String base, Path document, Path dataDir) throws Exception {
        Path client = dataDir.resolve("client");
        Python.Result generated = Python.module("openapi_python_client", List.of("generate", "--path",
                document.toString(), "--meta", "none", "--output-path", client.resolve("ranklab_client").toString(),
                "--config", PYTHON_DIR.resolve("client-config.yaml").toString()), Map.of(), 300);
        assertEquals(0, generated.exitCode(), generated.output());
        Python.Result loop = Python.run(PYTHON_DIR.resolve("generated_client.py"), List.of(base,
                ItFixture.ADMIN_PASSWORD), Map.of("PYTHONPATH", client.toString()), 300);
        assertEquals(0, loop.exitCode(), loop.output());
    }

    private static void fuzz(String role, String base, Path document, String token, String phases,
            String maxExamples, Map<String, String> env, AppProcess app) throws Exception {
        List<String> args = new ArrayList<>(List.of("--config-file",
                PYTHON_DIR.resolve("schemathesis.toml").toString(), "--no-color", "run", document.toString(),
                "--url", base, "--checks", "all", "--max-examples", maxExamples, "--phases", phases,
                "--generation-database", "none"));
        if (token != null) {
            args.addAll(List.of("-H", "Authorization: Bearer " + token,
                    // Revoking the token the run is authenticated with would turn the rest of it into 401s.
                    "--exclude-name", "DELETE /api/v1/auth/token"));
        }
        Map<String, String> environment = new HashMap<>(env);
        long started = System.nanoTime();
        Python.Result result = Python.module("schemathesis.cli", args, environment, 300);
        System.out.printf("RESULT ApiContractIT schemathesis %s: %d s, exit %d%n", role,
                (System.nanoTime() - started) / 1_000_000_000L, result.exitCode());
        assertEquals(0, result.exitCode(), "Schemathesis as " + role + " found problems:\n" + result.output()
                + "\n--- app log (tail) ---\n" + tail(app.logText(), 4000));
    }

    private static String tail(String text, int chars) {
        return text.length() <= chars ? text : text.substring(text.length() - chars);
    }
}
