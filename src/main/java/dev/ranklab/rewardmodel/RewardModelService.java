package dev.ranklab.rewardmodel;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import dev.ranklab.audit.AuditLog;
import dev.ranklab.campaigns.Campaign;
import dev.ranklab.campaigns.CampaignKind;
import dev.ranklab.config.RanklabConfig;
import dev.ranklab.rewardmodel.RewardModelVersion.Mode;
import dev.ranklab.rewardmodel.RewardModelVersion.Status;
import dev.ranklab.rewardmodel.RewardModelVersion.Trigger;
import dev.ranklab.web.InvalidInputException;
import dev.ranklab.web.ProblemException;

/** Versions of the reward model: asking for a training, listing, promoting (and rolling back). */
@ApplicationScoped
public class RewardModelService {

    @Inject
    RanklabConfig config;

    @Inject
    TrainingRunner runner;

    @Inject
    AuditLog audit;

    @Inject
    TrainingData data;

    public List<RewardModelVersion> list() {
        return RewardModelVersion.list("ORDER BY version DESC");
    }

    public RewardModelVersion get(int version) {
        RewardModelVersion found = RewardModelVersion.findById(version);
        if (found == null) {
            throw ProblemException.notFound("reward model version " + version + " does not exist");
        }
        return found;
    }

    /** The version that serves, if any. */
    public RewardModelVersion promoted() {
        return RewardModelVersion.serving();
    }

    /**
     * Queues a training and wakes the runner. A training already waiting for the same campaigns is returned instead
     * of queueing a second one.
     */
    public RewardModelVersion requestTraining(TrainRequest request, Trigger trigger, Long userId) {
        TrainRequest body = request == null ? TrainRequest.of(null, false, false) : request;
        RewardModelVersion version = queue(body, trigger, userId);
        runner.wake();
        return version;
    }

    @Transactional
    RewardModelVersion queue(TrainRequest body, Trigger trigger, Long userId) {
        Long[] scope = scope(body.campaignId());
        Hyperparameters hyperparameters = hyperparameters(body);
        // Refused now, with the reason, rather than queued to fail in the background.
        long comparisons = data.comparisonsAfter(0, scope);
        String inScope = scope == null ? null : "campaign '" + Campaign.<Campaign>findById(scope[0]).name + "'";
        if (comparisons == 0) {
            throw ProblemException.conflict((scope == null ? "no ranking campaign has" : inScope + " has no")
                    + " ranking to learn from yet (one with two responses in different tiers); collect rankings "
                    + "first");
        }
        int least = config.rewardModel().minComparisons();
        if (comparisons < least) {
            throw ProblemException.conflict((scope == null ? "the ranking campaigns have " : inScope + " has ")
                    + comparisons + " comparison" + (comparisons == 1 ? "" : "s") + " to learn from; a training "
                    + "needs at least " + least + " (RANKLAB_REWARD_MODEL_MIN_COMPARISONS): collect more rankings "
                    + "first");
        }
        String narrower = narrowerThanServing(scope);
        if (narrower != null && !Boolean.TRUE.equals(body.replaceWiderScope())) {
            throw ProblemException.conflict(narrower + " Ask again with \"replaceWiderScope\": true to let it "
                    + "replace the serving version if it passes the promotion gate.");
        }
        for (RewardModelVersion waiting : RewardModelVersion.<RewardModelVersion>list("status",
                Status.QUEUED)) {
            if (Arrays.equals(waiting.campaignIds, scope)) {
                return waiting;
            }
        }
        RewardModelVersion version = new RewardModelVersion();
        version.status = Status.QUEUED;
        version.trigger = trigger;
        version.campaignIds = scope;
        version.requestedBy = userId;
        version.createdAt = OffsetDateTime.now();
        version.mode = Boolean.TRUE.equals(body.fullRetrain()) ? Mode.FULL : Mode.INCREMENTAL;
        version.hyperparameters = HyperparameterMaps.toMap(hyperparameters);
        version.progress = Map.of("phase", "queued");
        version.persist();
        audit.record("reward_model.train", "reward_model:" + version.version, Map.of("trigger", trigger.name(),
                "campaignIds", scope == null ? List.of() : List.of(scope)));
        return version;
    }

    /**
     * Why a training on {@code scope} would learn from a strict subset of the serving version's data, or null when
     * it would not. Such a training could replace a model trained on more, so it needs a confirmation.
     */
    public String narrowerThanServing(Long[] scope) {
        RewardModelVersion serving = RewardModelVersion.serving();
        if (serving == null || scope == null) {
            return null;
        }
        List<Long> requested = List.of(scope);
        boolean narrower = serving.campaignIds == null
                ? Campaign.count("kind = ?1 AND id NOT IN ?2", CampaignKind.RANKING, requested) > 0
                : List.of(serving.campaignIds).containsAll(requested) && serving.campaignIds.length > scope.length;
        if (!narrower) {
            return null;
        }
        String learned = serving.campaignIds == null
                ? "every ranking campaign"
                : serving.campaignIds.length + " campaigns";
        return "v" + serving.version + " serves and learned from " + learned + "; this training would learn from "
                + (scope.length == 1 ? "one of them" : scope.length + " of them") + " only.";
    }

    private Long[] scope(Long campaignId) {
        if (campaignId == null) {
            return null;
        }
        Campaign campaign = Campaign.findById(campaignId);
        if (campaign == null) {
            throw InvalidInputException.of("campaignId", "campaign " + campaignId + " does not exist");
        }
        if (campaign.kind != CampaignKind.RANKING) {
            throw InvalidInputException.of("campaignId",
                    "campaign " + campaignId + " collects demonstrations; a reward model learns from rankings");
        }
        return new Long[]{campaignId};
    }

    static Hyperparameters hyperparameters(TrainRequest body) {
        Hyperparameters defaults = Hyperparameters.defaults();
        InvalidInputException.Collector errors = new InvalidInputException.Collector();
        int hidden = body.hidden() == null ? defaults.hidden() : body.hidden();
        if (hidden < 0 || hidden > 512) {
            errors.add("hidden", "must be between 0 and 512");
        }
        double l2 = body.l2() == null ? defaults.l2() : body.l2();
        if (!(l2 >= 0 && l2 <= 100_000)) {
            errors.add("l2", "must be between 0 and 100000 (0: chosen on validation rankings)");
        }
        int maxEpochs = body.maxEpochs() == null ? defaults.maxEpochs() : body.maxEpochs();
        if (maxEpochs < 1 || maxEpochs > 500) {
            errors.add("maxEpochs", "must be between 1 and 500");
        }
        double marginScale = body.marginScale() == null ? defaults.marginScale() : body.marginScale();
        if (!(marginScale >= 0 && marginScale <= 10)) {
            errors.add("marginScale", "must be between 0 and 10");
        }
        String marginFrom = body.marginFrom() == null ? defaults.marginFrom() : body.marginFrom();
        if (!marginFrom.equals("tiers") && !marginFrom.equals("ratings")) {
            errors.add("marginFrom", "must be \"tiers\" or \"ratings\"");
        }
        errors.throwIfAny();
        return new Hyperparameters(hidden, defaults.dropout(), defaults.learningRate(), (float) l2,
                defaults.batchRankings(), maxEpochs, defaults.patience(), (float) marginScale, marginFrom,
                defaults.replayRatio(), defaults.seed());
    }

    /** Makes a finished version the one that serves; promoting an older one is a rollback. */
    @Transactional
    public RewardModelVersion promote(int version, String why) {
        RewardModelVersion chosen = get(version);
        if (chosen.status != Status.READY) {
            throw ProblemException.conflict("version " + version + " is " + chosen.status
                    + "; only a READY version can serve");
        }
        if (chosen.promoted) {
            return chosen;
        }
        RewardModelVersion current = promoted();
        if (current != null) {
            current.promoted = false;
            current.flush();
        }
        chosen.promoted = true;
        chosen.promotedAt = OffsetDateTime.now();
        chosen.promotionNote = why;
        promoted.fire(new Promoted(version, current == null ? null : current.version, why));
        audit.record("reward_model.promote", "reward_model:" + version,
                Map.of("previous", current == null ? "none" : "v" + current.version, "note", why));
        return chosen;
    }

    /** Told, inside the promoting transaction, that a version now serves. */
    public record Promoted(int version, Integer previous, String note) {
    }

    @Inject
    Event<Promoted> promoted;

}
