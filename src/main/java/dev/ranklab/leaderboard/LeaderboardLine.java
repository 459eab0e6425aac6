package dev.ranklab.leaderboard;

import java.util.List;
import java.util.Locale;

/** A leaderboard line as pages print it: whole-number ratings and the win rate in percent. */
public record LeaderboardLine(int rank, String model, long comparisons, long wins, long losses, long ties,
        String winRate, long rating, long low, long high) {

    /** The board's lines, best first. */
    public static List<LeaderboardLine> of(ModelBoard board) {
        return board.models().stream().map(s -> new LeaderboardLine(s.rank(), s.model(), s.comparisons(), s.wins(),
                s.losses(), s.ties(), percent(s.winRate()), Math.round(s.rating()), Math.round(s.ratingLow()),
                Math.round(s.ratingHigh()))).toList();
    }

    static String percent(double value) {
        return String.format(Locale.ROOT, "%.0f%%", value * 100);
    }
}
