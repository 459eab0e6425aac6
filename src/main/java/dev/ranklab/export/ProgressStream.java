package dev.ranklab.export;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * Counts lines on their way to a job's file and reports every {@code every} of them; refuses to write once its job is
 * told to stop.
 */
final class ProgressStream extends FilterOutputStream {

    static final long EVERY = 50_000;
    private final long every;
    private final BooleanSupplier stopped;
    private final LongConsumer report;
    private final LongConsumer eachLine;
    private long lines;

    ProgressStream(OutputStream out, long every, BooleanSupplier stopped, LongConsumer report) {
        this(out, every, stopped, report, written -> {
        });
    }

    /** @param eachLine told of every line once it is written */
    ProgressStream(OutputStream out, long every, BooleanSupplier stopped, LongConsumer report,
            LongConsumer eachLine) {
        super(out);
        this.every = every;
        this.stopped = stopped;
        this.report = report;
        this.eachLine = eachLine;
    }

    @Override
    public void write(int b) throws IOException {
        checkStop();
        out.write(b);
        if (b == '\n') {
            counted();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        checkStop();
        out.write(b, off, len);
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                counted();
            }
        }
    }

    private void counted() {
        lines++;
        if (lines % every == 0) {
            report.accept(lines);
        }
        eachLine.accept(lines);
    }

    private void checkStop() {
        if (stopped.getAsBoolean()) {
            throw new ExportCancelled();
        }
    }
}
