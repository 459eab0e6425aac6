package dev.ranklab.items;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads newline-delimited lines as bytes from a stream, in bounded memory: a line longer than the limit is skipped
 * to its end and reported as too long instead of being buffered, and the whole stream is capped in size.
 */
final class NdjsonLineReader {

    /** The stream went over its size limit. */
    static final class TooLarge extends IOException {

        TooLarge(long limit) {
            super("the file is larger than the import limit of " + limit + " bytes");
        }
    }

    private final InputStream in;
    private final int maxLineBytes;
    private final long maxTotalBytes;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;
    private long totalBytes;
    private byte[] line;
    private int lineLength;
    private boolean lineTooLong;
    private long lineNumber;

    NdjsonLineReader(InputStream in, int maxLineBytes, long maxTotalBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
        this.maxTotalBytes = maxTotalBytes;
        this.line = new byte[Math.min(maxLineBytes, 8192)];
    }

    /** Advances to the next line; false at the end of the stream. */
    boolean next() throws IOException {
        lineLength = 0;
        lineTooLong = false;
        boolean sawAnything = false;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    if (sawAnything) {
                        lineNumber++;
                        return true;
                    }
                    return false;
                }
                totalBytes += limit;
                if (totalBytes > maxTotalBytes) {
                    throw new TooLarge(maxTotalBytes);
                }
            }
            sawAnything = true;
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            append(start, position);
            if (position < limit) {
                position++; // the newline
                lineNumber++;
                return true;
            }
        }
    }

    private void append(int from, int to) {
        int count = to - from;
        if (count == 0 || lineTooLong) {
            return;
        }
        if (lineLength + count > maxLineBytes) {
            lineTooLong = true;
            return;
        }
        if (lineLength + count > line.length) {
            byte[] bigger = new byte[Math.min(maxLineBytes, Math.max(line.length * 2, lineLength + count))];
            System.arraycopy(line, 0, bigger, 0, lineLength);
            line = bigger;
        }
        System.arraycopy(buffer, from, line, lineLength, count);
        lineLength += count;
    }

    long lineNumber() {
        return lineNumber;
    }

    boolean lineTooLong() {
        return lineTooLong;
    }

    /** The current line's bytes, valid up to {@link #length()}, without the newline or a trailing CR. */
    byte[] bytes() {
        return line;
    }

    int length() {
        return lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
    }

    boolean isBlank() {
        int length = length();
        for (int i = 0; i < length; i++) {
            byte b = line[i];
            if (b != ' ' && b != '\t') {
                return false;
            }
        }
        return true;
    }
}
