package dev.ranklab.rewardmodel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.ranklab.config.RanklabConfig;
import dev.ranklab.items.ChatMessage;
import dev.ranklab.rewardmodel.RewardModelVersion.Status;
import dev.ranklab.rewardmodel.SentenceEncoder.Truncation;
import dev.ranklab.web.ProblemException;

/** Scores responses with a version of the reward model; loaded versions stay in memory (they are small). */
@ApplicationScoped
public class ScoringService {

    private static final int LOADED_VERSIONS = 4;

    @Inject
    EmbeddingService embeddings;

    @Inject
    ModelFiles files;

    @Inject
    NativeModels natives;

    @Inject
    RanklabConfig config;

    /** Loaded networks, least recently used first. */
    private final Map<Integer, ScoringNetwork> loaded = new LinkedHashMap<>(8, 0.75f, true);

    /** One reward per response, and the version that gave them. */
    public record Scores(int version, float[] scores) {
    }

    /** The version to score with: a number, or null for the one that serves. */
    public RewardModelVersion resolve(Integer version) {
        RewardModelVersion chosen;
        if (version == null) {
            chosen = RewardModelVersion.serving();
            if (chosen == null) {
                throw ProblemException.conflict("no reward model serves yet: train one (POST /api/v1/reward-models/"
                        + "train) or promote a READY version");
            }
        } else {
            chosen = RewardModelVersion.findById(version);
            if (chosen == null) {
                throw ProblemException.notFound("reward model version " + version + " does not exist");
            }
            if (chosen.status != Status.READY) {
                throw ProblemException.conflict("version " + version + " is " + chosen.status
                        + "; only a READY version scores");
            }
        }
        return chosen;
    }

    public Scores score(RewardModelVersion version, List<ChatMessage> prompt, List<String> responses) {
        return new Scores(version.version, scoreMany(version, List.of(prompt), List.of(responses)).get(0));
    }

    /** Scores several prompts' responses in one pass through the encoder (batched, cached). */
    public List<float[]> scoreMany(RewardModelVersion version, List<List<ChatMessage>> prompts,
            List<List<String>> responses) {
        return natives.use(() -> scoreWith(network(version), prompts, responses));
    }

    private List<float[]> scoreWith(ScoringNetwork network, List<List<ChatMessage>> prompts,
            List<List<String>> responses) {
        List<String> promptTexts = prompts.stream().map(PromptText::of).toList();
        List<String> responseTexts = new ArrayList<>();
        responses.forEach(responseTexts::addAll);
        float[][] promptVectors = embeddings.embed(promptTexts, Truncation.TAIL).vectors();
        float[][] responseVectors = embeddings.embed(responseTexts, Truncation.HEAD).vectors();
        float[][] features = new float[responseTexts.size()][];
        int row = 0;
        for (int p = 0; p < prompts.size(); p++) {
            for (int r = 0; r < responses.get(p).size(); r++) {
                features[row] = Features.of(promptVectors[p], responseVectors[row], responseTexts.get(row));
                row++;
            }
        }
        float[] all = network.rewards(features);
        List<float[]> out = new ArrayList<>(prompts.size());
        int offset = 0;
        for (List<String> group : responses) {
            float[] scores = new float[group.size()];
            System.arraycopy(all, offset, scores, 0, group.size());
            offset += group.size();
            out.add(scores);
        }
        return out;
    }

    ScoringNetwork network(RewardModelVersion version) {
        synchronized (loaded) {
            ScoringNetwork network = loaded.get(version.version);
            if (network != null) {
                return network;
            }
            try {
                network = ScoringNetwork.load(files.read(version));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            loaded.put(version.version, network);
            if (loaded.size() > LOADED_VERSIONS) {
                // Versions are immutable, so an evicted one is simply loaded again when asked for.
                Iterator<ScoringNetwork> eldest = loaded.values().iterator();
                eldest.next();
                eldest.remove();
            }
            return network;
        }
    }

    @PreDestroy
    void close() {
        natives.closeWhenUnused("the scoring networks", config.rewardModel().shutdownGrace(), () -> {
            synchronized (loaded) {
                loaded.values().forEach(ScoringNetwork::close);
                loaded.clear();
            }
        });
    }
}
