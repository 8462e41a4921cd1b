package dev.tlab.trainer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

class DeviceSelectorTest {

    @Test
    void autoPrefersGpu() {
        assertEquals(Device.gpu(0), DeviceSelector.select("auto", 2));
        assertEquals(Device.cpu(), DeviceSelector.select("auto", 0));
        assertEquals(Device.cpu(), DeviceSelector.select(null, 0));
    }

    @Test
    void explicitSettings() {
        assertEquals(Device.cpu(), DeviceSelector.select("CPU", 4));
        assertEquals(Device.gpu(0), DeviceSelector.select("gpu", 1));
        assertEquals(Device.gpu(1), DeviceSelector.select("gpu:1", 2));
    }

    @Test
    void gpuRequestedButAbsentIsAClearError() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> DeviceSelector.select("gpu", 0));
        assertTrue(e.getMessage().contains("sees no GPU"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> DeviceSelector.select("gpu:3", 2));
        assertThrows(IllegalArgumentException.class, () -> DeviceSelector.select("tpu", 2));
    }
}
