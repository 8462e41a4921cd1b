package dev.tlab.cli;

/** Exit codes that scripts can rely on. */
public final class ExitCodes {
    public static final int OK = 0;
    /**
     * A strategy of the experiment failed, the experiment failed as a whole (after it was accepted), or it is unknown.
     */
    public static final int EXPERIMENT_FAILED = 1;
    /** Bad command line or an invalid experiment request (the message names the field). */
    public static final int USAGE = 2;
    /** The broker or a service could not be reached or started. */
    public static final int UNREACHABLE = 3;
    /** Waited longer than --timeout. */
    public static final int TIMED_OUT = 4;
    /** gpu-check: no usable NVIDIA GPU (the message says why). */
    public static final int NO_GPU = 5;
    /** gpu-check: no usable CUDA build of libtorch (the message says what to provide). */
    public static final int NO_CUDA_LIBTORCH = 6;
    /**
     * The experiment was cancelled before every strategy finished ({@code watch}, {@code run}). Its own number, so that
     * every code means one thing whichever command returns it.
     */
    public static final int CANCELLED = 7;

    public static final int INTERRUPTED = 130;

    private ExitCodes() {}
}
