package dev.ranklab.config;

import java.time.Duration;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Ranklab's typed settings (prefix {@code ranklab}); each also reads from the matching environment variable. */
@ConfigMapping(prefix = "ranklab")
public interface RanklabConfig {

    /** Where the embedded PostgreSQL and the reward models keep their files. */
    @WithDefault("./data")
    String dataDir();

    Admin admin();

    /** bcrypt's cost for password hashes: 2^12 rounds take about 0.25 s here, slow for offline guessing. */
    @WithDefault("12")
    int bcryptCost();

    Session session();

    ApiToken apiToken();

    Login login();

    @WithName("import")
    Import importing();

    RewardModel rewardModel();

    Webhooks webhooks();

    /**
     * The largest JSON request body (and form body), in bytes. Item imports (NDJSON and file uploads) have their own
     * limits, under ranklab.import.
     */
    @WithDefault("10485760")
    long maxJsonBytes();

    /** The admin created on first start when none exists. */
    interface Admin {

        @WithDefault("admin")
        String username();

        /** With none set, a password is generated and printed once to the log. */
        Optional<String> password();
    }

    /** Browser sessions. */
    interface Session {

        @WithDefault("PT12H")
        Duration lifetime();

        /** Mark the session cookie Secure; turn on behind HTTPS. */
        @WithDefault("false")
        boolean secureCookie();
    }

    /** Bearer tokens from POST /api/v1/auth/token. */
    interface ApiToken {

        @WithDefault("P7D")
        Duration lifetime();
    }

    /** Throttling of failed logins, per username and remote address. */
    interface Login {

        @WithDefault("5")
        int maxFailures();

        @WithDefault("PT15M")
        Duration window();
    }

    /** Limits on NDJSON item imports. */
    interface Import {

        @WithDefault("1073741824")
        long maxBytes();

        @WithDefault("1048576")
        int maxLineBytes();

        /** How many rejected lines an import reports one by one; the rest are only counted. */
        @WithDefault("1000")
        int maxReportedRejections();

        @WithDefault("500")
        int batchSize();
    }

    /** The reward model loop. */
    interface RewardModel {

        /** Start a retrain by itself when this many new comparisons arrived since the serving version. */
        @WithDefault("500")
        int retrainAfterComparisons();

        /** Also retrain on this schedule when any new comparison arrived (none: only by count or by an admin). */
        Optional<Duration> retrainEvery();

        /** Every n-th automatic version trains from scratch as a control for the incremental ones. */
        @WithDefault("5")
        int fullRetrainEvery();

        /** A new version is promoted unless its held-out accuracy is worse than the serving one's by more. */
        @WithDefault("0.01")
        double promotionTolerance();

        /**
         * Whether this instance runs trainings. With several replicas, one trainer (which may sit on a GPU node)
         * runs them all and the others only queue them; either way one training runs at a time.
         */
        @WithDefault("true")
        boolean trainer();

        /** Whether the threshold and the schedule start trainings (an admin always can). */
        @WithDefault("true")
        boolean autoTrain();

        /** The fewest comparisons a training needs (one an admin asks for). */
        @WithDefault("20")
        int minComparisons();

        /**
         * The fewest comparisons in scope before a training starts by itself. With n pairs the cross-validated
         * accuracy's 95% interval is about ±1.96·√(0.25/n) wide; at 400 that is ±4.9 points, about the margin by which
         * a useful model beats "the shorter response wins" on harmlessness data. With fewer, the gate could not tell a
         * model from the baseline, so an automatic version would be noise.
         */
        @WithDefault("400")
        int autoTrainMinComparisons();

        /** ONNX Runtime threads for the encoder; by default all cores but one, so requests keep a core. */
        Optional<Integer> encoderThreads();

        /**
         * On shutdown, how long a running training may take to stop (it stops between two batches) and how long
         * the native models wait for their last user before closing. Keep it below the container's stop timeout.
         */
        @WithDefault("PT8S")
        Duration shutdownGrace();

        /**
         * What a training may hold on the heap (e.g. {@code 256M}); by default a quarter of the maximum heap. When
         * the rankings in scope need more, whole items are sampled to fit, and the version's reason says so.
         */
        Optional<MemorySize> memoryBudget();
    }

    /** Webhook deliveries. */
    interface Webhooks {

        /** The first retry waits twice this, each next one twice as long again (at most an hour). */
        @WithDefault("PT5S")
        Duration retryBase();
    }
}
