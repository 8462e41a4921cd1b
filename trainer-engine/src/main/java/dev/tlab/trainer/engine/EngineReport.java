package dev.tlab.trainer.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the training engine found when it started: which libtorch DJL loaded and from where, how many GPUs it can use,
 * and the device jobs will run on. {@code ready} is false when the trainer must not take jobs; {@code reason} then says
 * why and what to do.
 *
 * @param requestedDevice the device setting ({@code auto}, {@code cpu}, {@code gpu}, {@code gpu:N})
 * @param engine the DJL engine name, null when it did not load
 * @param libtorchVersion the libtorch version DJL reports (e.g. {@code 2.7.1})
 * @param flavor {@code cpu}, a CUDA flavour such as {@code cu128}, or {@code cuda} when the CUDA version is unknown
 * @param libtorchPath the folder DJL loaded libtorch from
 * @param gpuCount GPUs the engine can use (CUDA libtorch, CUDA available, devices counted by the CUDA runtime)
 * @param cudaRuntime the CUDA runtime version DJL's GPU detection found on the system library path (e.g. {@code 12.8}),
 *     null when none was loaded
 * @param device the device jobs run on ({@code gpu(0)}, {@code cpu()}), null when none can be used
 * @param warning something an operator should know although the trainer is ready, or null
 * @param settings the DJL settings in effect (environment variable or system property), unset ones left out
 */
public record EngineReport(
        String requestedDevice,
        boolean ready,
        String reason,
        String engine,
        String djlVersion,
        String libtorchVersion,
        String flavor,
        String libtorchPath,
        int gpuCount,
        String cudaRuntime,
        String device,
        String warning,
        Map<String, String> settings) {

    public EngineReport {
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    public boolean trainsOnGpu() {
        return device != null && device.startsWith("gpu");
    }

    /** The report as flat key/value pairs (health-check data, logs); null values are left out. */
    public Map<String, Object> asData() {
        Map<String, Object> data = new LinkedHashMap<>();
        put(data, "requestedDevice", requestedDevice);
        put(data, "device", device);
        put(data, "engine", engine);
        put(data, "djlVersion", djlVersion);
        put(data, "libtorchVersion", libtorchVersion);
        put(data, "flavor", flavor);
        put(data, "libtorchPath", libtorchPath);
        data.put("gpuCount", gpuCount);
        put(data, "cudaRuntime", cudaRuntime);
        put(data, "reason", reason);
        put(data, "warning", warning);
        settings.forEach((k, v) -> data.put("setting." + k, v));
        return data;
    }

    /** One line for a log. */
    public String summary() {
        String engineText = engine == null
                ? "no engine"
                : engine + " (libtorch " + libtorchVersion + ", " + flavor + ", from " + libtorchPath + ")";
        return (ready ? "ready" : "NOT READY") + ": device " + requestedDevice + " -> "
                + (device == null ? "none" : device) + "; " + engineText + "; GPUs usable: " + gpuCount
                + (cudaRuntime == null ? "" : "; CUDA runtime " + cudaRuntime)
                + (reason == null ? "" : "; reason: " + reason)
                + (warning == null ? "" : "; warning: " + warning);
    }

    private static void put(Map<String, Object> data, String key, Object value) {
        if (value != null) {
            data.put(key, value);
        }
    }
}
