package dev.tlab.trainer.engine;

import ai.djl.Device;
import java.util.Locale;

/**
 * Chooses the training device from a setting ({@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}) and the number
 * of GPUs the engine sees. Pure, so the rule is unit-tested without a GPU.
 */
public final class DeviceSelector {

    private DeviceSelector() {}

    public static Device select(String setting, int gpuCount) {
        String s =
                setting == null || setting.isBlank() ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
        if (s.equals("auto")) {
            return gpuCount > 0 ? Device.gpu(0) : Device.cpu();
        }
        if (s.equals("cpu")) {
            return Device.cpu();
        }
        if (s.equals("gpu") || s.startsWith("gpu:")) {
            int index = s.equals("gpu") ? 0 : parseIndex(s);
            if (gpuCount == 0) {
                throw new IllegalStateException("device '" + setting + "' was requested but the PyTorch engine"
                        + " sees no GPU (CUDA natives missing, or no GPU on this node); use 'auto' or 'cpu'");
            }
            if (index >= gpuCount) {
                throw new IllegalStateException(
                        "device '" + setting + "' was requested but only " + gpuCount + " GPU(s) are visible");
            }
            return Device.gpu(index);
        }
        throw new IllegalArgumentException("unknown device setting '" + setting + "': use auto, cpu, gpu or gpu:N");
    }

    private static int parseIndex(String s) {
        try {
            int i = Integer.parseInt(s.substring(4));
            if (i < 0) {
                throw new NumberFormatException();
            }
            return i;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad GPU index in device setting '" + s + "'", e);
        }
    }
}
