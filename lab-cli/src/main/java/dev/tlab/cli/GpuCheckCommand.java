package dev.tlab.cli;

import dev.tlab.cli.gpu.HostGpus;
import dev.tlab.cli.gpu.LibtorchLocator;
import dev.tlab.cli.gpu.TrainerApp;
import dev.tlab.cli.stack.NativeEnvironment;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./lab gpu-check}: whether this machine can train on its NVIDIA GPU the way the trainer's CUDA image does, and
 * how fast. It looks for the GPU through the driver, for a CUDA build of the libtorch DJL needs, then runs the
 * trainer's own check ({@code dev.tlab.trainer.gpu.GpuCheck}) in a JVM with the trainer's classpath minus the CPU
 * natives and libtorch given to DJL as an explicit folder.
 */
@Command(
        name = "gpu-check",
        mixinStandardHelpOptions = true,
        description = {
            "Check that this machine can train on its NVIDIA GPU as the trainer's CUDA image does: finds the "
                    + "GPU and a CUDA build of libtorch 2.7.1 (or says exactly what is missing and how to provide it), "
                    + "then trains the full-size ResNet-18 at 224 px for a few steps per strategy on the GPU and prints "
                    + "training and evaluation images/s, GPU memory and the projected time of the notebook's experiment.",
            "Exit codes: 0 done, 5 no usable GPU, 6 no usable CUDA libtorch, 1 the check itself failed."
        })
class GpuCheckCommand implements Callable<Integer> {
    private static final String NOTEBOOK_MODEL = RunCommand.PRETRAINED_MODEL;
    private static final String LIBTORCH_ARCHIVE =
            "https://download.pytorch.org/libtorch/cu128/libtorch-cxx11-abi-shared-with-deps-%s%%2Bcu128.zip";

    @Option(
            names = "--libtorch",
            paramLabel = "DIR",
            description = "A libtorch lib folder (holding libtorch.so and "
                    + "libtorch_cuda.so) to use instead of looking for one.")
    Path libtorch;

    @Option(
            names = "--python",
            defaultValue = "python3",
            paramLabel = "CMD",
            description = "Python interpreter to ask for an installed PyTorch (default ${DEFAULT-VALUE}).")
    String python;

    @Option(names = "--device", defaultValue = "gpu", description = "gpu or gpu:N (default ${DEFAULT-VALUE}).")
    String device;

    @Option(
            names = "--steps",
            defaultValue = "20",
            description = "Timed training steps per strategy (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(
            names = "--markdown",
            description = "Also print the figures as a Markdown table, ready for docs/benchmarks.md.")
    boolean markdown;

    @Option(
            names = "--model",
            paramLabel = "FILE",
            description = "TorchScript ResNet-18 to train (default: " + NOTEBOOK_MODEL
                    + " when present, else the full-size model with constant weights built into the trainer).")
    Path model;

    @Option(
            names = "--work-dir",
            defaultValue = ".lab",
            description = "The lab's work folder (default ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(
            names = "--root",
            defaultValue = ".",
            description = "The repository checkout (default: the current folder).")
    Path root;

    @Option(names = "--timeout-minutes", defaultValue = "15", description = "Give up on the check after this long.")
    int timeoutMinutes;

    /** Where /proc is looked for; tests point it at a folder that looks like a machine. */
    @Option(names = "--host-root", defaultValue = "/", hidden = true)
    Path hostRoot;

    /** Where nvidia-smi is looked for; tests set it, everyone else gets the PATH. */
    @Option(names = "--search-path", hidden = true)
    String searchPath;

    @Override
    public Integer call() throws Exception {
        System.out.println("GPU check: can this machine train on its NVIDIA GPU as the trainer's CUDA image does?");
        HostGpus host = HostGpus.detect(hostRoot, searchPath != null ? searchPath : System.getenv("PATH"));
        if (!host.present()) {
            System.out.println("no GPU: " + host.problem());
            return ExitCodes.NO_GPU;
        }
        host.gpus().forEach(g -> System.out.println("  GPU           " + g));
        System.out.println(
                "  NVIDIA driver " + (host.driverVersion() == null ? "(version unknown)" : host.driverVersion())
                        + (host.driverCuda() == null ? "" : ", supports CUDA up to " + host.driverCuda()));
        if (host.driverCuda() != null && compareVersions(host.driverCuda(), "12.8") < 0) {
            System.out.println("  warning       libtorch for CUDA 12.8 wants a driver for CUDA 12.8 (570 or newer);"
                    + " this one supports " + host.driverCuda());
        }

        Path rootDir = root.toAbsolutePath().normalize();
        TrainerApp app = TrainerApp.in(rootDir);
        if (!app.built()) {
            System.out.println("the trainer is not built (" + app.folder() + "): run ./mvnw -B install -DskipTests"
                    + " (./lab does it on its own)");
            return ExitCodes.EXPERIMENT_FAILED;
        }
        String version = app.libtorchVersion();
        Path work = rootDir.resolve(workDir).normalize();
        LibtorchLocator.Result located = new LibtorchLocator(
                        version,
                        System.getenv(),
                        Path.of(System.getProperty("user.home")),
                        work,
                        List.of(python.split(" ")))
                .locate(libtorch);
        System.out.println("libtorch " + version + " for CUDA, looked at:");
        located.lookedAt().forEach(l -> System.out.println("  - " + l));
        if (located.found() == null) {
            printHowToProvide(version, app, work);
            return ExitCodes.NO_CUDA_LIBTORCH;
        }
        LibtorchLocator.Found found = located.found();
        found.notes().forEach(n -> System.out.println("  note          " + n));
        Map<String, String> env = djlSettings(found, work);
        List<String> jvm = new ArrayList<>(List.of(
                javaBinary(),
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-Dai.djl.pytorch.cudnn_benchmark=true"));
        Path cudartFolder = cudartForDjl(found, work);
        if (cudartFolder != null) {
            jvm.add("-Djna.library.path=" + cudartFolder);
        } else {
            System.out.println("  note          no CUDA runtime ships with this libtorch: DJL's GPU detection needs"
                    + " libcudart on the system library path (ldconfig), e.g. from a CUDA 12 toolkit or runtime");
        }
        jvm.addAll(List.of(
                "-cp",
                app.classpath(),
                "dev.tlab.trainer.gpu.GpuCheck",
                "--device",
                device,
                "--steps",
                String.valueOf(steps)));
        if (markdown) {
            jvm.add("--markdown");
        }
        Path modelFile = model != null ? model : rootDir.resolve(NOTEBOOK_MODEL);
        if (model != null || Files.isRegularFile(modelFile)) {
            jvm.addAll(List.of("--model", modelFile.toString()));
        }
        System.out.println();
        int code = runCheck(jvm, env);
        if (code == 0) {
            System.out.println();
            System.out.println("To train on this GPU with ./lab run --device gpu (or any trainer outside the image),"
                    + " set these first:");
            StringBuilder exports = new StringBuilder("  export");
            env.forEach((k, v) -> {
                if (k.startsWith("PYTORCH_")) {
                    exports.append(' ').append(k).append('=').append(v);
                }
            });
            if (cudartFolder != null) {
                exports.append(" JAVA_TOOL_OPTIONS=-Djna.library.path=").append(cudartFolder);
            }
            System.out.println(exports);
        }
        return switch (code) {
            case 0 -> ExitCodes.OK;
            case ExitCodes.NO_GPU -> ExitCodes.NO_GPU;
            case ExitCodes.NO_CUDA_LIBTORCH -> ExitCodes.NO_CUDA_LIBTORCH;
            case 124 -> ExitCodes.TIMED_OUT;
            default -> ExitCodes.EXPERIMENT_FAILED;
        };
    }

    /** The settings the CUDA image gives DJL, with this machine's libtorch folder. */
    private static Map<String, String> djlSettings(LibtorchLocator.Found found, Path work) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PYTORCH_LIBRARY_PATH", found.folder().toString());
        env.put("PYTORCH_VERSION", found.version());
        // The JNI library is chosen by this flavour when it is not in the folder; pytorch-jni has cu128 only.
        env.put("PYTORCH_FLAVOR", "cu128");
        env.put("DJL_OFFLINE", "true");
        env.put("ENGINE_CACHE_DIR", work.resolve("gpu-check/djl").toString());
        env.put("DJL_CACHE_DIR", work.resolve("gpu-check/djl").toString());
        env.putAll(NativeEnvironment.trainer());
        return env;
    }

    /**
     * DJL's GPU count (CudaUtils) loads "cudart" through JNA, which finds only libcudart.so or libcudart.so.N; libtorch
     * ships it under a hashed name. A folder with a plain-named link to that file, put first on jna.library.path, gives
     * DJL the CUDA runtime that matches the libtorch.
     */
    private static Path cudartForDjl(LibtorchLocator.Found found, Path work) throws IOException {
        if (found.cudart() == null) {
            return null;
        }
        Path folder = Files.createDirectories(work.resolve("gpu-check/cudart"));
        Path link = folder.resolve("libcudart.so");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, found.cudart());
        System.out.println(
                "  CUDA runtime  " + found.cudart() + " (shipped with this libtorch; given to DJL's GPU detection)");
        return folder;
    }

    private int runCheck(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("PYTORCH_EXTRA_LIBRARY_PATH");
        builder.environment().putAll(env);
        Process check = builder.start();
        Thread relay = new Thread(
                () -> {
                    try (BufferedReader lines =
                            new BufferedReader(new InputStreamReader(check.getInputStream(), StandardCharsets.UTF_8))) {
                        lines.lines().forEach(System.out::println);
                    } catch (IOException e) {
                        // the check ended
                    }
                },
                "gpu-check-output");
        relay.start();
        try {
            if (!check.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
                check.destroyForcibly().waitFor();
                System.out.println("the GPU check did not finish within " + timeoutMinutes + " minutes");
                return 124;
            }
        } catch (InterruptedException e) {
            check.destroyForcibly();
            throw e;
        }
        relay.join(TimeUnit.SECONDS.toMillis(10));
        return check.exitValue();
    }

    private static void printHowToProvide(String version, TrainerApp app, Path work) {
        String staged =
                work.resolve("libtorch/" + version + "-cu128-linux-x86_64").toString();
        System.out.println();
        System.out.println("No CUDA build of libtorch " + version + " was found. Provide one of these (on a machine"
                + " without internet, bring the files along), then run ./lab gpu-check again:");
        System.out.println("  1. The official archive DJL builds its CUDA natives from (about 3 GB):");
        System.out.println("       " + String.format(LIBTORCH_ARCHIVE, version));
        System.out.println(
                "     unzip it and pass --libtorch libtorch/lib, or stage the lean folder the CUDA image uses:");
        System.out.println("       trainer-service/src/main/docker/stage-libtorch.sh libtorch/lib cu128 " + app.jniJar()
                + " " + staged);
        System.out.println("  2. PyTorch " + version + " for CUDA 12.8 in a Python environment:");
        System.out.println(
                "       pip install torch==" + version + " --index-url https://download.pytorch.org/whl/cu128");
        System.out.println("     and --python /path/to/that/python (or --libtorch <site-packages>/torch/lib)");
        System.out.println("  3. The folder DJL fills when it downloads the natives itself on a machine with internet"
                + " (PYTORCH_FLAVOR=cu128, no pytorch-native-cpu on the classpath): ~/.djl.ai/pytorch/" + version
                + "-cu128-linux-x86_64, copied to this machine's ~/.djl.ai/pytorch/ or passed with --libtorch");
        System.out.println("  Or set PYTORCH_LIBRARY_PATH to such a folder, as the trainer's CUDA image does.");
    }

    private static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int d = Integer.compare(
                    i < x.length ? Integer.parseInt(x[i]) : 0, i < y.length ? Integer.parseInt(y[i]) : 0);
            if (d != 0) {
                return d;
            }
        }
        return 0;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
