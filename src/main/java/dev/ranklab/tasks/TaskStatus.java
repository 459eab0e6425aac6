package dev.ranklab.tasks;

/** Where a task stands. A task is finished once SUBMITTED, SKIPPED or UNRANKABLE. */
public enum TaskStatus {

    LEASED, EXPIRED, SUBMITTED, SKIPPED, UNRANKABLE;

    public boolean isFinished() {
        return this == SUBMITTED || this == SKIPPED || this == UNRANKABLE;
    }
}
