package dev.tlab.contracts;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict reading of what people and scripts send: {@code POST /experiments}, the {@code experiments} topic and the
 * trainer's {@code POST /plan}. Unlike events between our own services ({@link EventCodec}, tolerant), a request is
 * rejected naming the field when it has an unknown field (a typo such as {@code "epoch"} must not silently train the
 * default), a fraction or a string where an integer is meant, a string where a number or a boolean is meant, a repeated
 * key, trailing content, or text that is not UTF-8.
 */
public final class Requests {
    private static final ObjectMapper STRICT = ((JsonMapper) EventCodec.mapper())
            .rebuild()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .withCoercionConfig(
                    LogicalType.Integer,
                    c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .withCoercionConfig(
                    LogicalType.Float,
                    c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .withCoercionConfig(
                    LogicalType.Boolean,
                    c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
            .withCoercionConfig(
                    LogicalType.Textual,
                    c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private Requests() {}

    /** The body of {@code POST /experiments}. */
    public static ExperimentSubmission submission(String json) {
        return read(json, ExperimentSubmission.class);
    }

    /** An ExperimentRequested from the {@code experiments} topic, read by the same rules as the REST body. */
    public static ExperimentRequested experiment(byte[] json) {
        return read(utf8(json), ExperimentRequested.class);
    }

    public static ExperimentRequested experiment(String json) {
        return read(json, ExperimentRequested.class);
    }

    public static <T> T read(String json, Class<T> type) {
        return EventCodec.read(STRICT, json, type);
    }

    private static String utf8(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedEventException("$", "not UTF-8 text: " + e.getMessage(), e);
        }
    }
}
