package dev.tlab.trainer.health;

import dev.tlab.trainer.engine.EngineReport;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the training device ({@code /q/health/ready}, check {@code training-device}): DOWN while the engine is
 * being probed and when it cannot train on the requested device, with the reason; the data always names the engine,
 * libtorch version, flavour and folder, the GPUs usable and the device jobs run on.
 */
@Readiness
@ApplicationScoped
public class TrainingDeviceReadiness implements HealthCheck {
    static final String NAME = "training-device";
    private final TrainingDeviceGate gate;

    public TrainingDeviceReadiness(TrainingDeviceGate gate) {
        this.gate = gate;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME);
        return gate.report()
                .map(r -> describe(response, r))
                .orElseGet(() -> response.down()
                        .withData("reason", "probing the training engine")
                        .build());
    }

    private static HealthCheckResponse describe(HealthCheckResponseBuilder response, EngineReport report) {
        response.status(report.ready());
        for (Map.Entry<String, Object> e : report.asData().entrySet()) {
            if (e.getValue() instanceof Number n) {
                response.withData(e.getKey(), n.longValue());
            } else {
                response.withData(e.getKey(), String.valueOf(e.getValue()));
            }
        }
        return response.build();
    }
}
