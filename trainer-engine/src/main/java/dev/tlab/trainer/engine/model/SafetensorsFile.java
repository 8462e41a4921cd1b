package dev.tlab.trainer.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A safetensors file (format of huggingface/safetensors): an 8-byte little-endian header length, a JSON header mapping
 * each tensor name to {@code dtype}, {@code shape} and {@code data_offsets} (relative to the end of the header), then
 * the raw little-endian tensor bytes. Everything is checked before a tensor is handed out, so a truncated or tampered
 * file is refused with what was expected instead of being read past its end.
 */
public final class SafetensorsFile {

    /** A header larger than this is not a weights file (the format's reference reader uses the same bound). */
    static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One tensor's entry in the header. */
    public record Entry(String name, String dtype, long[] shape, long begin, long end) {
        public long elements() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }

        public String shapeText() {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < shape.length; i++) {
                b.append(i == 0 ? "" : ", ").append(shape[i]);
            }
            return b.append(']').toString();
        }
    }

    private final Path file;
    private final ByteBuffer data;
    private final Map<String, Entry> entries;

    private SafetensorsFile(Path file, ByteBuffer data, Map<String, Entry> entries) {
        this.file = file;
        this.data = data;
        this.entries = entries;
    }

    /** Reads and checks the header; the tensor bytes are mapped, not copied. */
    public static SafetensorsFile open(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw bad(file, "it has " + size + " bytes, fewer than the 8-byte header length");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(lengthBytes, 0);
            long headerLength = lengthBytes.flip().getLong();
            if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES || headerLength > size - 8) {
                throw bad(
                        file,
                        "its header length " + headerLength + " does not fit a file of " + size
                                + " bytes (truncated, or not a safetensors file)");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            channel.read(header, 8);
            long dataSize = size - 8 - headerLength;
            Map<String, Entry> entries = parseHeader(file, header.array(), dataSize);
            ByteBuffer data = channel.map(FileChannel.MapMode.READ_ONLY, 8 + headerLength, dataSize)
                    .order(ByteOrder.LITTLE_ENDIAN);
            return new SafetensorsFile(file, data, entries);
        } catch (IOException e) {
            throw new ModelUnavailableException(
                    "model.weightsUri",
                    "Weights file " + file + " cannot be read: " + e.getMessage() + ". " + PretrainedWeights.HOW_TO,
                    true);
        }
    }

    private static Map<String, Entry> parseHeader(Path file, byte[] header, long dataSize) {
        JsonNode root;
        try {
            root = JSON.readTree(header);
        } catch (IOException e) {
            throw bad(
                    file,
                    "its header is not JSON ("
                            + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (root == null || !root.isObject()) {
            throw bad(file, "its header is not a JSON object");
        }
        Map<String, Entry> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if ("__metadata__".equals(field.getKey())) {
                continue;
            }
            out.put(field.getKey(), entry(file, field.getKey(), field.getValue(), dataSize));
        }
        return Collections.unmodifiableMap(out);
    }

    private static Entry entry(Path file, String name, JsonNode node, long dataSize) {
        JsonNode dtype = node.get("dtype");
        JsonNode shape = node.get("shape");
        JsonNode offsets = node.get("data_offsets");
        if (dtype == null
                || !dtype.isTextual()
                || shape == null
                || !shape.isArray()
                || offsets == null
                || !offsets.isArray()
                || offsets.size() != 2) {
            throw bad(file, "tensor '" + name + "' lacks dtype, shape or data_offsets [begin, end]");
        }
        long[] dims = new long[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            if (!shape.get(i).canConvertToLong() || shape.get(i).asLong() < 0) {
                throw bad(file, "tensor '" + name + "' has an invalid shape " + shape);
            }
            dims[i] = shape.get(i).asLong();
        }
        long begin = offsets.get(0).asLong(-1);
        long end = offsets.get(1).asLong(-1);
        if (begin < 0 || end < begin || end > dataSize) {
            throw bad(
                    file,
                    "tensor '" + name + "' claims bytes " + begin + ".." + end + " but the file holds " + dataSize
                            + " bytes of data (truncated?)");
        }
        Entry e = new Entry(name, dtype.asText(), dims, begin, end);
        int width = bytesPerElement(e.dtype());
        if (width > 0 && e.elements() * width != end - begin) {
            throw bad(
                    file,
                    "tensor '" + name + "' has shape " + e.shapeText() + " of " + e.dtype() + " ("
                            + e.elements() * width + " bytes) but " + (end - begin) + " bytes of data");
        }
        return e;
    }

    static int bytesPerElement(String dtype) {
        return switch (dtype) {
            case "F64", "I64", "U64" -> 8;
            case "F32", "I32", "U32" -> 4;
            case "F16", "BF16", "I16", "U16" -> 2;
            case "I8", "U8", "BOOL", "F8_E4M3", "F8_E5M2" -> 1;
            default -> 0;
        };
    }

    public Path file() {
        return file;
    }

    /** Tensor entries by name, in the header's order ({@code __metadata__} left out). */
    public Map<String, Entry> entries() {
        return entries;
    }

    /** The values of an F32 tensor. */
    public float[] floats(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no tensor '" + name + "' in " + file);
        }
        if (!"F32".equals(e.dtype())) {
            throw new IllegalArgumentException("tensor '" + name + "' is " + e.dtype() + ", not F32");
        }
        float[] out = new float[(int) e.elements()];
        data.slice((int) e.begin(), (int) (e.end() - e.begin()))
                .order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer()
                .get(out);
        return out;
    }

    /** Names in the header, for messages. */
    public List<String> names() {
        return new ArrayList<>(entries.keySet());
    }

    private static ModelUnavailableException bad(Path file, String problem) {
        return new ModelUnavailableException(
                "model.weightsUri",
                "Weights file " + file + " is not a valid safetensors file: " + problem + ". "
                        + PretrainedWeights.HOW_TO,
                true);
    }
}
