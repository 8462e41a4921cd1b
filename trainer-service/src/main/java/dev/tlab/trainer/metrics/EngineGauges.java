package dev.tlab.trainer.metrics;

import dev.tlab.trainer.engine.EngineReport;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the trainer trains on, as Prometheus gauges: {@code tl_trainer_engine_ready} (1 when jobs are taken),
 * {@code tl_trainer_gpu_count} (GPUs the engine can use) and {@code tl_trainer_engine_info} (always 1, labelled with
 * {@code engine}, {@code libtorch_version}, {@code flavor}, {@code requested_device} and {@code device}), so that a
 * dashboard or alert can find a pod that holds a GPU and trains on the CPU.
 */
@ApplicationScoped
public class EngineGauges {
    private final MeterRegistry registry;
    private final AtomicInteger ready = new AtomicInteger();
    private final AtomicInteger gpuCount = new AtomicInteger();

    public EngineGauges(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("tl.trainer.engine.ready", ready, AtomicInteger::get)
                .description("1 when the training device works and the trainer takes jobs, else 0")
                .register(registry);
        Gauge.builder("tl.trainer.gpu.count", gpuCount, AtomicInteger::get)
                .description("GPUs the PyTorch engine can use")
                .register(registry);
    }

    public void record(EngineReport report) {
        ready.set(report.ready() ? 1 : 0);
        gpuCount.set(report.gpuCount());
        Tags tags = Tags.of(
                "engine",
                orNone(report.engine()),
                "libtorch_version",
                orNone(report.libtorchVersion()),
                "flavor",
                orNone(report.flavor()),
                "requested_device",
                report.requestedDevice(),
                "device",
                orNone(report.device()));
        Gauge.builder("tl.trainer.engine.info", () -> 1)
                .tags(tags)
                .description("The engine, libtorch and device this trainer found at start")
                .register(registry);
    }

    private static String orNone(String value) {
        return value == null ? "none" : value;
    }
}
