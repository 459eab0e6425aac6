package dev.ranklab.rewardmodel;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.ranklab.web.ProblemException;

/**
 * The native models (ONNX Runtime's encoder, PyTorch's scoring networks) are closed once, after their last user.
 * Closing a model while a training or a scoring still runs in it is a use-after-free in native code that kills the
 * JVM with SIGSEGV; CDI destroys beans in no guaranteed order, so every use holds a read lock and every close takes
 * the write lock. A user still inside after the grace keeps the model: the process is exiting, and the operating
 * system frees native memory as surely as close would, without the crash.
 */
@ApplicationScoped
public class NativeModels {

    private static final Logger LOG = Logger.getLogger(NativeModels.class);

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile boolean closing;

    /** Runs work that uses a native model; refused with 503 once shutdown has begun. */
    public <T> T use(Supplier<T> work) {
        lock.readLock().lock();
        try {
            if (closing) {
                throw ProblemException.unavailable("Ranklab is shutting down; try again in a moment");
            }
            return work.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Stops new uses, waits up to the grace for the running ones, then closes; says whether it closed. */
    public boolean closeWhenUnused(String what, Duration grace, Runnable close) {
        closing = true;
        boolean unused;
        try {
            unused = lock.writeLock().tryLock(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unused = false;
        }
        if (!unused) {
            LOG.warnf("%s is still in use after %d s; left open for the process exit to release", what,
                    grace.toSeconds());
            return false;
        }
        try {
            close.run();
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Whether shutdown has begun. */
    public boolean closing() {
        return closing;
    }
}
