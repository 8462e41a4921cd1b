package dev.tlab.contracts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.time.Instant;
import java.util.stream.Collectors;

/**
 * The one JSON mapping of every message (UTF-8). Events between our own services are read tolerantly: unknown fields
 * are ignored so that older readers accept newer writers (the {@code schemaVersion} says what changed); a missing
 * required field, a wrong type or a bad value fails with the field's name. Requests from people and scripts are read
 * strictly by {@link Requests}, with the same mapping.
 */
public final class EventCodec {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            // after JavaTimeModule, so that its Instant reader is this one (which falls back to JavaTimeModule's)
            .addModule(new SimpleModule("canonical-instants")
                    .addDeserializer(Instant.class, new CanonicalInstantDeserializer()))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .build();

    private EventCodec() {}

    /** The shared mapper, for frameworks that want one (e.g. a REST layer); do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String toJson(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public static byte[] toBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public static <T> T fromJson(String json, Class<T> type) {
        return read(MAPPER, json, type);
    }

    /** Reads with the given mapper (this tolerant one, or {@link Requests}' strict one); failures name the field. */
    static <T> T read(ObjectMapper mapper, String json, Class<T> type) {
        return read(json == null || json.isBlank(), type, () -> mapper.readValue(json, type));
    }

    /**
     * Reads a message as it comes from Kafka: UTF-8 bytes, parsed as bytes (no String copy first, which cost a fifth of
     * the results service's decoding), so bytes that are not UTF-8 are malformed rather than silently replaced.
     */
    public static <T> T fromBytes(byte[] json, Class<T> type) {
        return read(json == null || isBlank(json), type, () -> MAPPER.readValue(json, type));
    }

    private interface Parse<T> {
        T value() throws IOException;
    }

    private static <T> T read(boolean empty, Class<T> type, Parse<T> parse) {
        if (empty) {
            throw new MalformedEventException("$", "empty message, expected a JSON " + type.getSimpleName(), null);
        }
        try {
            T value = parse.value();
            if (value == null) {
                throw new MalformedEventException("$", "null message, expected a JSON " + type.getSimpleName(), null);
            }
            return value;
        } catch (IOException e) {
            throw malformed(e, type);
        }
    }

    /** Whether the bytes are only JSON whitespace (or nothing), as {@link String#isBlank()} for the String form. */
    private static boolean isBlank(byte[] json) {
        for (byte b : json) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private static MalformedEventException malformed(IOException e, Class<?> type) {
        if (e instanceof ValueInstantiationException vie && vie.getCause() instanceof InvalidFieldException ife) {
            return new MalformedEventException(join(path(vie), ife.field()), ife.reason(), e);
        }
        if (e instanceof InvalidTypeIdException itie) {
            String id = itie.getTypeId();
            return new MalformedEventException(
                    join(path(itie), "type"), id == null ? "is required" : "unknown event type " + Fields.quote(id), e);
        }
        if (e instanceof UnrecognizedPropertyException upe) {
            return new MalformedEventException(
                    orWhole(path(upe)),
                    "unknown field " + Fields.quote(upe.getPropertyName()) + " (known fields: " + knownFields(upe)
                            + ")",
                    e);
        }
        if (e instanceof InvalidNullException ine) {
            return new MalformedEventException(orWhole(path(ine)), "must not be null", e);
        }
        if (e instanceof InvalidFormatException ife
                && ife.getValue() instanceof Number number
                && isInteger(ife.getTargetType())) {
            return new MalformedEventException(orWhole(path(ife)), "must be an integer, was " + number, e);
        }
        if (e instanceof MismatchedInputException mie
                && String.valueOf(mie.getOriginalMessage()).startsWith("Trailing")) {
            return new MalformedEventException("$", "unexpected content after the JSON value", e);
        }
        if (e instanceof MismatchedInputException mie) {
            String target =
                    mie.getTargetType() == null ? "value" : mie.getTargetType().getSimpleName();
            return new MalformedEventException(orWhole(path(mie)), "wrong type, expected " + target, e);
        }
        if (e instanceof JsonMappingException jme) {
            return new MalformedEventException(orWhole(path(jme)), jme.getOriginalMessage(), e);
        }
        return new MalformedEventException(
                "$",
                "not valid JSON for " + type.getSimpleName() + ": "
                        + e.getMessage().lines().findFirst().orElse(""),
                e);
    }

    private static String knownFields(UnrecognizedPropertyException e) {
        return e.getKnownPropertyIds() == null
                ? "none"
                : e.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
    }

    private static boolean isInteger(Class<?> type) {
        return type == Integer.class
                || type == int.class
                || type == Long.class
                || type == long.class
                || type == Short.class
                || type == short.class;
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }

    /**
     * A nested record names its field relative to itself ("job.attempt"), or by its whole path from the request
     * ("dataset.source.sha256"); avoid repeating the parent's name.
     */
    private static String join(String path, String field) {
        if (path.isEmpty() || field.equals(path) || field.startsWith(path + ".")) {
            return field;
        }
        String lastSegment = path.substring(path.lastIndexOf('.') + 1);
        if (field.equals(lastSegment)) {
            return path; // a value's own factory names the field it was given for
        }
        return field.startsWith(lastSegment + ".")
                ? path.substring(0, path.length() - lastSegment.length()) + field
                : path + "." + field;
    }

    private static String orWhole(String path) {
        return path.isEmpty() ? "$" : path;
    }
}
