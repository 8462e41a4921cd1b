package dev.tlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorProfileTest {

    private static OperatorProfile.Event e(String name, String thread, double start, double duration) {
        return new OperatorProfile.Event(name, thread, start, duration);
    }

    @Test
    void selfTimeIsTheDurationLessWhatIsNestedOnTheSameThread() {
        // one step: conv2d (100 us) encloses mkldnn_convolution (80 us), which encloses empty (5 us); a backward on
        // another thread overlaps in time but is not nested
        OperatorProfile p = OperatorProfile.of(
                List.of(
                        e("aten::empty", "1", 10, 5),
                        e("aten::conv2d", "1", 0, 100),
                        e("aten::mkldnn_convolution", "1", 5, 80),
                        e("convolution_backward", "2", 20, 50)),
                1);
        assertEquals(0.020, p.operator("aten::conv2d").selfMs(), 1e-9);
        assertEquals(0.075, p.operator("aten::mkldnn_convolution").selfMs(), 1e-9);
        assertEquals(0.005, p.operator("aten::empty").selfMs(), 1e-9);
        assertEquals(0.050, p.operator("convolution_backward").selfMs(), 1e-9);
        assertEquals(0.150, p.selfMsPerStep(), 1e-9);
        assertEquals(0.100, p.operator("aten::conv2d").totalMs(), 1e-9);
    }

    @Test
    void undisturbedTakesEachCallAtItsShortestOverTheSteps() {
        // two calls per step, three steps: the first call 10, 30, 12 us; the second 50, 52, 90 us
        OperatorProfile p = OperatorProfile.of(
                List.of(
                        e("conv", "1", 0, 10),
                        e("conv", "1", 100, 50),
                        e("conv", "1", 1000, 30),
                        e("conv", "1", 1100, 52),
                        e("conv", "1", 2000, 12),
                        e("conv", "1", 2100, 90)),
                3);
        OperatorProfile.Operator conv = p.operator("conv");
        assertEquals(2, conv.calls(), 1e-9);
        assertEquals((10 + 50 + 30 + 52 + 12 + 90) / 3.0 / 1000, conv.selfMs(), 1e-9);
        assertEquals((10 + 50) / 1000.0, conv.undisturbedMs(), 1e-9);
        assertEquals(0, p.operator("absent").selfMs());
    }

    @Test
    void readsLibtorchsAndTorchsTraceFormats(@TempDir Path dir) throws Exception {
        // libtorch's profiler (DJL) writes string-free numbers with fractions and a shape; torch 1.13's legacy profiler
        // whole microseconds; kineto wraps the events in traceEvents. Metadata events ("ph": "M") are not operators.
        Path djl = dir.resolve("djl.json");
        Files.writeString(
                djl,
                "[\n{\"name\": \"aten::add_\", \"ph\": \"X\", \"ts\": 1117.5, \"dur\": 4.5, \"tid\": 1,"
                        + " \"pid\": \"CPU Functions\", \"shape\": [[64]], \"args\": {}},\n{\"name\": \"process_name\","
                        + " \"ph\": \"M\", \"pid\": 1}\n]");
        Path kineto = dir.resolve("kineto.json");
        Files.writeString(
                kineto,
                "{\"traceEvents\": [{\"name\": \"aten::add_\", \"ph\": \"X\", \"ts\": \"10\","
                        + " \"dur\": 3, \"tid\": 7}]}");
        assertEquals(0.0045, OperatorProfile.read(djl, 1).operator("aten::add_").selfMs(), 1e-12);
        assertEquals(1, OperatorProfile.read(djl, 1).operators().size());
        assertEquals(
                0.003, OperatorProfile.read(kineto, 1).operator("aten::add_").selfMs(), 1e-12);
    }

    @Test
    void theHeaviestOperatorsOfEitherSideComeFirst() {
        OperatorProfile a = OperatorProfile.of(List.of(e("bn", "1", 0, 300), e("conv", "1", 400, 200)), 1);
        OperatorProfile b = OperatorProfile.of(List.of(e("conv", "1", 0, 500), e("relu", "1", 600, 10)), 1);
        assertEquals(List.of("conv", "bn"), OperatorProfile.heaviest(List.of(a, b), 2));
    }

    @Test
    void profileRowsReadWhatTheyWrite() {
        assertEquals(ProfileRow.DEFAULT, ProfileRow.parseAll(ProfileRow.format(ProfileRow.DEFAULT)));
        assertEquals(
                "fp32 channels-last",
                ProfileRow.parse("partial/224/channels-last").setting());
        assertEquals("full-32-fp32.json", ProfileRow.parse("full/32/fp32").fileName());
        assertThrows(IllegalArgumentException.class, () -> ProfileRow.parse("full/32/bf16"));
    }

    @Test
    void processCpuCountsAfterTheCommandName() {
        // proc(5): pid (comm) state ppid ... minflt is field 10, utime and stime 14 and 15; the name may hold spaces
        // and ')'
        String stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 17354 0 0 0 1234 56 0 0 20 0 30 0 1000";
        ProcessCpu cpu = ProcessCpu.parse(stat);
        assertEquals(12.34, cpu.userSeconds(), 1e-9);
        assertEquals(0.56, cpu.systemSeconds(), 1e-9);
        assertEquals(17354, cpu.minorFaults(), 1e-9);
        ProcessCpu later = new ProcessCpu(13.34, 1.56, 20000);
        assertEquals(1.0, later.minus(cpu).userSeconds(), 1e-9);
        assertEquals(2646, later.minus(cpu).minorFaults(), 1e-9);
    }
}
