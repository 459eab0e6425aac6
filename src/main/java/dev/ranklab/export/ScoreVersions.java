package dev.ranklab.export;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.ranklab.rewardmodel.RewardModelVersion;
import dev.ranklab.web.ProblemException;

/** Which reward-model version's scores an export carries: none, the one asked for, or the serving one. */
final class ScoreVersions {

    private ScoreVersions() {
    }

    static Integer resolve(boolean includeScores, String scoreVersion, ExportFormat format) {
        if (!includeScores) {
            if (scoreVersion != null && !scoreVersion.isBlank()) {
                throw ProblemException.badRequest("scoreVersion needs includeScores=true");
            }
            return null;
        }
        if (format != ExportFormat.RANKINGS && format != ExportFormat.PAIRS) {
            throw ProblemException.badRequest("includeScores applies to format=rankings and format=pairs");
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            RewardModelVersion version;
            if (scoreVersion == null || scoreVersion.isBlank()) {
                version = RewardModelVersion.serving();
                if (version == null) {
                    throw ProblemException.conflict("includeScores=true: no reward model serves yet; train one or "
                            + "name a scoreVersion");
                }
            } else {
                int number;
                try {
                    number = Integer.parseInt(scoreVersion.strip());
                } catch (NumberFormatException e) {
                    throw ProblemException.badRequest("scoreVersion must be a version number");
                }
                version = RewardModelVersion.findById(number);
                if (version == null || version.status != RewardModelVersion.Status.READY) {
                    throw ProblemException.badRequest("scoreVersion: reward model version " + number
                            + " does not exist or is not READY");
                }
            }
            return version.version;
        });
    }
}
