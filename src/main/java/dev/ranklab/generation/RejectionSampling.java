package dev.ranklab.generation;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.ranklab.campaigns.Campaign;
import dev.ranklab.campaigns.CampaignService;
import dev.ranklab.endpoints.ChatClient;
import dev.ranklab.endpoints.EndpointService;
import dev.ranklab.export.ExportJob;
import dev.ranklab.export.ExportJobService;
import dev.ranklab.items.ChatMessage;
import dev.ranklab.items.Item;
import dev.ranklab.items.ItemService;
import dev.ranklab.rewardmodel.RewardModelVersion;
import dev.ranklab.rewardmodel.ScoringService;
import dev.ranklab.web.InvalidInputException;
import dev.ranklab.web.ProblemException;

/**
 * Rejection sampling as a background export job (Llama 2's use of its reward model): for each prompt of a campaign or
 * of an uploaded file, N samples from an endpoint, scored by a chosen reward-model version, and the best one written
 * as an SFT line, or the best against the worst as a TRL pair. It runs through the export-job machinery, so it has
 * the same progress, cancelling, crash recovery and checked download as any export.
 */
@ApplicationScoped
public class RejectionSampling {

    /** Prompts sampled at the same time; each also waits for the endpoint's own limits. */
    private static final int PROMPTS_IN_FLIGHT = 4;
    /** Failed prompts the manifest lists with their error; the rest are only counted. */
    private static final int FAILURES_LISTED = 20;
    private static final int PAGE = 500;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What to sample: the API's body and the page's form alike. */
    @Schema(name = "RejectionSamplingRequest")
    public record Request(@Schema(required = true) Long endpointId,
            @Schema(required = true, minimum = "1", maximum = "32", description = "trl needs at least 2") Integer n,
            @Schema(minimum = "1", description = "A READY version; left out: the serving one") Integer version,
            @Schema(minimum = "0", maximum = "2") Double temperature,
            @Schema(minimum = "1", maximum = "1000000") Integer maxTokens,
            @Schema(enumeration = {
                    "sft", "trl"}, defaultValue = "sft") String format,
            Boolean gzip){
    }

    /** A checked request: the endpoint to call, the version to score with, and how lines are written. */
    private record Settings(EndpointService.Target target, RewardModelVersion version, int n,
            ChatClient.Sampling sampling, boolean pairs) {
    }

    /** One prompt's samples, or why it has none. */
    private record Drawn(PromptFile.Prompt prompt, List<ChatClient.Completion> completions,
            BestOfN.DrawFailed failure) {
    }

    /** Ends a job with its reason in words, which the job then shows as its error. */
    static final class JobFailed extends RuntimeException {

        JobFailed(String message) {
            super(message, null, false, false);
        }
    }

    @Inject
    ExportJobService jobs;

    @Inject
    CampaignService campaigns;

    @Inject
    ItemService items;

    @Inject
    EndpointService endpoints;

    @Inject
    ScoringService scoring;

    @Inject
    BestOfN bestOfN;

    /**
     * Checks the request and starts the job over the campaign's items, or over the uploaded prompts when given.
     *
     * @param uploaded prompts read from a file, already validated; null for the campaign's own
     * @param fileName the upload's name for the job's description, or null
     */
    public ExportJob start(long campaignId, long userId, Request request, List<PromptFile.Prompt> uploaded,
            String fileName) {
        if (request == null) {
            throw ProblemException.badRequest("a JSON body {endpointId, n, version?, format?} is required");
        }
        Campaign campaign = campaigns.get(campaignId);
        InvalidInputException.Collector errors = new InvalidInputException.Collector();
        bestOfN.check(errors, request.endpointId(), request.n(), request.temperature(), request.maxTokens());
        String format = request.format() == null || request.format().isBlank()
                ? "sft"
                : request.format().strip().toLowerCase(Locale.ROOT);
        if (!format.equals("sft") && !format.equals("trl")) {
            errors.add("format", "must be sft (the best sample) or trl (best against worst)");
        } else if (format.equals("trl") && request.n() != null && request.n() < 2) {
            errors.add("n", "a pair of best and worst needs at least 2 samples");
        }
        if (request.version() != null && request.version() < 1) {
            errors.add("version", "must be a version number, or left out for the serving version");
        }
        errors.throwIfAny();
        long prompts = uploaded != null ? uploaded.size() : items.countIn(campaignId);
        if (prompts == 0) {
            throw uploaded != null
                    ? ProblemException.badRequest("the file holds no prompts")
                    : ProblemException.conflict("campaign " + campaignId + " has no items whose prompts to sample");
        }
        // Fail before queueing anything when the version cannot score or the endpoint does not exist.
        RewardModelVersion version = scoring.resolve(request.version());
        EndpointService.Target target = endpoints.target(request.endpointId());
        Settings settings = new Settings(target, version, request.n(),
                new ChatClient.Sampling(request.temperature(), null, request.maxTokens(), null), format.equals("trl"));
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("kind", "rejectionSampling");
        options.put("endpointId", target.id());
        options.put("endpoint", target.name());
        options.put("n", settings.n());
        options.put("version", version.version);
        options.put("temperature", request.temperature());
        options.put("maxTokens", request.maxTokens());
        options.put("source", uploaded != null ? "upload" : "campaign");
        options.put("fileName", fileName);
        options.put("prompts", prompts);
        String file = Boolean.TRUE.equals(request.gzip()) ? "jsonl.gz" : "jsonl";
        return jobs.start(campaign, userId, "rejection-" + format, file, options, 1,
                (jobId, sink, stopped, manifest) -> write(settings, uploaded != null
                        ? uploaded.iterator()
                        : campaignPrompts(campaignId), prompts, sink, stopped, manifest));
    }

    /**
     * Writes one line per prompt in the prompts' order. Several prompts are sampled at once, but each line waits
     * for the prompts before it. A prompt whose samples still fail after their retries is left out and listed in
     * the manifest; an error that retrying cannot help (a refused key, an unknown model) ends the job, as does every
     * prompt failing.
     */
    private long write(Settings settings, Iterator<PromptFile.Prompt> prompts, long total, OutputStream sink,
            BooleanSupplier stopped, Map<String, Object> manifest) throws IOException {
        manifest.put("rewardModelVersion", settings.version().version);
        manifest.put("endpoint", Map.of("id", settings.target().id(), "name", settings.target().name(), "model",
                settings.target().model()));
        manifest.put("n", settings.n());
        manifest.put("prompts", total);
        List<Map<String, Object>> failures = new ArrayList<>();
        long failed = 0;
        long identical = 0;
        long lines = 0;
        long processed = 0;
        String firstError = null;
        ExecutorService pool = Executors.newFixedThreadPool(PROMPTS_IN_FLIGHT, r -> {
            Thread t = new Thread(r, "rejection-sampling");
            t.setDaemon(true);
            return t;
        });
        Deque<Future<Drawn>> window = new ArrayDeque<>();
        try {
            while (true) {
                while (window.size() < PROMPTS_IN_FLIGHT && prompts.hasNext()) {
                    PromptFile.Prompt prompt = prompts.next();
                    window.add(pool.submit(() -> draw(settings, prompt, stopped)));
                }
                if (window.isEmpty()) {
                    break;
                }
                Drawn drawn = await(window.poll(), stopped);
                processed++;
                if (drawn.failure() != null) {
                    String error = drawn.prompt().label() + ": " + drawn.failure().getMessage();
                    if (!drawn.failure().retryable()) {
                        throw new JobFailed(error);
                    }
                    firstError = firstError == null ? error : firstError;
                    if (failed++ < FAILURES_LISTED) {
                        failures.add(Map.of("prompt", drawn.prompt().label(), "error",
                                drawn.failure().getMessage()));
                    }
                    continue;
                }
                List<BestOfN.Sample> samples = bestOfN.scored(settings.version(), drawn.prompt().messages(),
                        drawn.completions());
                BestOfN.Sample best = samples.get(0);
                BestOfN.Sample worst = samples.get(samples.size() - 1);
                if (settings.pairs() && best.text().equals(worst.text())) {
                    // A pair of one text against itself teaches nothing.
                    identical++;
                    continue;
                }
                ObjectNode line = settings.pairs()
                        ? pair(drawn.prompt(), best, worst)
                        : sft(drawn.prompt(), best);
                line.put("n", settings.n());
                line.put("version", settings.version().version);
                line.put("model", settings.target().model());
                drawn.prompt().identify(line);
                sink.write(JSON.writeValueAsBytes(line));
                sink.write('\n');
                lines++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } finally {
            // Interrupting the prompts still drawing cancels their requests and gives back their permits.
            pool.shutdownNow();
        }
        if (failed > 0 && failed == processed) {
            throw new JobFailed("every prompt failed; the first: " + firstError);
        }
        manifest.put("promptsFailed", failed);
        manifest.put("failures", failures);
        if (settings.pairs()) {
            manifest.put("identicalPairsLeftOut", identical);
        }
        return lines;
    }

    private Drawn draw(Settings settings, PromptFile.Prompt prompt, BooleanSupplier stopped)
            throws InterruptedException {
        try {
            return new Drawn(prompt, bestOfN.draw(settings.target(), prompt.messages(), settings.n(),
                    settings.sampling(), stopped), null);
        } catch (BestOfN.DrawFailed e) {
            return new Drawn(prompt, null, e);
        }
    }

    private static Drawn await(Future<Drawn> future, BooleanSupplier stopped) throws InterruptedException {
        while (true) {
            if (stopped.getAsBoolean()) {
                throw new CancellationException("stopped");
            }
            try {
                return future.get(200, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // Still sampling: look at the stop switch again.
            } catch (ExecutionException e) {
                if (e.getCause() instanceof CancellationException cancelled) {
                    throw cancelled;
                }
                throw new JobFailed("sampling failed: " + e.getCause().getMessage());
            }
        }
    }

    /** SFT: the prompt's messages and the best sample as the last assistant message, with its score. */
    private static ObjectNode sft(PromptFile.Prompt prompt, BestOfN.Sample best) {
        ObjectNode line = JSON.createObjectNode();
        ArrayNode messages = messages(line.putArray("messages"), prompt.messages());
        messages.addObject().put("role", "assistant").put("content", best.text());
        line.put("score", best.score());
        line.put("finishReason", best.finishReason());
        return line;
    }

    /** TRL's conversational preference format: the best sample chosen, the worst rejected, with both scores. */
    private static ObjectNode pair(PromptFile.Prompt prompt, BestOfN.Sample best, BestOfN.Sample worst) {
        ObjectNode line = JSON.createObjectNode();
        messages(line.putArray("prompt"), prompt.messages());
        line.putArray("chosen").addObject().put("role", "assistant").put("content", best.text());
        line.putArray("rejected").addObject().put("role", "assistant").put("content", worst.text());
        line.put("chosenScore", best.score());
        line.put("rejectedScore", worst.score());
        return line;
    }

    private static ArrayNode messages(ArrayNode array, List<ChatMessage> messages) {
        for (ChatMessage message : messages) {
            array.addObject().put("role", message.role()).put("content", message.content());
        }
        return array;
    }

    /** The campaign's items in import order, read a page at a time as the job goes. */
    private Iterator<PromptFile.Prompt> campaignPrompts(long campaignId) {
        return new Iterator<>() {

            private final Deque<PromptFile.Prompt> page = new ArrayDeque<>();
            private long after;
            private boolean exhausted;

            @Override
            public boolean hasNext() {
                if (page.isEmpty() && !exhausted) {
                    List<Item> next = QuarkusTransaction.requiringNew().call(() -> items.page(campaignId, after,
                            PAGE));
                    exhausted = next.size() < PAGE;
                    for (Item item : next) {
                        page.add(PromptFile.Prompt.ofItem(item.id, item.externalId, item.prompt));
                        after = item.id;
                    }
                }
                return !page.isEmpty();
            }

            @Override
            public PromptFile.Prompt next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return page.poll();
            }
        };
    }
}
