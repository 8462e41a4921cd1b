package dev.tlab.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DefaultDeserializationContext;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fast reader of canonical instants reads exactly what java.time reads, and leaves everything else to it. */
class CanonicalInstantDeserializerTest {

    /** jackson-datatype-jsr310 alone: what the codec read before the fast path, and still reads off it. */
    private static final ObjectMapper GENERAL =
            JsonMapper.builder().addModule(new JavaTimeModule()).build();

    @Test
    void readsEveryInstantAsWrittenExactlyAsJavaTimeDoes() {
        List<Instant> instants = new ArrayList<>(List.of(
                Instant.EPOCH,
                Instant.parse("2024-02-29T23:59:59.999999999Z"),
                Instant.parse("9999-12-31T23:59:59Z"),
                Instant.parse("0000-01-01T00:00:00Z"),
                Instant.parse("1969-12-31T23:59:59.5Z"),
                Instant.now()));
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            long seconds = random.nextLong(
                    Instant.parse("0000-01-01T00:00:00Z").getEpochSecond(),
                    Instant.parse("9999-12-31T23:59:59Z").getEpochSecond());
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            instants.add(Instant.ofEpochSecond(seconds, nanos));
        }
        for (Instant instant : instants) {
            String written = EventCodec.toJson(instant);
            assertEquals(
                    instant, CanonicalInstantDeserializer.parse(written.substring(1, written.length() - 1)), written);
            assertEquals(instant, EventCodec.fromJson(written, Instant.class), written);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-11-28T00:00:00.1Z",
                "2026-11-28T00:00:00.12Z",
                "2026-11-28T00:00:00.1234Z",
                "2026-11-28T00:00:00.12345678Z"
            })
    void readsFractionsOfAnyLength(String text) {
        assertEquals(Instant.parse(text), CanonicalInstantDeserializer.parse(text));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-02-30T00:00:00Z",
                "2026-13-01T00:00:00Z",
                "2026-11-28T24:00:00Z",
                "2026-11-28T23:60:00Z",
                "2026-11-28T23:59:60Z",
                "+12026-11-28T00:00:00Z",
                "2026-11-28T00:00:00+01:00",
                "2026-11-28T00:00:00.Z",
                "2026-11-28T00:00:00.1234567890Z",
                "2026-11-28 00:00:00Z",
                "2026-11-28T00:00Z",
                "",
                "yesterday"
            })
    void leavesAnythingElseToJavaTimeWithItsAnswer(String text) throws Exception {
        assertNull(CanonicalInstantDeserializer.parse(text), text);
        String json = EventCodec.toJson(text);
        Object general;
        try {
            general = GENERAL.readValue(json, Instant.class);
        } catch (Exception e) {
            general = e.getClass();
        }
        Object ours;
        try {
            ours = EventCodec.fromJson(json, Instant.class);
        } catch (MalformedEventException e) {
            ours = e.getCause() == null ? null : e.getCause().getClass(); // null: jsr310 reads "" as null
        }
        assertEquals(general, ours, text);
    }

    @Test
    void numbersStillReadAsEpochSeconds() {
        assertEquals(
                GENERAL.convertValue(1_700_000_000.5, Instant.class),
                EventCodec.fromJson("1700000000.5", Instant.class));
    }

    @Test
    void theCodecUsesIt() throws Exception {
        var mapper = EventCodec.mapper();
        assertInstanceOf(
                CanonicalInstantDeserializer.class,
                ((DefaultDeserializationContext) mapper.getDeserializationContext())
                        .createInstance(mapper.getDeserializationConfig(), null, null)
                        .findRootValueDeserializer(mapper.constructType(Instant.class)));
    }
}
