package dev.tlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The trainer tables pair each DJL setting with PyTorch's same setting and with PyTorch fp32. */
class ReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void ratiosAreAgainstTheSameSettingAndAgainstFp32AndTheFastestSettingIsJudgedOnTheTarget() {
        ArrayNode all = JSON.createArrayNode();
        add(all, "djl", "fp32", 20);
        add(all, "djl", "fp32 channels-last", 32);
        add(all, "pytorch", "fp32", 20);
        add(all, "pytorch", "fp32 channels-last", 25);
        String md = new Report(all).markdown();
        // DJL channels-last 32 img/s: 1.28x PyTorch channels-last (25), 1.60x PyTorch fp32 (20)
        assertTrue(
                md.contains("| train | freeze | 224 | fp32 channels-last | 64 | 32.0 | 25.0 | 1.28 | 20.0 | 1.60 |"),
                md);
        assertTrue(
                md.contains("| freeze | fp32 channels-last | 32.0 | 20.0 | 1.60 | fp32 channels-last | 25.0 | met |"),
                md);
    }

    @Test
    void eachProcessShowsTheNativeSettingsItRanWithAndNothingForAnUnsetOne() throws Exception {
        ArrayNode all = JSON.createArrayNode();
        all.add(
                JSON.readTree(
                        "{\"section\":\"engine\",\"impl\":\"djl\",\"process\":\"djl-a\",\"djlVersion\":\"0.36.0\","
                                + "\"engineVersion\":\"2.7.1\",\"intraOpThreads\":2,\"interOpThreads\":1,\"ompWaitPolicy\":\"PASSIVE\","
                                + "\"gompSpinCount\":\"10000\",\"glibcTunables\":null,\"ldPreload\":\"libtcmalloc_minimal.so.4\"}"));
        all.add(JSON.readTree("{\"section\":\"engine\",\"impl\":\"pytorch\",\"process\":\"py-b\",\"torch\":\"1.13\","
                + "\"torchvision\":\"0.14\",\"python\":\"3.11\",\"intraOpThreads\":2,\"interOpThreads\":1,"
                + "\"ompWaitPolicy\":null,\"gompSpinCount\":null,\"ldPreload\":null}"));
        String md = new Report(all).markdown();
        assertTrue(
                md.contains("| djl-a | DJL 0.36.0, libtorch 2.7.1 | 2 | 1 | -Dai.djl.pytorch.num_threads,"
                        + " OMP_WAIT_POLICY=PASSIVE, GOMP_SPINCOUNT=10000, LD_PRELOAD=libtcmalloc_minimal.so.4 |"),
                md);
        assertTrue(
                md.contains("| py-b | PyTorch 1.13, torchvision 0.14, Python 3.11 | 2 | 1 | torch.set_num_threads,"
                        + " default allocator |"),
                md);
    }

    @Test
    void channelsLastAccuracyIsJudgedOnTheSeedsIntervalsAndAMissingStrategyFailsTheClaim() {
        ArrayNode all = JSON.createArrayNode();
        double[] freeze = {0.532, 0.558, 0.572};
        double[] partial = {0.678, 0.668, 0.704};
        for (int seed = 0; seed < 3; seed++) {
            accuracy(all, "freeze", "fp32", seed, freeze[seed]);
            accuracy(all, "freeze", "fp32 channels-last", seed, freeze[seed] + 0.004);
            accuracy(all, "partial", "fp32", seed, partial[seed]);
            accuracy(all, "partial", "fp32 channels-last", seed, partial[seed] - 0.2);
        }
        Report report = new Report(all);
        String md = report.markdown();
        assertTrue(
                md.contains(
                        "| freeze | fp32 channels-last | 3 | 53.2, 55.8, 57.2 | 55.4 | 50.36-60.44 | 53.6, 56.2, 57.6 |"
                                + " 55.8 |"),
                md);
        assertTrue(md.contains("| yes |"), md);
        assertTrue(md.contains("| NO |"), md);
        assertTrue(
                !md.contains("| bf16 channels-last |"),
                "bf16 did not run, so it is neither compared nor claimed: " + md);
        assertEquals(
                List.of("partial (fp32 channels-last)", "full (fp32 channels-last)"),
                report.accuracyChanged(),
                "full ran in neither setting");
        // where bf16 ran, it is judged the same way, and a strategy it did not run for fails its claim
        for (int seed = 0; seed < 3; seed++) {
            accuracy(all, "freeze", "bf16 channels-last", seed, freeze[seed] - 0.003);
        }
        report = new Report(all);
        assertTrue(report.markdown().contains("| freeze | bf16 channels-last | 3 |"), report.markdown());
        assertEquals(
                List.of(
                        "partial (fp32 channels-last)",
                        "full (fp32 channels-last)",
                        "partial (bf16 channels-last)",
                        "full (bf16 channels-last)"),
                report.accuracyChanged());
    }

    private static void accuracy(ArrayNode all, String strategy, String setting, int seed, double accuracy) {
        all.addObject()
                .put("kind", ChannelsLastAccuracy.KIND)
                .put("strategy", strategy)
                .put("setting", setting)
                .put("seed", seed)
                .put("testAccuracy", accuracy);
    }

    @Test
    void anIngestFigureOfSeveralRunsShowsEveryRunBesideTheMedian() {
        ArrayNode all = JSON.createArrayNode();
        var n = all.addObject()
                .put("section", "results-ingest")
                .put("shape", "notebook-shaped experiments")
                .put("events", 30003)
                .put("experiments", 1001)
                .put("eventsPerSecond", 24101.6)
                .put("publishEventsPerSecond", 50000.0);
        n.putArray("runsEventsPerSecond").add(15136.0).add(24101.6).add(29960.6);
        String md = new Report(all).markdown();
        assertTrue(md.contains("median of 3 runs (15136, 24102, 29961) |"), md);
        n.putArray("warmUpEventsPerSecond").add(9070.4).add(19206.0);
        md = new Report(all).markdown();
        assertTrue(md.contains("median of 3 runs (15136, 24102, 29961) after 2 warm-up runs (9070, 19206) |"), md);
        n.remove("runsEventsPerSecond");
        n.remove("warmUpEventsPerSecond");
        assertTrue(!new Report(all).markdown().contains("median of"), "a single run is not called a median");
    }

    @Test
    void memoryIsJudgedOnTheMedianOfEachSidesMemoryProcesses() {
        ArrayNode all = JSON.createArrayNode();
        double[][] peaks = {{1900, 1820, 1950}, {2200, 1860, 2100}};
        for (int i = 0; i < 3; i++) {
            all.addObject()
                    .put("section", "memory")
                    .put("plan", "memory")
                    .put("process", "djl-memory-t2-" + (i + 1))
                    .put("peakRssMiB", peaks[0][i]);
            all.addObject()
                    .put("section", "memory")
                    .put("plan", "memory")
                    .put("process", "pytorch-memory-t2-" + (i + 1))
                    .put("peakRssMiB", peaks[1][i]);
        }
        all.addObject()
                .put("section", "memory")
                .put("plan", "main")
                .put("process", "djl-main-t2")
                .put("peakRssMiB", 900);
        String md = new Report(all).markdown();
        // medians 1900 and 2100: 0.905; the main process is not one of them
        assertTrue(md.contains("| DJL | 3 | 1900 | 1900, 1820, 1950 | 0.905 |"), md);
        assertTrue(md.contains("| PyTorch | 3 | 2100 | 2200, 1860, 2100 | - |"), md);
    }

    private static void add(ArrayNode all, String impl, String setting, double rate) {
        all.addObject()
                .put("section", "trainer")
                .put("impl", impl)
                .put("process", impl + "-main-t2")
                .put("setting", setting)
                .put("kind", "train")
                .put("strategy", "freeze")
                .put("size", 224)
                .put("batch", 64)
                .put("threads", 2)
                .put("imagesPerSecond", rate);
    }

    @Test
    void theNotebookTablePairsEachSideOnTheSameSettingAndGivesTheShareOfThePeak() {
        ArrayNode all = JSON.createArrayNode();
        notebook(all, "djl", "notebook", "fp32", 8.9);
        notebook(all, "pytorch", "notebook", "fp32", 12.6);
        notebook(all, "djl", "notebook", "fp32 channels-last", 12.1);
        notebook(all, "pytorch", "notebook", "fp32 channels-last", 11.0);
        notebook(all, "djl", "notebook-model-alone", "fp32", 9.0);
        notebook(all, "pytorch", "notebook-model-alone", "fp32", 10.0);
        all.addObject()
                .put("section", "flops")
                .put("strategy", "freeze")
                .put("size", 224)
                .put("forwardMacs", 2_000_000_000L)
                .put("inputGradientMacs", 1_000_000_000L)
                .put("weightGradientMacs", 500_000_000L);
        all.add(PeakFlops.of("cpu MHz : 2450\nflags : avx2 fma\n", "", 2, 2).toJson());
        String md = new Report(all).markdown();
        // 7 GFLOP per image; 8.9 img/s = 62.3 GFLOP/s = 39.7 % of 156.8, 12.6 img/s = 56.3 %
        assertTrue(
                md.contains(
                        "| freeze | 224 | fp32 | 8.90 | 12.6 | 0.706 | 12.6 | 0.706 | 9.00 | 10.0 | 0.900 | 7.00 | 39.7 | 56.3 |"),
                md);
        assertTrue(
                md.contains(
                        "| freeze | 224 | fp32 channels-last | 12.1 | 11.0 | 1.10 | 12.6 | 0.960 | - | - | - | 7.00 | 54.0 | 49.1 |"),
                md);
        assertTrue(md.contains("peak 2 cores x 2.45 GHz (cpu MHz) x 32 FLOP/cycle"), md);
    }

    private static void notebook(ArrayNode all, String impl, String kind, String setting, double rate) {
        all.addObject()
                .put("section", "trainer")
                .put("impl", impl)
                .put("process", impl + "-notebook-t2")
                .put("kind", kind)
                .put("strategy", "freeze")
                .put("setting", setting)
                .put("size", 224)
                .put("batch", 64)
                .put("imagesPerSecond", rate);
    }

    @Test
    void theProfileTablesShowEachSideBesideTheOthersAndTheKernelsShare() throws Exception {
        ArrayNode all = JSON.createArrayNode();
        all.add(JSON.readTree("{\"kind\": \"operator\", \"strategy\": \"partial\", \"size\": 224,"
                + " \"setting\": \"fp32 channels-last\", \"operator\": \"aten::max_pool2d_with_indices\","
                + " \"djl-trainer-env\": {\"selfMs\": 137, \"undisturbedMs\": 81, \"calls\": 1},"
                + " \"pytorch\": {\"selfMs\": 49.5, \"undisturbedMs\": 41.2, \"calls\": 1},"
                + " \"pytorch-tcmalloc\": {\"selfMs\": 23.8, \"undisturbedMs\": 23.0, \"calls\": 1}}"));
        all.add(JSON.readTree("{\"kind\": \"operator\", \"strategy\": \"partial\", \"size\": 224,"
                + " \"setting\": \"fp32 channels-last\", \"operator\": \"all operators\","
                + " \"djl-trainer-env\": {\"selfMs\": 2215, \"undisturbedMs\": 1807, \"stepMs\": 2203,"
                + " \"kernelShare\": 0.134, \"minorFaultsPerStep\": 40989},"
                + " \"pytorch\": {\"selfMs\": 1964, \"undisturbedMs\": 1775, \"stepMs\": 2013, \"kernelShare\": 0.13,"
                + " \"minorFaultsPerStep\": 150000}}"));
        String md = new Report(all).markdown();
        // a side that was not profiled (no PyTorch, or no tcmalloc for a second run) shows a dash, not a zero
        assertTrue(
                md.contains("| partial | 224 | fp32 channels-last | aten::max_pool2d_with_indices | 137 (81.0) | - |"
                        + " 49.5 (41.2) | 23.8 (23.0) | 1.00/1.00 |"),
                md);
        assertTrue(
                md.contains(
                        "| partial | 224 | fp32 channels-last | djl-trainer-env | 2203 | 2215 | 1807 | 13.4 | 40989 |"),
                md);
        assertTrue(
                md.contains("| partial | 224 | fp32 channels-last | pytorch | 2013 | 1964 | 1775 | 13.0 | 150000 |"),
                md);
        assertTrue(!md.contains("| djl-glibc |"), md);
    }
}
