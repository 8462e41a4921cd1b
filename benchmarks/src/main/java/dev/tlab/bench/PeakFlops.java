package dev.tlab.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The machine's theoretical fp32 peak for the notebook table: cores x frequency x FLOP per cycle per core.
 *
 * <ul>
 *   <li>Cores: the intra-op threads the bench trains with (2), at most the processors there are.
 *   <li>Frequency: {@code cpuinfo_max_freq} of cpufreq when the kernel exposes it, else the nominal "@ x.xxGHz" of the
 *       model name, else /proc/cpuinfo's "cpu MHz" (on a VM usually the nominal clock). Turbo can be higher and AVX-512
 *       code often runs below nominal, so the fraction is a guide, not a law.
 *   <li>FLOP per cycle from the /proc/cpuinfo flags, counting a fused multiply-add as 2 FLOPs and assuming two vector
 *       FMA pipes per core (Skylake-SP Gold/Platinum and later Xeons, Zen 2-4): avx512f 2 x 16 lanes x 2 = 64; avx2
 *       with fma 2 x 8 x 2 = 32 (two Zen 3 cores at 2.45 GHz: 157 GFLOP/s, issue 30's figure); avx without fma one
 *       8-lane add and one 8-lane multiply = 16; otherwise SSE, 8. A Xeon with one 512-bit FMA pipe peaks at half the
 *       avx512f figure.
 * </ul>
 */
record PeakFlops(int cores, double gigahertz, int flopsPerCycle, String frequencySource, String vectorUnit) {

    private static final Pattern NOMINAL = Pattern.compile("@\\s*([0-9.]+)\\s*GHz");

    double gflopsPerSecond() {
        return cores * gigahertz * flopsPerCycle;
    }

    /** From this machine's /proc/cpuinfo and cpufreq. */
    static PeakFlops ofThisMachine(int threads) {
        String cpuinfo = read(Path.of("/proc/cpuinfo"));
        String maxKhz = read(Path.of("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq"));
        return of(cpuinfo, maxKhz, threads, Runtime.getRuntime().availableProcessors());
    }

    /**
     * From the text of /proc/cpuinfo and of cpufreq's cpuinfo_max_freq (kHz; empty when absent).
     *
     * @throws IllegalArgumentException when no frequency can be read
     */
    static PeakFlops of(String cpuinfo, String maxFrequencyKhz, int threads, int processors) {
        int cores = Math.max(1, Math.min(threads, processors));
        double ghz;
        String source;
        OptionalDouble nominal = nominalGhz(field(cpuinfo, "model name"));
        if (!maxFrequencyKhz.isBlank()) {
            ghz = Double.parseDouble(maxFrequencyKhz.trim()) / 1e6;
            source = "cpufreq cpuinfo_max_freq";
        } else if (nominal.isPresent()) {
            ghz = nominal.getAsDouble();
            source = "model name";
        } else if (!field(cpuinfo, "cpu MHz").isEmpty()) {
            ghz = Double.parseDouble(field(cpuinfo, "cpu MHz")) / 1000;
            source = "cpu MHz";
        } else {
            throw new IllegalArgumentException("no CPU frequency in /proc/cpuinfo or cpufreq");
        }
        List<String> flags = List.of(field(cpuinfo, "flags").split("\\s+"));
        if (flags.contains("avx512f")) {
            return new PeakFlops(cores, ghz, 64, source, "AVX-512 FMA, 2 pipes");
        }
        if (flags.contains("avx2") && flags.contains("fma")) {
            return new PeakFlops(cores, ghz, 32, source, "AVX2 FMA, 2 pipes");
        }
        if (flags.contains("avx")) {
            return new PeakFlops(cores, ghz, 16, source, "AVX add + multiply");
        }
        return new PeakFlops(cores, ghz, 8, source, "SSE add + multiply");
    }

    /** The FLOPs of one training image from the multiply-adds the PyTorch peer counted on the model (2 per MAC). */
    static double trainingFlops(long forwardMacs, long inputGradientMacs, long weightGradientMacs) {
        return 2.0 * (forwardMacs + inputGradientMacs + weightGradientMacs);
    }

    /** The share of the peak that a training rate reaches, 0..1 (above 1 means the peak was misjudged). */
    double fraction(double imagesPerSecond, double flopsPerImage) {
        return imagesPerSecond * flopsPerImage / (gflopsPerSecond() * 1e9);
    }

    String describe() {
        return String.format(
                Locale.ROOT,
                "%d cores x %.2f GHz (%s) x %d FLOP/cycle (%s) = %.0f GFLOP/s fp32",
                cores,
                gigahertz,
                frequencySource,
                flopsPerCycle,
                vectorUnit,
                gflopsPerSecond());
    }

    ObjectNode toJson() {
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("section", "peak")
                .put("cores", cores)
                .put("gigahertz", gigahertz)
                .put("flopsPerCycle", flopsPerCycle)
                .put("frequencySource", frequencySource)
                .put("vectorUnit", vectorUnit)
                .put("gflopsPerSecond", gflopsPerSecond())
                .put("derivation", describe());
        return n;
    }

    private static OptionalDouble nominalGhz(String modelName) {
        Matcher m = NOMINAL.matcher(modelName);
        return m.find() ? OptionalDouble.of(Double.parseDouble(m.group(1))) : OptionalDouble.empty();
    }

    /** The first value of a "name : value" line, "" when absent. */
    private static String field(String cpuinfo, String name) {
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return "";
    }

    private static String read(Path file) {
        try {
            return Files.isReadable(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
