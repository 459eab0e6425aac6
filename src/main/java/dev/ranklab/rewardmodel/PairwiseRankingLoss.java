package dev.ranklab.rewardmodel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.loss.Loss;

/**
 * InstructGPT's reward-model loss: −log σ(r_w − r_l − m) for every non-tied pair of a ranking, averaged within the
 * ranking, then over the rankings of the batch. The K responses of a ranking are scored once (K forward passes);
 * the pairs only index into those scores, so a ranking costs K passes, not K·(K−1)/2.
 * <p>
 * Labels: winner indices, loser indices (int64, into the flattened batch of responses), each pair's weight
 * (1 / (pairs in its ranking · rankings in the batch)) and margin. Prediction: one reward per response.
 */
public final class PairwiseRankingLoss extends Loss {

    public PairwiseRankingLoss() {
        super("PairwiseRankingLoss");
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray rewards = predictions.singletonOrThrow().reshape(-1);
        NDArray winners = labels.get(0);
        NDArray losers = labels.get(1);
        NDArray weights = labels.get(2);
        NDArray margins = labels.get(3);
        NDArray difference = rewards.take(winners).sub(rewards.take(losers)).sub(margins);
        // softplus(−x) = −log σ(x), computed without overflow for large |x|.
        NDArray perPair = Activation.softPlus(difference.neg());
        return perPair.mul(weights).sum();
    }
}
