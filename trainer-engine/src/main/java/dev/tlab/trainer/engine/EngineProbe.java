package dev.tlab.trainer.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.Utils;
import ai.djl.util.cuda.CudaUtils;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts DJL's PyTorch engine and finds out what it really got, rather than what the settings ask for: the libtorch
 * folder DJL 0.36 resolved ({@code LibUtils.getLibtorchPath()}), whether that folder is a CUDA build
 * ({@code libtorch_cuda.so} present), the GPUs the engine can use ({@code Engine.getGpuCount()}: libtorch's
 * {@code torch::cuda::is_available()} and the device count of the CUDA runtime that {@code CudaUtils} loads through
 * JNA), and that a computation really runs on the chosen device. Plain Java and DJL, so the trainer service,
 * {@code ./lab gpu-check} and the tests all use the same rules.
 */
public final class EngineProbe {

    /** DJL 0.36.0's settings that decide where libtorch comes from (read by DJL as env var or system property). */
    static final List<String> DJL_SETTINGS = List.of(
            "PYTORCH_LIBRARY_PATH",
            "PYTORCH_FLAVOR",
            "PYTORCH_VERSION",
            "PYTORCH_EXTRA_LIBRARY_PATH",
            "ENGINE_CACHE_DIR",
            "DJL_CACHE_DIR",
            "DJL_OFFLINE",
            "ai.djl.offline",
            "ai.djl.pytorch.num_threads",
            "ai.djl.pytorch.cudnn_benchmark",
            "jna.library.path");

    /**
     * DJL's cache folder names: {@code <version>[-<build date>]-<flavor>-<os>-<arch>}, e.g. 2.7.1-cu128-linux-x86_64.
     */
    private static final Pattern DJL_FOLDER =
            Pattern.compile("\\d+\\.\\d+\\.\\d+(?:-\\d+)?-((?:cpu|cu\\d{3})(?:-precxx11)?)-.+");

    private static final String TORCH = System.mapLibraryName("torch");
    private static final String TORCH_CUDA = System.mapLibraryName("torch_cuda");

    private EngineProbe() {}

    public static EngineReport probe(String deviceSetting) {
        String requested = deviceSetting == null || deviceSetting.isBlank() ? "auto" : deviceSetting.trim();
        Map<String, String> settings = settings();
        String explicit = settings.get("PYTORCH_LIBRARY_PATH");
        if (explicit != null && findLibtorchFolder(explicit) == null) {
            // DJL would silently fall back to the natives on the classpath, or try a download.
            return notLoaded(
                    requested,
                    settings,
                    "PYTORCH_LIBRARY_PATH=" + explicit + " holds no " + TORCH
                            + ": point it at the lib folder of libtorch " + expectedVersion()
                            + " (for a GPU: the cu128 build)");
        }
        Engine engine;
        try {
            engine = Engine.getEngine("PyTorch");
        } catch (RuntimeException | LinkageError e) {
            String why = causes(e);
            return notLoaded(
                    requested,
                    settings,
                    "the PyTorch engine did not load: " + why
                            + (explicit == null ? "" : " (libtorch from PYTORCH_LIBRARY_PATH=" + explicit + ")")
                            + (why.contains("libcuda.so")
                                    ? "; libcuda.so is the NVIDIA driver's library: without a GPU and"
                                            + " the NVIDIA container toolkit (a nvidia.com/gpu limit) a CUDA libtorch cannot load"
                                    : ""));
        }
        // before any work: libtorch sized its thread pool by the machine, not by this process's CPU limit
        IntraOpThreads.fitToProcessCpus();
        Path folder = Path.of(LibUtils.getLibtorchPath()).toAbsolutePath();
        boolean cudaBuild = Files.exists(folder.resolve(TORCH_CUDA));
        String flavor = flavor(folder, cudaBuild, settings.get("PYTORCH_FLAVOR"));
        int gpuCount = engine.getGpuCount();
        int runtimeGpus = CudaUtils.getGpuCount();
        String cudaRuntime = runtimeGpus > 0 ? cudaVersion(CudaUtils.getCudaVersion()) : null;

        String reason = null;
        String warning = null;
        Device device = null;
        try {
            device = DeviceSelector.select(requested, gpuCount);
        } catch (IllegalArgumentException badSetting) {
            reason = badSetting.getMessage();
        } catch (IllegalStateException noGpu) {
            reason = whyNoGpu(requested, gpuCount, cudaBuild, runtimeGpus, folder, noGpu.getMessage());
        }
        if (device != null) {
            reason = smokeTest(engine, device);
        }
        if (reason == null && !device.isGpu() && (cudaBuild || runtimeGpus > 0)) {
            warning = "device '" + requested + "' trains on the CPU although "
                    + (cudaBuild ? "libtorch is a CUDA build" : "the CUDA runtime sees " + runtimeGpus + " GPU(s)")
                    + "; set tlab.trainer.device=gpu on GPU nodes so that this cannot pass unnoticed";
        }
        String declared = settings.get("PYTORCH_FLAVOR");
        if (reason == null && declared != null && declared.startsWith("cu") != cudaBuild) {
            warning = "PYTORCH_FLAVOR=" + declared + " does not match the " + flavor + " libtorch in " + folder;
        }
        return new EngineReport(
                requested,
                reason == null,
                reason,
                engine.getEngineName(),
                Engine.getDjlVersion(),
                engine.getVersion(),
                flavor,
                folder.toString(),
                gpuCount,
                cudaRuntime,
                reason == null ? device.toString() : null,
                warning,
                settings);
    }

    /**
     * Why a requested GPU cannot be used, most specific cause first. Pure, so each case is unit-tested.
     *
     * @param runtimeGpus devices counted by the CUDA runtime that DJL's {@code CudaUtils} loads (0 when none loads)
     */
    static String whyNoGpu(
            String requested, int gpuCount, boolean cudaBuild, int runtimeGpus, Path folder, String selectorMessage) {
        if (!cudaBuild) {
            return "device '" + requested + "' was requested but DJL loaded a CPU build of libtorch (no " + TORCH_CUDA
                    + " in " + folder + "). A GPU trainer needs libtorch " + expectedVersion() + " for CUDA 12.8 in"
                    + " an explicit folder (PYTORCH_LIBRARY_PATH, PYTORCH_FLAVOR=cu128) and no pytorch-native-cpu on"
                    + " the classpath: use the CUDA image (trainer-service/src/main/docker/Dockerfile.cuda) or build"
                    + " with -Dgpu; ./lab gpu-check shows what is missing on a machine";
        }
        if (gpuCount == 0 && runtimeGpus == 0) {
            return "device '" + requested + "' was requested and libtorch in " + folder + " is a CUDA build, but no"
                    + " GPU is usable: the CUDA runtime (libcudart, loaded by DJL's CudaUtils) reports no device or"
                    + " is not on the library path. Give the pod a GPU (resources.limits nvidia.com/gpu: 1) on a node"
                    + " with the NVIDIA driver and container toolkit, or run with tlab.trainer.device=cpu";
        }
        if (gpuCount == 0) {
            return "device '" + requested + "' was requested: the CUDA runtime sees " + runtimeGpus + " GPU(s) but"
                    + " libtorch in " + folder + " reports CUDA as unavailable (an NVIDIA driver too old for CUDA"
                    + " 12.8 needs 570 or newer, or the driver libraries are not mounted into the container)";
        }
        return selectorMessage;
    }

    /** Runs one small computation on the device and reads it back: a GPU that libtorch cannot drive fails here. */
    private static String smokeTest(Engine engine, Device device) {
        try (NDManager manager = engine.newBaseManager(device)) {
            NDArray ones = manager.ones(new Shape(64, 64));
            float sum = ones.matMul(ones).sum().getFloat();
            if (sum != 64f * 64f * 64f) {
                return "a test computation on " + device + " gave " + sum + " instead of 262144";
            }
            return null;
        } catch (RuntimeException e) {
            return "libtorch cannot run on " + device + ": " + causes(e);
        }
    }

    static String flavor(Path folder, boolean cudaBuild, String declared) {
        if (!cudaBuild) {
            return "cpu";
        }
        Matcher named = DJL_FOLDER.matcher(
                folder.getFileName() == null ? "" : folder.getFileName().toString());
        if (named.matches() && named.group(1).startsWith("cu")) {
            return named.group(1);
        }
        if (declared != null && declared.startsWith("cu")) {
            return declared;
        }
        return "cuda";
    }

    /** The folder of {@code PYTORCH_LIBRARY_PATH} (a path list) that DJL would take, as DJL looks for it. */
    static Path findLibtorchFolder(String pathList) {
        for (String entry : pathList.split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isRegularFile(p) && p.getFileName().toString().equals(TORCH)) {
                return p.getParent();
            }
            if (Files.isRegularFile(p.resolve(TORCH))) {
                return p;
            }
        }
        return null;
    }

    /** The DJL settings in effect, looked up the way DJL does (environment first, then system property). */
    static Map<String, String> settings() {
        Map<String, String> in = new LinkedHashMap<>();
        for (String name : DJL_SETTINGS) {
            String value = Utils.getEnvOrSystemProperty(name);
            if (value != null && !value.isEmpty()) {
                in.put(name, value);
            }
        }
        return in;
    }

    /** The libtorch version this DJL build pairs with (from pytorch-engine's own properties). */
    static String expectedVersion() {
        String version = ai.djl.util.Platform.fromSystem("pytorch").getVersion();
        return version == null ? "2.7.1" : version;
    }

    private static String cudaVersion(int runtime) {
        return String.format(Locale.ROOT, "%d.%d", runtime / 1000, (runtime % 1000) / 10);
    }

    private static EngineReport notLoaded(String requested, Map<String, String> settings, String reason) {
        return new EngineReport(
                requested,
                false,
                reason,
                null,
                Engine.getDjlVersion(),
                null,
                null,
                null,
                0,
                null,
                null,
                null,
                settings);
    }

    /** The message chain of an exception, which for a native load failure names the missing library. */
    static String causes(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null && text.length() < 600; t = t.getCause()) {
            if (!text.isEmpty()) {
                text.append(" <- ");
            }
            text.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
        }
        return text.toString();
    }
}
