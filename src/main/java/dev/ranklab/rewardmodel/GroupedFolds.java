package dev.ranklab.rewardmodel;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which cross-validation fold each prompt group falls in: the distinct groups in the order of their sha256, dealt
 * round-robin. Deterministic (every run and every instance agrees), balanced in groups, and a group is never in two
 * folds, so all rankings of a prompt and of the dialogues that open like it are tested together.
 */
final class GroupedFolds {

    private GroupedFolds() {
    }

    static Map<String, Integer> assign(Collection<String> groups, int folds) {
        TreeSet<String> ordered = new TreeSet<>();
        Map<String, String> groupOfHash = new HashMap<>();
        for (String group : groups) {
            String hash = sha256(group);
            if (groupOfHash.putIfAbsent(hash, group) == null) {
                ordered.add(hash);
            }
        }
        Map<String, Integer> fold = new HashMap<>();
        int next = 0;
        for (String hash : ordered) {
            fold.put(groupOfHash.get(hash), next++ % folds);
        }
        return fold;
    }

    static Map<String, Integer> assign(List<RankedExample> examples, int folds) {
        return assign(examples.stream().map(RankedExample::group).toList(), folds);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(("fold\n" + text).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
