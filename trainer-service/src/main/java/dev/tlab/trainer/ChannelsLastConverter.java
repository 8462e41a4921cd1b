package dev.tlab.trainer;

import dev.tlab.trainer.engine.ChannelsLast;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * Reads {@code tlab.trainer.channels-last}: {@code auto}, {@code true} or {@code false}. Anything else fails the start,
 * the config naming the key (a boolean key used to read any other word as false).
 */
public final class ChannelsLastConverter implements Converter<ChannelsLast> {
    @Override
    public ChannelsLast convert(String value) {
        return ChannelsLast.of(value);
    }
}
