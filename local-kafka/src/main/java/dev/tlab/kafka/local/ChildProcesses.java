package dev.tlab.kafka.local;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Stopping child JVMs: ask first, wait a while, then force. JDK only, so launchers anywhere can use it. */
public final class ChildProcesses {
    private static final Duration FORCED_EXIT = Duration.ofSeconds(10);

    private ChildProcesses() {}

    /**
     * Waits up to {@code grace} for a process that was already asked to stop, then kills it; an interrupt kills it at
     * once (and keeps the interrupt flag).
     */
    public static void awaitExitOrKill(Process process, Duration grace) {
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(FORCED_EXIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
