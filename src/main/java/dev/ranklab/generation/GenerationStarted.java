package dev.ranklab.generation;

/** Fired when a generation job was started; its observers see it once the job's rows are committed. */
public record GenerationStarted(long jobId) {
}
