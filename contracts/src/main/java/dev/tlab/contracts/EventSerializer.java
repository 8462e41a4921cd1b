package dev.tlab.contracts;

import org.apache.kafka.common.serialization.Serializer;

/** Kafka value serializer for any message of this module. */
public class EventSerializer implements Serializer<Object> {
    @Override
    public byte[] serialize(String topic, Object event) {
        return event == null ? null : EventCodec.toBytes(event);
    }
}
