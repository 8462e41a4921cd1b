package dev.tlab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The operators of a few profiled training steps, from a Chrome trace as libtorch's profiler writes it (DJL's
 * {@code JniUtils.stopProfile}) and as {@code torch.autograd.profiler.profile().export_chrome_trace} does: complete
 * events ({@code "ph": "X"}) with a name, a thread, a start and a duration in microseconds, nested by time.
 *
 * <p>Per operator name it gives the self time per step (the event's duration less that of the events nested in it on
 * the same thread) and an undisturbed estimate: the calls of one step in order, each call's shortest duration over the
 * profiled steps, summed. Both sides run the same network, so an operator whose self time differs while its undisturbed
 * time does not is slowed by something around the kernel (first touch of fresh memory, another thread), not by the
 * kernel itself.
 */
final class OperatorProfile {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The name of the comparison row that sums every operator. */
    static final String ALL = "all operators";

    /** One operator's figures per step. */
    record Operator(String name, double selfMs, double undisturbedMs, double totalMs, double calls) {}

    private final Map<String, Operator> operators;
    private final double selfMsPerStep;

    private OperatorProfile(Map<String, Operator> operators) {
        this.operators = operators;
        this.selfMsPerStep =
                operators.values().stream().mapToDouble(Operator::selfMs).sum();
    }

    static OperatorProfile read(Path trace, int steps) throws IOException {
        JsonNode root = JSON.readTree(trace.toFile());
        JsonNode events = root.isArray() ? root : root.path("traceEvents");
        List<Event> all = new ArrayList<>();
        for (JsonNode e : events) {
            if ("X".equals(e.path("ph").asText()) && e.has("dur") && e.has("name")) {
                all.add(new Event(
                        e.get("name").asText(), e.path("tid").asText(), number(e.get("ts")), number(e.get("dur"))));
            }
        }
        return of(all, steps);
    }

    /** The events of {@code steps} identical steps, in any order. */
    static OperatorProfile of(List<Event> events, int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1");
        }
        Map<String, List<Event>> byThread = new TreeMap<>();
        events.forEach(
                e -> byThread.computeIfAbsent(e.thread, t -> new ArrayList<>()).add(e));
        for (List<Event> thread : byThread.values()) {
            // a parent starts no later and lasts longer than what it encloses
            thread.sort(Comparator.comparingDouble((Event e) -> e.start).thenComparing(e -> -e.duration));
            Deque<Event> open = new ArrayDeque<>();
            for (Event e : thread) {
                while (!open.isEmpty() && open.peek().end() <= e.start + 1e-6) {
                    open.pop();
                }
                if (!open.isEmpty()) {
                    open.peek().self -= e.duration;
                }
                open.push(e);
            }
        }
        Map<String, List<Event>> byName = new LinkedHashMap<>();
        events.stream()
                .sorted(Comparator.comparingDouble(e -> e.start))
                .forEach(e ->
                        byName.computeIfAbsent(e.name, n -> new ArrayList<>()).add(e));
        Map<String, Operator> operators = new LinkedHashMap<>();
        byName.forEach((name, calls) -> {
            double self = calls.stream().mapToDouble(e -> e.self).sum();
            double total = calls.stream().mapToDouble(e -> e.duration).sum();
            operators.put(
                    name,
                    new Operator(
                            name,
                            self / steps / 1000,
                            undisturbed(calls, steps) / 1000,
                            total / steps / 1000,
                            (double) calls.size() / steps));
        });
        return new OperatorProfile(operators);
    }

    /**
     * The calls of one step, each at its shortest over the steps (self time). When the calls do not divide evenly into
     * steps (an operator of the first step only), the self time per step stands in.
     */
    private static double undisturbed(List<Event> calls, int steps) {
        if (calls.size() % steps != 0) {
            return calls.stream().mapToDouble(e -> e.self).sum() / steps;
        }
        int perStep = calls.size() / steps;
        double sum = 0;
        for (int i = 0; i < perStep; i++) {
            double min = Double.MAX_VALUE;
            for (int s = 0; s < steps; s++) {
                min = Math.min(min, calls.get(s * perStep + i).self);
            }
            sum += min;
        }
        return sum;
    }

    Operator operator(String name) {
        return operators.getOrDefault(name, new Operator(name, 0, 0, 0, 0));
    }

    Map<String, Operator> operators() {
        return operators;
    }

    /** The sum of every operator's self time per step: the time the profiler accounts for. */
    double selfMsPerStep() {
        return selfMsPerStep;
    }

    double undisturbedMsPerStep() {
        return operators.values().stream().mapToDouble(Operator::undisturbedMs).sum();
    }

    /** The operators that take the most self time per step on either side, largest first. */
    static List<String> heaviest(List<OperatorProfile> sides, int count) {
        Map<String, Double> largest = new LinkedHashMap<>();
        for (OperatorProfile p : sides) {
            p.operators.values().forEach(o -> largest.merge(o.name(), o.selfMs(), Math::max));
        }
        return largest.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(count)
                .map(Map.Entry::getKey)
                .toList();
    }

    private static double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : Double.parseDouble(n.asText());
    }

    /** A complete event; {@code self} starts as the duration and loses what is nested in it. */
    static final class Event {
        final String name;
        final String thread;
        final double start;
        final double duration;
        double self;

        Event(String name, String thread, double start, double duration) {
            this.name = name;
            this.thread = thread;
            this.start = start;
            this.duration = duration;
            this.self = duration;
        }

        double end() {
            return start + duration;
        }
    }
}
