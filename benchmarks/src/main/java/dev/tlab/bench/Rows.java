package dev.tlab.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The rows the stack benchmarks hand to the report: one JSON object per figure, named by its {@code section}. */
final class Rows {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Rows() {}

    /** A new row of {@code section} (the name {@link Report} files it under). */
    static ObjectNode row(String section) {
        ObjectNode n = JSON.createObjectNode();
        n.put("section", section);
        return n;
    }

    static double[] array(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
