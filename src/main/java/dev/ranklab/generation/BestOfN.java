package dev.ranklab.generation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.ranklab.endpoints.ChatClient;
import dev.ranklab.endpoints.EndpointService;
import dev.ranklab.items.ChatMessage;
import dev.ranklab.rewardmodel.RewardModelVersion;
import dev.ranklab.rewardmodel.ScoringService;
import dev.ranklab.web.InvalidInputException;
import dev.ranklab.web.ProblemException;

/**
 * Best-of-N (rejection sampling, as in Llama 2's RLHF): N samples from an endpoint, scored by the serving reward
 * model, best first. Samples are requested in parallel within the endpoint's limits; a retryable failure is tried
 * again (honouring Retry-After) a few times before the whole request fails with the error in words.
 */
@ApplicationScoped
public class BestOfN {

    static final int MAX_N = 32;
    private static final int ATTEMPTS = 3;
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(10);
    /** How often a wait for samples looks whether its job was cancelled. */
    private static final Duration STOP_CHECK = Duration.ofMillis(200);

    @Inject
    EndpointService endpoints;

    @Inject
    ScoringService scoring;

    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "best-of-n");
        t.setDaemon(true);
        return t;
    });

    /** One scored sample. */
    @Schema(name = "BestOfNSample")
    public record Sample(String text, float score, String finishReason) {
    }

    /** The samples best first, and the reward-model version that scored them. */
    @Schema(name = "BestOfNResult")
    public record Result(int version, List<Sample> samples) {
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }

    public Result sample(Long endpointId, List<ChatMessage> prompt, Integer n, Double temperature,
            Integer maxTokens) {
        InvalidInputException.Collector errors = new InvalidInputException.Collector();
        check(errors, endpointId, n, temperature, maxTokens);
        errors.throwIfAny();
        // Fail before spending requests when no reward model serves.
        RewardModelVersion version = scoring.resolve(null);
        EndpointService.Target target = endpoints.target(endpointId);
        ChatClient.Sampling sampling = new ChatClient.Sampling(temperature, null, maxTokens, null);
        List<ChatClient.Completion> completions;
        try {
            completions = draw(target, prompt, n, sampling, () -> false);
        } catch (DrawFailed e) {
            throw new ProblemException(502, "Bad gateway", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(503, "Service unavailable", "interrupted while sampling");
        }
        return new Result(version.version, scored(version, prompt, completions));
    }

    /** The sampling settings of a best-of-N request or job, each error naming its field. */
    /** Checks every setting, the endpoint's existence included, so that an unknown one is a 400 naming the field. */
    void check(InvalidInputException.Collector errors, Long endpointId, Integer n, Double temperature,
            Integer maxTokens) {
        if (endpointId == null) {
            errors.add("endpointId", "required");
        } else {
            try {
                endpoints.get(endpointId);
            } catch (ProblemException e) {
                errors.add("endpointId", "no model endpoint with id " + endpointId);
            }
        }
        checkRanges(errors, n, temperature, maxTokens);
    }

    /** The settings' ranges, which need no database: also checked where a form's text is read. */
    static void checkRanges(InvalidInputException.Collector errors, Integer n, Double temperature,
            Integer maxTokens) {
        if (n == null || n < 1 || n > MAX_N) {
            errors.add("n", "required, 1 to " + MAX_N);
        }
        if (temperature != null && !(temperature >= 0 && temperature <= 2)) {
            errors.add("temperature", "must be 0 to 2");
        }
        if (maxTokens != null && (maxTokens < 1 || maxTokens > 1_000_000)) {
            errors.add("maxTokens", "must be 1 to 1000000");
        }
    }

    /** The completions scored by the version, best first (a stable sort: equal scores keep their order). */
    List<Sample> scored(RewardModelVersion version, List<ChatMessage> prompt,
            List<ChatClient.Completion> completions) {
        List<String> texts = completions.stream().map(ChatClient.Completion::text).toList();
        ScoringService.Scores scores = scoring.score(version, prompt, texts);
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < completions.size(); i++) {
            samples.add(new Sample(texts.get(i), scores.scores()[i], completions.get(i).finishReason()));
        }
        samples.sort(Comparator.comparingDouble(Sample::score).reversed());
        return samples;
    }

    /** Why samples could not be drawn, in words that name the sample and the endpoint. */
    static final class DrawFailed extends Exception {

        private final boolean retryable;

        DrawFailed(String message, boolean retryable) {
            super(message, null, false, false);
            this.retryable = retryable;
        }

        /** False when retrying cannot help (a refused key, an unknown model): the endpoint itself is wrong. */
        boolean retryable() {
            return retryable;
        }
    }

    /**
     * Draws n samples of the prompt in parallel, within the endpoint's limits, each retried a few times; gives up on
     * the first sample that still fails, and cancels the rest. While waiting it looks at {@code stopped}, and ends
     * with a {@link CancellationException} once it says true.
     */
    List<ChatClient.Completion> draw(EndpointService.Target target, List<ChatMessage> prompt, int n,
            ChatClient.Sampling sampling, BooleanSupplier stopped) throws DrawFailed, InterruptedException {
        List<Future<ChatClient.Completion>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            futures.add(pool.submit(() -> withRetries(target, prompt, sampling)));
        }
        List<ChatClient.Completion> completions = new ArrayList<>();
        try {
            for (int i = 0; i < futures.size(); i++) {
                completions.add(await(futures.get(i), stopped));
            }
        } catch (ExecutionException e) {
            int failed = completions.size() + 1;
            boolean retryable = !(e.getCause() instanceof ChatClient.Failure f) || f.retryable();
            String why = e.getCause() instanceof ChatClient.Failure failure
                    ? failure.getMessage()
                    : "the request failed";
            throw new DrawFailed("sample " + failed + " of " + n + " from " + target.name() + ": " + why,
                    retryable);
        } finally {
            // Nothing left running once this returns or gives up: the interrupt releases each one's permit.
            futures.forEach(f -> f.cancel(true));
        }
        return completions;
    }

    private static ChatClient.Completion await(Future<ChatClient.Completion> future, BooleanSupplier stopped)
            throws ExecutionException, InterruptedException {
        while (true) {
            if (stopped.getAsBoolean()) {
                throw new CancellationException("stopped");
            }
            try {
                return future.get(STOP_CHECK.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // Not answered yet: look at the stop switch again.
            }
        }
    }

    private ChatClient.Completion withRetries(EndpointService.Target target, List<ChatMessage> prompt,
            ChatClient.Sampling sampling) throws ChatClient.Failure, InterruptedException {
        for (int attempt = 1;; attempt++) {
            try {
                return endpoints.call(target, prompt, sampling);
            } catch (ChatClient.Failure e) {
                if (!e.retryable() || attempt >= ATTEMPTS) {
                    throw e;
                }
                long backoff = 500L << (attempt - 1);
                long wait = e.retryAfter() == null ? backoff : Math.max(backoff, e.retryAfter().toMillis());
                Thread.sleep(Math.min(wait, LONGEST_WAIT.toMillis()));
            }
        }
    }
}
