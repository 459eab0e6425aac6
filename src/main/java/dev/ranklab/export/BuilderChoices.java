package dev.ranklab.export;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import dev.ranklab.campaigns.Flag;

/**
 * What the export builder offers to pick from, taken from the campaign's own data: the UTC days on which work was
 * submitted, the annotators (by the pseudonym exports show) and the campaign's flags.
 */
public record BuilderChoices(List<Day> days, List<Annotator> annotators, List<Flag> flags) {

    private static final DateTimeFormatter LABEL = DateTimeFormatter.ofPattern("EEE d MMM yyyy", Locale.ENGLISH);

    /**
     * A day with submissions. The filter's bounds are exclusive below and inclusive above, at the database's
     * microsecond precision, so "from" a day is just after the end of the day before and "through" a day is the last
     * microsecond of it: every submission of the chosen days is in, no other.
     */
    public record Day(LocalDate date, long count) {

        public String label() {
            return LABEL.format(date);
        }

        public String from() {
            return endOf(date.minusDays(1));
        }

        public String through() {
            return endOf(date);
        }

        private static String endOf(LocalDate day) {
            return OffsetDateTime.of(day.plusDays(1).atStartOfDay(), ZoneOffset.UTC).minusNanos(1_000).toString();
        }
    }

    /** An annotator as exports name them, and how much they submitted. */
    public record Annotator(String name, long count) {
    }

    public boolean hasAnnotator(String name) {
        return annotators.stream().anyMatch(annotator -> annotator.name().equals(name));
    }

    public boolean hasFlag(String code) {
        return flags.stream().anyMatch(flag -> flag.code().equals(code));
    }

    /** Whether a bound from the form is one the day list offers (otherwise it is shown as typed). */
    public boolean offersFrom(String value) {
        return days.stream().anyMatch(day -> day.from().equals(value));
    }

    public boolean offersThrough(String value) {
        return days.stream().anyMatch(day -> day.through().equals(value));
    }
}
