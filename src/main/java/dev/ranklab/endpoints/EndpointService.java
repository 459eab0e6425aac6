package dev.ranklab.endpoints;

import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.ranklab.audit.AuditLog;
import dev.ranklab.items.ChatMessage;
import dev.ranklab.web.InvalidInputException;
import dev.ranklab.web.ProblemException;

/**
 * Model endpoints: validated settings, the API key encrypted at rest, and {@link #call} — the one way any feature
 * sends a request to a model, inside the endpoint's concurrency and rate limits.
 */
@ApplicationScoped
public class EndpointService {

    private static final Logger LOG = Logger.getLogger(EndpointService.class);
    static final int MAX_NAME = 100;
    static final int MAX_MODEL = 200;
    static final int MAX_URL = 2000;
    static final int MAX_KEY = 4096;
    /** How long a test waits for one of a busy endpoint's permits. */
    static final Duration TEST_WAIT = Duration.ofSeconds(5);

    @Inject
    KeyCipher cipher;

    @Inject
    EndpointPermits permits;

    @Inject
    ChatClient client;

    @Inject
    AuditLog audit;

    @Inject
    jakarta.enterprise.inject.Instance<EndpointUsers> users;

    /** What a caller needs to send requests to an endpoint. The key is in clear: keep it out of logs. */
    public record Target(long id, String name, String baseUrl, String model, String apiKey, int timeoutSeconds,
            EndpointInput.Defaults defaults) {

        @Override
        public String toString() {
            return "Target[id=" + id + ", name=" + name + ", model=" + model + "]";
        }
    }

    /** The outcome of a test request, in words. */
    @Schema(name = "EndpointTestResult")
    public record TestResult(boolean ok, Long latencyMs, String reply, String error) {
    }

    @Transactional
    public EndpointView create(EndpointInput input) {
        if (input == null) {
            throw ProblemException.badRequest("a JSON body {name, baseUrl, model, apiKey?, ...} is required");
        }
        ModelEndpoint endpoint = new ModelEndpoint();
        endpoint.maxConcurrency = 4;
        endpoint.timeoutSeconds = 60;
        apply(endpoint, input, true);
        endpoint.updatedAt = OffsetDateTime.now();
        endpoint.persistAndFlush();
        // created_at is the database's: read it back, so that the answer carries it as GET does.
        ModelEndpoint.getEntityManager().refresh(endpoint);
        audit.record("model_endpoint.create", "model_endpoint:" + endpoint.id, details(endpoint));
        LOG.infof("Model endpoint %d (%s) added: %s, model %s", endpoint.id, endpoint.name, endpoint.baseUrl,
                endpoint.model);
        return EndpointView.of(endpoint);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<EndpointView> list() {
        return ModelEndpoint.<ModelEndpoint>listAll(io.quarkus.panache.common.Sort.by("id")).stream()
                .map(EndpointView::of).toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public EndpointView get(long id) {
        return EndpointView.of(find(id));
    }

    /**
     * Changes the given fields; {@code clearedDefaults} names the defaults sent as an explicit null, which are
     * removed. A change that changes nothing is not recorded: updatedAt stays and no audit entry is written.
     */
    @Transactional
    public EndpointView update(long id, EndpointInput input, java.util.Set<String> clearedDefaults) {
        if (input == null) {
            throw ProblemException.badRequest("a JSON body with the fields to change is required");
        }
        ModelEndpoint endpoint = find(id);
        Map<String, Object> before = settings(endpoint);
        String keyBefore = endpoint.apiKeyEncrypted == null ? null : cipher.decrypt(endpoint.apiKeyEncrypted);
        String keyAfter = input.apiKey() == null ? keyBefore : input.apiKey().isBlank() ? null : input.apiKey().strip();
        boolean keyChanged = !java.util.Objects.equals(keyBefore, keyAfter);
        // The same key again changes nothing: its stored encryption stays.
        apply(endpoint, keyChanged || input.apiKey() == null
                ? input
                : new EndpointInput(input.name(), input.baseUrl(), input.model(), null, input.maxConcurrency(),
                        input.requestsPerMinute(), input.timeoutSeconds(), input.defaults()),
                false);
        if (clearedDefaults.contains("temperature")) {
            endpoint.temperature = null;
        }
        if (clearedDefaults.contains("topP")) {
            endpoint.topP = null;
        }
        if (clearedDefaults.contains("maxTokens")) {
            endpoint.maxTokens = null;
        }
        List<String> changed = new java.util.ArrayList<>();
        settings(endpoint).forEach((field, value) -> {
            if (!java.util.Objects.equals(before.get(field), value)) {
                changed.add(field);
            }
        });
        if (keyChanged) {
            changed.add("apiKey");
        }
        if (changed.isEmpty()) {
            return EndpointView.of(endpoint);
        }
        endpoint.updatedAt = OffsetDateTime.now();
        Map<String, Object> details = details(endpoint);
        // Which fields changed, never the key's value.
        details.put("changed", changed);
        audit.record("model_endpoint.update", "model_endpoint:" + id, details);
        return EndpointView.of(endpoint);
    }

    /**
     * Removes an endpoint. While a running job uses it, only when {@code force}ed: that job's requests to it then
     * fail, so the caller is told which jobs first (409).
     */
    @Transactional
    public void delete(long id, boolean force) {
        ModelEndpoint endpoint = find(id);
        if (!force) {
            List<String> using = users.stream().flatMap(u -> u.runningJobsUsing(id).stream()).toList();
            if (!using.isEmpty()) {
                throw ProblemException.conflict(endpoint.name + " is in use by " + String.join(", ", using)
                        + ": removing it fails that job's remaining requests to it. Cancel the job first, or "
                        + "remove it anyway with ?force=true");
            }
        }
        Map<String, Object> details = details(endpoint);
        users.forEach(u -> u.forget(id));
        endpoint.delete();
        audit.record("model_endpoint.delete", "model_endpoint:" + id, details);
    }

    /** The running jobs that use the endpoint, in words (e.g. "generation job 12 (campaign 3)"). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<String> runningJobsUsing(long id) {
        return users.stream().flatMap(u -> u.runningJobsUsing(id).stream()).toList();
    }

    /** The endpoint ready to call; 404 when it does not exist. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Target target(long id) {
        ModelEndpoint e = find(id);
        return new Target(e.id, e.name, e.baseUrl, e.model,
                e.apiKeyEncrypted == null ? null : cipher.decrypt(e.apiKeyEncrypted), e.timeoutSeconds,
                new EndpointInput.Defaults(e.temperature, e.topP, e.maxTokens));
    }

    /**
     * Sends one chat/completions request within the endpoint's limits (waiting for a permit first).
     */
    public ChatClient.Completion call(Target target, List<ChatMessage> messages, ChatClient.Sampling sampling)
            throws ChatClient.Failure, InterruptedException {
        long permit = permits.acquire(target.id());
        try {
            return send(target, messages, sampling);
        } finally {
            permits.release(permit);
        }
    }

    /**
     * Sends one request for a caller that already holds one of the endpoint's permits ({@link EndpointPermits});
     * null sampling settings fall back to the endpoint's defaults.
     */
    public ChatClient.Completion send(Target target, List<ChatMessage> messages, ChatClient.Sampling sampling)
            throws ChatClient.Failure, InterruptedException {
        ChatClient.Sampling effective = new ChatClient.Sampling(
                sampling.temperature() != null ? sampling.temperature() : target.defaults().temperature(),
                sampling.topP() != null ? sampling.topP() : target.defaults().topP(),
                sampling.maxTokens() != null ? sampling.maxTokens() : target.defaults().maxTokens(),
                sampling.seed());
        return client.complete(target.baseUrl(), target.apiKey(), target.model(), messages, effective,
                target.timeoutSeconds());
    }

    /**
     * Sends one short request and says how it went. It keeps the endpoint's limits like any request, but waits for
     * a free one at most {@link #TEST_WAIT}: a test of a busy endpoint says so rather than queueing behind a job.
     */
    public TestResult test(long id) {
        Target target = QuarkusTransaction.requiringNew().call(() -> target(id));
        try {
            Long permit = permits.acquire(target.id(), TEST_WAIT);
            if (permit == null) {
                return new TestResult(false, null, null, "the endpoint is busy: all of its concurrent requests "
                        + "(maxConcurrency) or its requests per minute are in use, e.g. by a generation job; "
                        + "no request was sent within " + TEST_WAIT.toSeconds() + " s. Try again later.");
            }
            try {
                ChatClient.Completion reply = send(target, List.of(new ChatMessage("user", "Say OK.")),
                        new ChatClient.Sampling(0.0, null, 8, null));
                String text = reply.text().strip();
                return new TestResult(true, reply.millis(),
                        text.length() > 200 ? text.substring(0, 200) + "…" : text, null);
            } finally {
                permits.release(permit);
            }
        } catch (ChatClient.Failure e) {
            return new TestResult(false, null, null, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new TestResult(false, null, null, "interrupted");
        }
    }

    private static ModelEndpoint find(long id) {
        ModelEndpoint endpoint = ModelEndpoint.findById(id);
        if (endpoint == null) {
            throw ProblemException.notFound("no model endpoint with id " + id);
        }
        return endpoint;
    }

    /** Every setting but the key, to tell which ones a change changed. */
    private static Map<String, Object> settings(ModelEndpoint e) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("name", e.name);
        settings.put("baseUrl", e.baseUrl);
        settings.put("model", e.model);
        settings.put("maxConcurrency", e.maxConcurrency);
        settings.put("requestsPerMinute", e.requestsPerMinute);
        settings.put("timeoutSeconds", e.timeoutSeconds);
        settings.put("defaults.temperature", e.temperature);
        settings.put("defaults.topP", e.topP);
        settings.put("defaults.maxTokens", e.maxTokens);
        return settings;
    }

    private static Map<String, Object> details(ModelEndpoint e) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("name", e.name);
        details.put("baseUrl", e.baseUrl);
        details.put("model", e.model);
        return details;
    }

    /** Validates every given field (all required ones when creating) and copies them onto the endpoint. */
    private void apply(ModelEndpoint endpoint, EndpointInput in, boolean creating) {
        InvalidInputException.Collector errors = new InvalidInputException.Collector();
        String name = in.name() == null ? null : in.name().strip();
        if (name != null || creating) {
            if (name == null || name.isEmpty() || name.length() > MAX_NAME || hasControl(name)) {
                errors.add("name", "required, 1 to " + MAX_NAME + " characters");
            }
        }
        String baseUrl = in.baseUrl() == null ? null : in.baseUrl().strip();
        if (baseUrl != null || creating) {
            String problem = urlProblem(baseUrl);
            if (problem != null) {
                errors.add("baseUrl", problem);
            }
        }
        String model = in.model() == null ? null : in.model().strip();
        if (model != null || creating) {
            if (model == null || model.isEmpty() || model.length() > MAX_MODEL || hasControl(model)) {
                errors.add("model", "required, the model name the server expects, 1 to " + MAX_MODEL
                        + " characters");
            }
        }
        if (in.apiKey() != null && (in.apiKey().length() > MAX_KEY || hasControl(in.apiKey()))) {
            errors.add("apiKey", "at most " + MAX_KEY + " characters, without control characters");
        }
        range(errors, "maxConcurrency", in.maxConcurrency(), 1, 256);
        // On PATCH, 0 removes the limit; a new endpoint without one simply leaves the field out.
        if (in.requestsPerMinute() != null && (creating || in.requestsPerMinute() != 0)) {
            range(errors, "requestsPerMinute", in.requestsPerMinute(), 1, 100_000);
        }
        range(errors, "timeoutSeconds", in.timeoutSeconds(), 1, 3600);
        EndpointInput.Defaults d = in.defaults();
        if (d != null) {
            if (d.temperature() != null && !(d.temperature() >= 0 && d.temperature() <= 2)) {
                errors.add("defaults.temperature", "must be 0 to 2");
            }
            if (d.topP() != null && !(d.topP() > 0 && d.topP() <= 1)) {
                errors.add("defaults.topP", "must be above 0 and at most 1");
            }
            range(errors, "defaults.maxTokens", d.maxTokens(), 1, 1_000_000);
        }
        errors.throwIfAny();
        if (name != null) {
            ModelEndpoint other = ModelEndpoint.byName(name);
            if (other != null && !other.id.equals(endpoint.id)) {
                // A taken name is a conflict with another resource, as for campaigns and users: 409.
                throw new InvalidInputException(409, Map.of("name", "another endpoint is called '" + name + "'"));
            }
        }
        if (name != null) {
            endpoint.name = name;
        }
        if (baseUrl != null) {
            endpoint.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        }
        if (model != null) {
            endpoint.model = model;
        }
        if (in.apiKey() != null) {
            endpoint.apiKeyEncrypted = in.apiKey().isBlank() ? null : cipher.encrypt(in.apiKey().strip());
        }
        if (in.maxConcurrency() != null) {
            endpoint.maxConcurrency = in.maxConcurrency();
        }
        if (in.requestsPerMinute() != null) {
            endpoint.requestsPerMinute = in.requestsPerMinute() == 0 ? null : in.requestsPerMinute();
        }
        if (in.timeoutSeconds() != null) {
            endpoint.timeoutSeconds = in.timeoutSeconds();
        }
        if (d != null) {
            if (d.temperature() != null) {
                endpoint.temperature = d.temperature();
            }
            if (d.topP() != null) {
                endpoint.topP = d.topP();
            }
            if (d.maxTokens() != null) {
                endpoint.maxTokens = d.maxTokens();
            }
        }
    }

    private static void range(InvalidInputException.Collector errors, String field, Integer value, int min,
            int max) {
        if (value != null && (value < min || value > max)) {
            errors.add(field, "must be " + min + " to " + max);
        }
    }

    private static boolean hasControl(String text) {
        return text.chars().anyMatch(Character::isISOControl);
    }

    /** What is wrong with a base URL, in words; null when nothing is. */
    static String urlProblem(String url) {
        String shape = "an absolute http:// or https:// URL such as http://localhost:8000/v1 (chat/completions "
                + "is appended)";
        if (url == null || url.isEmpty()) {
            return "required, " + shape;
        }
        if (url.length() > MAX_URL) {
            return "at most " + MAX_URL + " characters";
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return "must be " + shape;
        }
        if (uri.getRawUserInfo() != null) {
            // Credentials in the URL would be shown on pages, in the audit and in the log: the key is kept apart.
            return "must not contain a user name or password: give the key as apiKey (stored encrypted)";
        }
        if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            return "must be " + shape;
        }
        if (uri.getRawQuery() != null) {
            return "must not contain a query (?…): chat/completions is appended to it";
        }
        if (uri.getRawFragment() != null) {
            return "must not contain a fragment (#…)";
        }
        return null;
    }
}
