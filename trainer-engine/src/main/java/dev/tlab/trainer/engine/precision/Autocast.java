package dev.tlab.trainer.engine.precision;

import ai.djl.Device;
import ai.djl.pytorch.jni.LibUtils;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import dev.tlab.contracts.Precision;
import java.nio.file.Path;

/**
 * libtorch's own automatic mixed precision, the machinery behind {@code torch.autocast}, switched on for the calling
 * thread around a forward pass. While it is on, every operator libtorch dispatches (the TorchScript interpreter's too)
 * goes through its autocast kernels: convolutions and matrix products cast their inputs, including the float32 weights,
 * to the lower format; BatchNorm keeps float32 weights and statistics; autograd carries the casts back, so the weights'
 * gradients arrive in float32 and the optimizer keeps float32 master weights and state unchanged.
 *
 * <p>Why this way: DJL 0.36 can neither change a TorchScript module's parameter types in place (it exposes the module's
 * tensors, not {@code Module.to}) nor switch autocast, and the exported module cannot carry it either (eager autocast
 * is thread state, not part of the graph). The switch is three exported C++ functions of {@code libtorch_cpu}
 * ({@code at::autocast::set_autocast_enabled/set_autocast_dtype/clear_cache}, stable since libtorch 2.4), called
 * through JNA on the library DJL already loaded.
 */
public final class Autocast implements AutoCloseable {

    /** {@code c10::DeviceType}. */
    private static final byte CPU = 0;

    private static final byte CUDA = 1;
    /** {@code c10::ScalarType}. */
    private static final byte HALF = 5;

    private static final byte BFLOAT16 = 15;

    private static volatile Natives natives;

    private final byte deviceType;
    private final boolean wasEnabled;
    private final byte previousType;

    private Autocast(byte deviceType, byte type) {
        Natives n = natives();
        this.deviceType = deviceType;
        this.wasEnabled = n.isEnabled(deviceType);
        this.previousType = n.dtype(deviceType);
        n.setDtype(deviceType, type);
        n.setEnabled(deviceType, true);
    }

    /**
     * Autocast for {@code precision} on {@code device} on this thread until closed, or {@code null} for float32
     * (nothing to switch). Use in try-with-resources around the forward pass only, as with {@code torch.autocast}.
     */
    public static Autocast enter(Precision precision, Device device) {
        return switch (precision) {
            case FP32 -> null;
            case BF16 -> new Autocast(device.isGpu() ? CUDA : CPU, BFLOAT16);
            case FP16 -> new Autocast(device.isGpu() ? CUDA : CPU, HALF);
        };
    }

    /** Restores the thread's previous state and drops the casts cached during the pass (the weights change next). */
    @Override
    public void close() {
        Natives n = natives();
        n.setEnabled(deviceType, wasEnabled);
        n.setDtype(deviceType, previousType);
        if (!wasEnabled) {
            n.clearCache();
        }
    }

    /** Whether autocast is on for this device's type on the calling thread (for tests). */
    public static boolean isEnabled(Device device) {
        return natives().isEnabled(device.isGpu() ? CUDA : CPU);
    }

    private static Natives natives() {
        Natives n = natives;
        if (n == null) {
            synchronized (Autocast.class) {
                if (natives == null) {
                    natives = Natives.load();
                }
                n = natives;
            }
        }
        return n;
    }

    /** The C++ entry points, by their Itanium-mangled names. */
    private record Natives(
            Function setEnabledFn,
            Function isEnabledFn,
            Function setDtypeFn,
            Function getDtypeFn,
            Function clearCacheFn) {

        static Natives load() {
            Path library = Path.of(LibUtils.getLibtorchPath()).resolve(System.mapLibraryName("torch_cpu"));
            try {
                NativeLibrary lib = NativeLibrary.getInstance(library.toString());
                return new Natives(
                        lib.getFunction("_ZN2at8autocast20set_autocast_enabledEN3c1010DeviceTypeEb"),
                        lib.getFunction("_ZN2at8autocast19is_autocast_enabledEN3c1010DeviceTypeE"),
                        lib.getFunction("_ZN2at8autocast18set_autocast_dtypeEN3c1010DeviceTypeENS1_10ScalarTypeE"),
                        lib.getFunction("_ZN2at8autocast18get_autocast_dtypeEN3c1010DeviceTypeE"),
                        lib.getFunction("_ZN2at8autocast11clear_cacheEv"));
            } catch (UnsatisfiedLinkError e) {
                throw new MixedPrecisionUnavailableException(
                        "mixed precision needs libtorch's autocast functions"
                                + " (at::autocast::set_autocast_enabled(DeviceType, bool), libtorch 2.4 or later) in "
                                + library
                                + ", which this libtorch (" + LibUtils.getVersion()
                                + ") does not export: train in fp32, or run"
                                + " the trainer with the libtorch DJL 0.36 ships (2.7.1)",
                        e);
            }
        }

        void setEnabled(byte deviceType, boolean on) {
            setEnabledFn.invokeVoid(new Object[] {deviceType, on ? (byte) 1 : (byte) 0});
        }

        boolean isEnabled(byte deviceType) {
            return (isEnabledFn.invokeInt(new Object[] {deviceType}) & 0xff) != 0;
        }

        void setDtype(byte deviceType, byte type) {
            setDtypeFn.invokeVoid(new Object[] {deviceType, type});
        }

        byte dtype(byte deviceType) {
            return (byte) getDtypeFn.invokeInt(new Object[] {deviceType});
        }

        void clearCache() {
            clearCacheFn.invokeVoid(new Object[0]);
        }
    }
}
