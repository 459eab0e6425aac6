package dev.ranklab.export;

/** Thrown into a job's writer when the job was cancelled, to end it without calling it a failure. */
final class ExportCancelled extends RuntimeException {

    ExportCancelled() {
        super("cancelled", null, false, false);
    }
}
