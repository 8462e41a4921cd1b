package dev.tlab.trainer.job;

import dev.tlab.contracts.RunEnvironment;
import dev.tlab.trainer.engine.EngineReport;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The record of what runs this trainer's jobs: the engine probe's findings, the service version, the replica and the
 * memory format of a job's images.
 */
public final class RunEnvironments {
    private RunEnvironments() {}

    /**
     * @param report the engine probe's outcome, null while it has not finished
     * @param channelsLast whether the job runs channels-last: the engine's {@code tlab.trainer.channels-last} setting
     *     as decided for that job ({@link dev.tlab.trainer.engine.ChannelsLast#forJob})
     */
    public static RunEnvironment of(EngineReport report, String instance, boolean channelsLast) {
        String version = ConfigProvider.getConfig()
                .getOptionalValue("quarkus.application.version", String.class)
                .orElse(null);
        String memoryFormat = RunEnvironment.memoryFormat(channelsLast);
        if (report == null) {
            return new RunEnvironment(null, null, null, null, version, instance, memoryFormat);
        }
        return new RunEnvironment(
                report.engine(),
                report.djlVersion(),
                report.libtorchVersion(),
                report.flavor(),
                version,
                instance,
                memoryFormat);
    }
}
