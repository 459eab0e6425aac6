package dev.ranklab.export;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import dev.ranklab.config.RanklabConfig;
import dev.ranklab.database.InstanceLiveness;
import dev.ranklab.support.Api;
import dev.ranklab.support.Forms;
import dev.ranklab.support.Tasks;
import dev.ranklab.users.User;

@QuarkusTest
class ExportJobTest {

    @Inject
    ExportJobService jobs;

    @Inject
    ExportJobRunner runner;

    @Inject
    AbandonedExportJobs abandoned;

    @Inject
    InstanceLiveness liveness;

    @Inject
    AgroalDataSource dataSource;

    private static void rank(long campaign) {
        Tasks.submitAsNewAnnotator(campaign, Map.of("ranking", List.of(List.of("r1"), List.of("r2"), List.of("r3")),
                "ratings", Map.of("r1", 7, "r2", 4, "r3", 1)));
    }

    private static JsonPath awaitDone(String token, int jobId) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            JsonPath job = Api.as(token).get("/api/v1/exports/" + jobId).then().statusCode(200).extract().jsonPath();
            String status = job.getString("status");
            if (status.equals("COMPLETED") || status.equals("FAILED")) {
                return job;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("export job " + jobId + " did not finish");
    }

    @Test
    void aBackgroundExportMatchesTheStreamedOneAndItsManifest() throws Exception {
        long campaign = Tasks.activeRankingCampaign(3, 2, 2);
        for (int i = 0; i < 4; i++) {
            rank(campaign);
        }
        String researcher = Api.newUser("RESEARCHER");
        int jobId = Api.as(researcher).contentType("application/json").body(Map.of("format", "pairs"))
                .post("/api/v1/campaigns/" + campaign + "/exports").then().statusCode(202)
                .body("status", equalTo("QUEUED")).extract().path("jobId");
        JsonPath job = awaitDone(researcher, jobId);
        assertEquals("COMPLETED", job.getString("status"), job.prettify());
        byte[] file = Api.as(researcher).get("/api/v1/exports/" + jobId + "/file").then().statusCode(200)
                .header("X-Checksum-SHA256", job.getString("sha256")).extract().asByteArray();
        byte[] streamed = Api.as(researcher).queryParam("format", "pairs")
                .get("/api/v1/campaigns/" + campaign + "/export").then().statusCode(200).extract().asByteArray();
        assertArrayEquals(streamed, file);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file));
        assertEquals(sha, job.getString("manifest.sha256"));
        assertEquals(12, job.getInt("manifest.lines"));
        assertEquals(file.length, job.getInt("manifest.bytes"));
        assertEquals(ExportSchema.VERSION, job.getInt("manifest.schemaVersion"));
        assertEquals("pairs", job.getString("manifest.format"));
        Api.as(researcher).get("/api/v1/campaigns/" + campaign + "/exports").then().statusCode(200)
                .body("[0].jobId", equalTo(jobId));
    }

    @Test
    void parquetAndGzipJobsComplete() throws Exception {
        long campaign = Tasks.activeRankingCampaign(3, 1, 1);
        rank(campaign);
        String researcher = Api.newUser("RESEARCHER");
        Map<Map<String, Object>, Integer> expectedLines = Map.of(
                Map.of("format", "rankings", "file", "parquet"), 1,
                Map.of("format", "trl", "gzip", true), 3,
                Map.of("format", "rankings", "aggregate", "consensus"), 1);
        for (Map<String, Object> body : expectedLines.keySet()) {
            int jobId = Api.as(researcher).contentType("application/json").body(body)
                    .post("/api/v1/campaigns/" + campaign + "/exports").then().statusCode(202).extract().path("jobId");
            JsonPath job = awaitDone(researcher, jobId);
            assertEquals("COMPLETED", job.getString("status"), job.prettify());
            assertEquals(expectedLines.get(body), job.getInt("lines"), body.toString());
        }
    }

    @Inject
    ExportLinks links;

    @Test
    void rangesAreAnsweredWith206AndASignedLinkServesTheFileWithoutAHeader() throws Exception {
        long campaign = Tasks.activeRankingCampaign(3, 1, 1);
        rank(campaign);
        String researcher = Api.newUser("RESEARCHER");
        int jobId = Api.as(researcher).contentType("application/json").body(Map.of("format", "pairs"))
                .post("/api/v1/campaigns/" + campaign + "/exports").then().statusCode(202).extract().path("jobId");
        assertEquals("COMPLETED", awaitDone(researcher, jobId).getString("status"));
        String fileUrl = "/api/v1/exports/" + jobId + "/file";
        byte[] whole = Api.as(researcher).get(fileUrl).then().statusCode(200).header("Accept-Ranges", "bytes")
                .extract().asByteArray();
        int length = whole.length;
        byte[] head = Api.as(researcher).header("Range", "bytes=0-9").get(fileUrl).then().statusCode(206)
                .header("Content-Range", "bytes 0-9/" + length).header("Content-Length", "10").extract()
                .asByteArray();
        assertArrayEquals(Arrays.copyOfRange(whole, 0, 10), head);
        byte[] tail = Api.as(researcher).header("Range", "bytes=-5").get(fileUrl).then().statusCode(206)
                .header("Content-Range", "bytes " + (length - 5) + "-" + (length - 1) + "/" + length).extract()
                .asByteArray();
        assertArrayEquals(Arrays.copyOfRange(whole, length - 5, length), tail);
        Api.as(researcher).header("Range", "bytes=" + length + "-").get(fileUrl).then().statusCode(416)
                .header("Content-Range", "bytes */" + length).contentType("application/problem+json");
        // A range of a file that changed since (If-Range no longer matches) gets the whole file.
        Api.as(researcher).header("Range", "bytes=0-9").header("If-Range", "\"other\"").get(fileUrl).then()
                .statusCode(200);

        JsonPath link = Api.as(researcher).contentType("application/json").body(Map.of("expiresInSeconds", 600))
                .post("/api/v1/exports/" + jobId + "/link").then().statusCode(200).extract().jsonPath();
        String url = link.getString("url");
        assertTrue(url.startsWith("http") && url.endsWith("-pairs-" + jobId + ".jsonl"), url);
        OffsetDateTime expiresAt = OffsetDateTime.parse(link.getString("expiresAt"));
        assertTrue(expiresAt.isAfter(OffsetDateTime.now().plusSeconds(500)), expiresAt.toString());
        assertArrayEquals(whole, given().get(url).then().statusCode(200).extract().asByteArray());
        assertArrayEquals(Arrays.copyOfRange(whole, 3, 8), given().header("Range", "bytes=3-7").get(url).then()
                .statusCode(206).extract().asByteArray());
        Api.asAdmin().queryParam("action", "export.link").get("/api/v1/audit").then().statusCode(200)
                .body("target", hasItem("campaign:" + campaign));

        // Altered links are refused: another signature, a later expiry, another job.
        String[] parts = url.split("/");
        int signature = parts.length - 2;
        String[] tampered = parts.clone();
        char last = tampered[signature].charAt(0);
        tampered[signature] = (last == 'A' ? 'B' : 'A') + tampered[signature].substring(1);
        given().get(String.join("/", tampered)).then().statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("not valid"));
        tampered = parts.clone();
        tampered[signature - 1] = Long.toString(Long.parseLong(parts[signature - 1]) + 86_400);
        given().get(String.join("/", tampered)).then().statusCode(403);
        tampered = parts.clone();
        tampered[signature - 2] = Long.toString(jobId + 1L);
        given().get(String.join("/", tampered)).then().statusCode(403);
        given().get(url.replace(".jsonl", ".parquet")).then().statusCode(403).body("detail",
                containsString("file name was changed"));

        // A link past its time says so.
        ExportJob job = jobs.get(jobId);
        String expired = links.create(job, Duration.ofSeconds(-1), URI.create(url)).url();
        given().get(expired).then().statusCode(410).contentType("application/problem+json")
                .body("detail", containsString("expired"));

        Api.as(researcher).contentType("application/json").body(Map.of("expiresInSeconds", 999_999))
                .post("/api/v1/exports/" + jobId + "/link").then().statusCode(400)
                .body("detail", containsString("expiresInSeconds"));
        Api.as(researcher).contentType("application/json").body(Map.of("lifetime", 60))
                .post("/api/v1/exports/" + jobId + "/link").then().statusCode(400);
        // The body is optional: a bare POST (no body, no Content-Type) gets the default hour.
        given().header("Authorization", "Bearer " + researcher).post("/api/v1/exports/" + jobId + "/link").then()
                .statusCode(200).body("url", containsString("/api/v1/export-files/"));
        long running = job(campaign, ExportJob.Status.RUNNING, liveness.key());
        Api.as(researcher).contentType("application/json").post("/api/v1/exports/" + running + "/link").then()
                .statusCode(409);
    }

    @Test
    void aHuggingFaceJobWritesADatasetFolderSplitByPrompt() throws Exception {
        long campaign = Tasks.activeRankingCampaign(3, 1, 6);
        for (int i = 0; i < 6; i++) {
            rank(campaign);
        }
        String researcher = Api.newUser("RESEARCHER");
        int jobId = Api.as(researcher).contentType("application/json").body(Map.of("format", "trl", "file", "hf",
                "testFraction", 0.3, "seed", 7)).post("/api/v1/campaigns/" + campaign + "/exports").then()
                .statusCode(202).body("file", equalTo("hf.zip")).extract().path("jobId");
        JsonPath job = awaitDone(researcher, jobId);
        assertEquals("COMPLETED", job.getString("status"), job.prettify());
        assertEquals(18, job.getInt("lines"));
        assertEquals(Map.of("by", "prompt", "testFraction", 0.3f, "validationFraction", 0.0f, "seed", 7),
                job.getMap("manifest.split"));
        byte[] archive = Api.as(researcher).get("/api/v1/exports/" + jobId + "/file").then().statusCode(200)
                .contentType("application/zip").extract().asByteArray();
        Map<String, byte[]> entries = new java.util.TreeMap<>();
        try (var zip = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(archive))) {
            for (var entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                entries.put(entry.getName(), zip.readAllBytes());
            }
        }
        String folder = "campaign-" + campaign + "-trl-" + jobId + "/";
        assertTrue(entries.containsKey(folder + "README.md"), entries.keySet().toString());
        assertTrue(entries.containsKey(folder + "data/train-00000-of-00001.parquet"), entries.keySet().toString());
        String card = new String(entries.get(folder + "README.md"), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(card.startsWith("---\n") && card.contains("configs:\n- config_name: default\n  data_files:\n"
                + "  - split: train\n    path: data/train-*.parquet\n"), card);
        assertTrue(card.contains("  - name: margin\n    dtype: int64\n"), card);
        assertTrue(card.contains("size_categories:\n- n<1K\n"), card);
        assertTrue(card.contains("schema version " + ExportSchema.VERSION), card);
        // The streaming export cannot make a folder, and a dataset is always split.
        Api.as(researcher).queryParam("format", "trl").queryParam("file", "hf")
                .get("/api/v1/campaigns/" + campaign + "/export").then().statusCode(400)
                .body("detail", containsString("background job"));
        Api.as(researcher).contentType("application/json").body(Map.of("format", "trl", "file", "hf", "split",
                "none")).post("/api/v1/campaigns/" + campaign + "/exports").then().statusCode(400)
                .body("detail", containsString("splits by prompt"));
        Api.as(researcher).contentType("application/json").body(Map.of("format", "trl", "file", "hf", "gzip",
                true)).post("/api/v1/campaigns/" + campaign + "/exports").then().statusCode(400);
    }

    @Test
    void anUnfinishedJobServesNoFile() {
        long campaign = Tasks.activeRankingCampaign(2, 1, 1);
        long jobId = job(campaign, ExportJob.Status.RUNNING, liveness.key());
        Api.as(Api.newUser("RESEARCHER")).get("/api/v1/exports/" + jobId + "/file").then().statusCode(409)
                .body("detail", containsString("RUNNING"));
    }

    long job(long campaign, ExportJob.Status status, Integer runner) {
        return job(campaign, status, runner, User.findByUsername("admin").orElseThrow().id);
    }

    @Transactional
    long job(long campaign, ExportJob.Status status, Integer runner, long userId) {
        ExportJob job = new ExportJob();
        job.campaignId = campaign;
        job.userId = userId;
        job.format = "pairs";
        job.file = "jsonl";
        job.options = Map.of();
        job.status = status;
        job.runner = runner;
        job.createdAt = OffsetDateTime.now();
        job.persist();
        return job.id;
    }

    @Test
    void jobsWhoseInstanceDiedAreFailedAndLiveInstancesJobsAreLeftAlone() throws Exception {
        long campaign = Tasks.activeRankingCampaign(2, 1, 1);
        try (Connection otherInstance = dataSource.getConnection()) {
            // Another instance alive: it holds its liveness lock on a key of its own.
            int otherKey = 424_242;
            lock(otherInstance, "pg_advisory_lock", otherKey);
            long othersRunning = job(campaign, ExportJob.Status.RUNNING, otherKey);
            long othersQueued = job(campaign, ExportJob.Status.QUEUED, otherKey);
            long mine = job(campaign, ExportJob.Status.QUEUED, liveness.key());
            long deadInstances = job(campaign, ExportJob.Status.RUNNING, 424_243);
            long fromBeforeRunners = job(campaign, ExportJob.Status.QUEUED, null);

            abandoned.failAbandoned();
            assertEquals(ExportJob.Status.RUNNING, jobs.get(othersRunning).status);
            assertEquals(ExportJob.Status.QUEUED, jobs.get(othersQueued).status);
            assertEquals(ExportJob.Status.QUEUED, jobs.get(mine).status);
            ExportJob failed = jobs.get(deadInstances);
            assertEquals(ExportJob.Status.FAILED, failed.status);
            assertTrue(failed.error.contains("start the export again"), failed.error);
            assertTrue(failed.finishedAt != null);
            assertEquals(ExportJob.Status.FAILED, jobs.get(fromBeforeRunners).status);
            Api.as(Api.newUser("RESEARCHER")).get("/api/v1/exports/" + deadInstances + "/file").then()
                    .statusCode(409).body("detail", containsString("FAILED"));

            // The other instance dies: its lock goes with its session, and its jobs are failed at the next look.
            lock(otherInstance, "pg_advisory_unlock", otherKey);
            abandoned.failAbandoned();
            assertEquals(ExportJob.Status.FAILED, jobs.get(othersRunning).status);
            assertEquals(ExportJob.Status.FAILED, jobs.get(othersQueued).status);
            assertEquals(ExportJob.Status.QUEUED, jobs.get(mine).status);
        }
    }

    private static void lock(Connection connection, String function, int key) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + function + "(?, ?)")) {
            statement.setInt(1, InstanceLiveness.NAMESPACE);
            statement.setInt(2, key);
            statement.execute();
        }
    }

    @Test
    void anUnfinishedJobIsCancelledByItsStarterOrAnAdminAndServesNoFile() {
        long campaign = Tasks.activeRankingCampaign(2, 1, 1);
        String starter = Api.newUser("RESEARCHER");
        long starterId = Api.as(starter).get("/api/v1/users/me").then().extract().jsonPath().getLong("id");
        long queued = job(campaign, ExportJob.Status.QUEUED, liveness.key(), starterId);
        Api.as(Api.newUser("RESEARCHER")).contentType(ContentType.JSON).post("/api/v1/exports/" + queued + "/cancel")
                .then().statusCode(403)
                .body("detail", containsString("only the researcher who started"));
        Api.as(starter).contentType(ContentType.JSON).post("/api/v1/exports/" + queued + "/cancel").then()
                .statusCode(200)
                .body("status", equalTo("CANCELLED")).body("error", containsString("cancelled by"))
                .body("finishedAt", notNullValue());
        Api.as(starter).contentType(ContentType.JSON).post("/api/v1/exports/" + queued + "/cancel").then()
                .statusCode(409)
                .body("detail", containsString("is CANCELLED"));
        Api.as(starter).get("/api/v1/exports/" + queued + "/file").then().statusCode(409);

        long running = job(campaign, ExportJob.Status.RUNNING, liveness.key(), starterId);
        Api.asAdmin().contentType(ContentType.JSON).post("/api/v1/exports/" + running + "/cancel").then()
                .statusCode(200)
                .body("status", equalTo("CANCELLED"));
        // A cancelled job is finished: the sweep for abandoned jobs leaves it as it is.
        abandoned.failAbandoned();
        assertEquals(ExportJob.Status.CANCELLED, jobs.get(running).status);
        Api.asAdmin().queryParam("action", "export.cancel").get("/api/v1/audit").then().statusCode(200)
                .body("target", hasItem("campaign:" + campaign));
        Api.as(starter).contentType(ContentType.JSON).post("/api/v1/exports/987654321/cancel").then().statusCode(404);
    }

    @Test
    void theDataPageStartsListsAndCancelsBackgroundExports() throws Exception {
        long campaign = Tasks.activeRankingCampaign(3, 1, 1);
        rank(campaign);
        String username = Api.unique("researcher");
        Api.asAdmin().contentType("application/json").body(Map.of("username", username, "password", Api.PASSWORD,
                "role", "RESEARCHER")).post("/api/v1/users").then().statusCode(201);
        String session = Forms.login(username, Api.PASSWORD);
        Forms.post(session, "/campaigns/" + campaign + "/data/jobs", Map.of("format", "rankings", "file", "jsonl",
                "hideSkips", "true")).then().statusCode(303)
                .header("Location", containsString("/campaigns/" + campaign + "/data#jobs"));
        String token = Api.token(username, Api.PASSWORD);
        int jobId = Api.as(token).get("/api/v1/campaigns/" + campaign + "/exports").then().statusCode(200)
                .body("[0].format", equalTo("rankings")).extract().path("[0].jobId");
        JsonPath done = awaitDone(token, jobId);
        assertEquals("COMPLETED", done.getString("status"), done.prettify());
        assertEquals(false, done.getBoolean("manifest.options.skips"));
        String page = given().cookie(Forms.SESSION_COOKIE, session).get("/campaigns/" + campaign + "/data").then()
                .statusCode(200).extract().asString();
        assertTrue(page.contains("href=\"/api/v1/exports/" + jobId + "/file\""), page);
        assertTrue(page.contains("status-completed"), page);

        long queued = job(campaign, ExportJob.Status.QUEUED, liveness.key(),
                User.findByUsername(username).orElseThrow().id);
        page = given().cookie(Forms.SESSION_COOKIE, session).get("/campaigns/" + campaign + "/data").then()
                .statusCode(200).extract().asString();
        assertTrue(page.contains("/data/jobs/" + queued + "/cancel"), page);
        Forms.post(session, "/campaigns/" + campaign + "/data/jobs/" + queued + "/cancel", Map.of()).then()
                .statusCode(303);
        assertEquals(ExportJob.Status.CANCELLED, jobs.get(queued).status);
        // A job of another campaign is not reached through this one's page.
        long other = Tasks.activeRankingCampaign(2, 1, 1);
        Forms.post(session, "/campaigns/" + other + "/data/jobs/" + jobId + "/cancel", Map.of()).then()
                .statusCode(404);
        // Bad choices come back as a message on the page, and nothing is started.
        int before = Api.as(token).get("/api/v1/campaigns/" + campaign + "/exports").then().extract().path("size()");
        Forms.post(session, "/campaigns/" + campaign + "/data/jobs", Map.of("format", "trl", "submittedAfter",
                "yesterday")).then().statusCode(303).cookie("ranklab_flash", containsString("submittedAfter"));
        Api.as(token).get("/api/v1/campaigns/" + campaign + "/exports").then().body("size()", equalTo(before));
    }

    @Inject
    RanklabConfig config;

    /**
     * Holds the first job that runs after it is installed at one point of its run until the test lets it go, and
     * counts the lines that job writes. Other jobs pass untouched.
     */
    static final class Hold implements ExportJobRunner.RunHook {

        final AtomicLong job = new AtomicLong();
        final AtomicLong lines = new AtomicLong();
        final CountDownLatch held = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch ended = new CountDownLatch(1);
        private final boolean atFirstLine;

        Hold(boolean atFirstLine) {
            this.atFirstLine = atFirstLine;
        }

        private boolean mine(long jobId) {
            return job.compareAndSet(0, jobId) || job.get() == jobId;
        }

        @Override
        public void lineWritten(long jobId, long written) {
            if (mine(jobId)) {
                lines.set(written);
                if (atFirstLine && written == 1) {
                    hold();
                }
            }
        }

        @Override
        public void beforeCompletion(long jobId) {
            if (mine(jobId) && !atFirstLine) {
                hold();
            }
        }

        @Override
        public void ended(long jobId) {
            if (mine(jobId)) {
                ended.countDown();
            }
        }

        private void hold() {
            held.countDown();
            try {
                // The bound only keeps a broken test from hanging the run; the test releases the job long before.
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        static void await(CountDownLatch latch, String what) throws InterruptedException {
            assertTrue(latch.await(60, TimeUnit.SECONDS), what);
        }
    }

    private int startHeldJob(Hold hold, long campaign, String researcher) throws InterruptedException {
        runner.hook(hold);
        int jobId = Api.as(researcher).contentType("application/json").body(Map.of("format", "pairs"))
                .post("/api/v1/campaigns/" + campaign + "/exports").then().statusCode(202).extract().path("jobId");
        Hold.await(hold.held, "export job " + jobId + " reached the point where the test holds it");
        assertEquals(jobId, hold.job.get());
        return jobId;
    }

    /** Cancels the held job through the API, then lets it go on from where it is held, and waits for its end. */
    private static void cancelAndLetItEnd(Hold hold, int jobId, String researcher) throws InterruptedException {
        Api.as(researcher).contentType(ContentType.JSON).post("/api/v1/exports/" + jobId + "/cancel").then()
                .statusCode(200).body("status", equalTo("CANCELLED"));
        hold.release.countDown();
        Hold.await(hold.ended, "export job " + jobId + " ended after its cancellation");
    }

    private Path exports() {
        return Path.of(config.dataDir(), "exports");
    }

    @Test
    void aRunningExportCancelledMidWriteStopsWritingAndLeavesNoFile() throws Exception {
        long campaign = Tasks.activeRankingCampaign(3, 1, 3);
        for (int i = 0; i < 3; i++) {
            rank(campaign);
        }
        String researcher = Api.newUser("RESEARCHER");
        Hold hold = new Hold(true);
        try {
            int jobId = startHeldJob(hold, campaign, researcher);
            // Held after its first of nine lines: the job is running and its .part file is open.
            Path part = exports().resolve("export-" + jobId + ".part");
            assertTrue(Files.exists(part), part.toString());
            Api.as(researcher).get("/api/v1/exports/" + jobId).then().statusCode(200)
                    .body("status", equalTo("RUNNING"));
            cancelAndLetItEnd(hold, jobId, researcher);

            assertEquals(1, hold.lines.get(), "lines written after the cancellation");
            assertEquals(ExportJob.Status.CANCELLED, jobs.get(jobId).status);
            assertTrue(Files.notExists(part), part + " is left behind");
            assertTrue(Files.notExists(exports().resolve("export-" + jobId + ".jsonl")), "a final file exists");
            Api.as(researcher).get("/api/v1/exports/" + jobId + "/file").then().statusCode(409);
        } finally {
            runner.hook(ExportJobRunner.RunHook.NONE);
            hold.release.countDown();
        }
    }

    @Test
    void aCancellationArrivingAsTheJobCompletesWinsAndTheFileIsRemoved() throws Exception {
        long campaign = Tasks.activeRankingCampaign(3, 1, 1);
        rank(campaign);
        String researcher = Api.newUser("RESEARCHER");
        Hold hold = new Hold(false);
        try {
            int jobId = startHeldJob(hold, campaign, researcher);
            // Held with every line written and the file under its final name, before the job records completion.
            Path done = exports().resolve("export-" + jobId + ".jsonl");
            assertTrue(Files.exists(done), done.toString());
            assertEquals(3, hold.lines.get());
            cancelAndLetItEnd(hold, jobId, researcher);

            ExportJob job = jobs.get(jobId);
            assertEquals(ExportJob.Status.CANCELLED, job.status);
            assertEquals(null, job.sha256, "a cancelled job records no file");
            assertTrue(Files.notExists(done), done + " is still served");
            assertTrue(Files.notExists(exports().resolve("export-" + jobId + ".part")), "a .part file is left");
            Api.as(researcher).get("/api/v1/exports/" + jobId + "/file").then().statusCode(409)
                    .body("detail", containsString("CANCELLED"));
        } finally {
            runner.hook(ExportJobRunner.RunHook.NONE);
            hold.release.countDown();
        }
    }

    @Test
    void badRequestsAreNamed() {
        long campaign = Tasks.activeRankingCampaign(2, 1, 1);
        String researcher = Api.newUser("RESEARCHER");
        Api.as(researcher).contentType("application/json").body(Map.of("format", "csv"))
                .post("/api/v1/campaigns/" + campaign + "/exports").then().statusCode(400)
                .body("detail", containsString("format must be"));
        Api.as(researcher).contentType("application/json").body(Map.of("format", "pairs", "realNames", true))
                .post("/api/v1/campaigns/" + campaign + "/exports").then().statusCode(403);
        Api.as(researcher).contentType("application/json").body(Map.of("format", "pairs", "file", "parquet",
                "gzip", true)).post("/api/v1/campaigns/" + campaign + "/exports").then().statusCode(400);
        Api.as(researcher).get("/api/v1/exports/987654321").then().statusCode(404);
    }
}
