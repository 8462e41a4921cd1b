package dev.tlab.trainer.engine.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds small safetensors files for tests (the layout of huggingface/safetensors' format description). */
final class SafetensorsWriter {

    /** One tensor: dtype as in the format ("F32", "F16"), shape, and raw little-endian bytes. */
    record Tensor(String dtype, long[] shape, byte[] bytes) {
        static Tensor f32(long[] shape, float[] values) {
            ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(values);
            return new Tensor("F32", shape, b.array());
        }
    }

    private final Map<String, Tensor> tensors = new LinkedHashMap<>();

    SafetensorsWriter put(String name, Tensor tensor) {
        tensors.put(name, tensor);
        return this;
    }

    Path write(Path file) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("__metadata__", Map.of("format", "pt"));
        long offset = 0;
        for (var e : tensors.entrySet()) {
            long end = offset + e.getValue().bytes().length;
            header.put(
                    e.getKey(),
                    Map.of(
                            "dtype",
                            e.getValue().dtype(),
                            "shape",
                            e.getValue().shape(),
                            "data_offsets",
                            List.of(offset, end)));
            offset = end;
        }
        byte[] json = new ObjectMapper().writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(ByteBuffer.allocate(8)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .putLong(json.length)
                    .array());
            out.write(json);
            for (Tensor t : tensors.values()) {
                out.write(t.bytes());
            }
        }
        return file;
    }
}
