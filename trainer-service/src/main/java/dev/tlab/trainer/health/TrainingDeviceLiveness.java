package dev.tlab.trainer.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness of the training device ({@code /q/health/live}, check {@code training-device}): DOWN, with the reason, once
 * a job left the device unusable (see {@link DeviceFaults}), so that Kubernetes replaces the pod and with it the broken
 * CUDA context. A device that was never usable keeps liveness UP (readiness says why), so its reason stays readable;
 * {@code tlab.trainer.startup.deadline} ends such a trainer instead.
 */
@Liveness
@ApplicationScoped
public class TrainingDeviceLiveness implements HealthCheck {
    private final TrainingDeviceGate gate;

    public TrainingDeviceLiveness(TrainingDeviceGate gate) {
        this.gate = gate;
    }

    @Override
    public HealthCheckResponse call() {
        return gate.fault()
                .map(reason -> HealthCheckResponse.named(TrainingDeviceReadiness.NAME)
                        .down()
                        .withData("reason", reason)
                        .build())
                .orElseGet(() -> HealthCheckResponse.up(TrainingDeviceReadiness.NAME));
    }
}
