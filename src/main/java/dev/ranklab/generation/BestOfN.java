package dev.ranklab.generation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

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
    public record Sample(String text, float score, String finishReason) {
    }

    /** The samples best first, and the reward-model version that scored them. */
    public record Result(int version, List<Sample> samples) {
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }

    public Result sample(Long endpointId, List<ChatMessage> prompt, Integer n, Double temperature,
            Integer maxTokens) {
        InvalidInputException.Collector errors = new InvalidInputException.Collector();
        if (endpointId == null) {
            errors.add("endpointId", "required");
        }
        if (n == null || n < 1 || n > MAX_N) {
            errors.add("n", "required, 1 to " + MAX_N);
        }
        if (temperature != null && !(temperature >= 0 && temperature <= 2)) {
            errors.add("temperature", "must be 0 to 2");
        }
        if (maxTokens != null && (maxTokens < 1 || maxTokens > 1_000_000)) {
            errors.add("maxTokens", "must be 1 to 1000000");
        }
        errors.throwIfAny();
        // Fail before spending requests when no reward model serves.
        RewardModelVersion version = scoring.resolve(null);
        EndpointService.Target target = endpoints.target(endpointId);
        ChatClient.Sampling sampling = new ChatClient.Sampling(temperature, null, maxTokens, null);
        List<Future<ChatClient.Completion>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            futures.add(pool.submit(() -> withRetries(target, prompt, sampling)));
        }
        List<ChatClient.Completion> completions = new ArrayList<>();
        try {
            for (int i = 0; i < futures.size(); i++) {
                try {
                    completions.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    futures.forEach(f -> f.cancel(true));
                    String why = e.getCause() instanceof ChatClient.Failure failure
                            ? failure.getMessage()
                            : "the request failed";
                    throw new ProblemException(502, "Bad gateway", "sample " + (i + 1) + " of " + n + " from "
                            + target.name() + ": " + why);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            futures.forEach(f -> f.cancel(true));
            throw new ProblemException(503, "Service unavailable", "interrupted while sampling");
        }
        List<String> texts = completions.stream().map(ChatClient.Completion::text).toList();
        ScoringService.Scores scores = scoring.score(version, prompt, texts);
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < completions.size(); i++) {
            samples.add(new Sample(texts.get(i), scores.scores()[i], completions.get(i).finishReason()));
        }
        samples.sort(Comparator.comparingDouble(Sample::score).reversed());
        return new Result(scores.version(), samples);
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
