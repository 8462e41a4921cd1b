package dev.tlab.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlab.trainer.engine.ChannelsLast;
import dev.tlab.trainer.engine.EngineSettings;
import dev.tlab.trainer.engine.data.PrefetchBudget;
import dev.tlab.trainer.engine.resources.ContainerCpus;
import dev.tlab.trainer.engine.resources.DirectMemory;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The engine the service builds carries the node-level settings of {@code tlab.trainer.*}, read by the real config
 * mapping from their documented keys: a setting that parses but never reaches the engine would only show as a slower
 * (or differently laid out) run.
 */
class TrainerBeansTest {

    private static EngineSettings engineSettings(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(Map.of(
                "tlab.trainer.checkpoint-dir", "/tmp/tlab-checkpoints",
                "tlab.trainer.model-cache", "/tmp/tlab-models",
                "tlab.trainer.data-cache", "/tmp/tlab-data",
                "tlab.trainer.model-store", "/tmp/tlab-kept"));
        all.putAll(settings);
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(TrainerConfig.class)
                .withSources(new PropertiesConfigSource(all, "test", 100))
                .build();
        return new TrainerBeans()
                .engine(config.getConfigMapping(TrainerConfig.class))
                .settings();
    }

    @Test
    void channelsLastReachesTheEngine() {
        assertEquals(
                ChannelsLast.ON,
                engineSettings(Map.of("tlab.trainer.channels-last", "true")).channelsLast());
        assertEquals(
                ChannelsLast.OFF,
                engineSettings(Map.of("tlab.trainer.channels-last", "FALSE")).channelsLast());
        assertEquals(ChannelsLast.AUTO, engineSettings(Map.of()).channelsLast(), "decided per job by default");
    }

    @Test
    void aChannelsLastThatIsNotAutoTrueOrFalseFailsTheStartNamingTheKey() {
        // read as a boolean, "maybe" (or "on", "1") was silently false
        for (String bad : new String[] {"maybe", "on"}) {
            Exception e =
                    assertThrows(Exception.class, () -> engineSettings(Map.of("tlab.trainer.channels-last", bad)));
            String message = String.valueOf(e.getMessage());
            assertTrue(message.contains("tlab.trainer.channels-last"), message);
            assertTrue(message.contains("auto, true or false"), message);
        }
    }

    @Test
    void deviceDataThreadsAndPrefetchReachTheEngine() {
        EngineSettings settings = engineSettings(Map.of(
                "tlab.trainer.device",
                "cpu",
                "tlab.trainer.data-threads",
                "3",
                "tlab.trainer.prefetch-batches",
                "5",
                "tlab.trainer.prefetch-bytes",
                "100000000"));
        assertEquals("cpu", settings.device());
        assertEquals(3, settings.dataThreads());
        assertEquals(new PrefetchBudget(100_000_000, 5), settings.prefetch());
        EngineSettings derived = engineSettings(Map.of("tlab.trainer.data-threads", "3"));
        assertEquals("auto", derived.device());
        assertEquals(6, derived.prefetch().maxBatches(), "two batches ahead per data thread unless set");
        assertEquals(
                (long) (DirectMemory.max() * PrefetchBudget.DEFAULT_SHARE_OF_DIRECT_MEMORY),
                derived.prefetch().bytes(),
                "half the direct-memory cap unless set");
        assertEquals(
                ContainerCpus.detect().dataThreads(0),
                engineSettings(Map.of()).dataThreads(),
                "from the container's CPUs unless set");
    }
}
