package dev.ranklab.rewardmodel;

import java.util.LinkedHashMap;
import java.util.Map;

/** Hyperparameters to and from the JSON kept with each version. */
final class HyperparameterMaps {

    private HyperparameterMaps() {
    }

    static Map<String, Object> toMap(Hyperparameters h) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("hidden", h.hidden());
        map.put("dropout", h.dropout());
        map.put("learningRate", h.learningRate());
        map.put("l2", h.l2());
        map.put("batchRankings", h.batchRankings());
        map.put("maxEpochs", h.maxEpochs());
        map.put("patience", h.patience());
        map.put("marginScale", h.marginScale());
        map.put("marginFrom", h.marginFrom());
        map.put("replayRatio", h.replayRatio());
        map.put("seed", h.seed());
        return map;
    }

    static Hyperparameters fromMap(Map<String, Object> map) {
        Hyperparameters d = Hyperparameters.defaults();
        return new Hyperparameters(integer(map, "hidden", d.hidden()), real(map, "dropout", d.dropout()),
                real(map, "learningRate", d.learningRate()), real(map, "l2", d.l2()),
                integer(map, "batchRankings", d.batchRankings()), integer(map, "maxEpochs", d.maxEpochs()),
                integer(map, "patience", d.patience()), real(map, "marginScale", d.marginScale()),
                String.valueOf(map.getOrDefault("marginFrom", d.marginFrom())),
                real(map, "replayRatio", d.replayRatio()),
                map.get("seed") instanceof Number n ? n.longValue() : d.seed());
    }

    private static int integer(Map<String, Object> map, String key, int fallback) {
        return map.get(key) instanceof Number n ? n.intValue() : fallback;
    }

    private static float real(Map<String, Object> map, String key, float fallback) {
        return map.get(key) instanceof Number n ? n.floatValue() : fallback;
    }
}
