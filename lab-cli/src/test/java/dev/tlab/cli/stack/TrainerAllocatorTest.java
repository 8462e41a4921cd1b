package dev.tlab.cli.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which allocator the launchers give a trainer, from TLAB_TRAINER_ALLOCATOR and what the library folders hold. */
class TrainerAllocatorTest {

    @TempDir
    Path dir;

    private List<Path> foldersWithTcmalloc() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("lib64"));
        Path multiarch = Files.createDirectories(dir.resolve("x86_64-linux-gnu"));
        Files.write(multiarch.resolve(TrainerAllocator.TCMALLOC_LIBRARY), new byte[] {0x7f, 'E', 'L', 'F'});
        return List.of(empty, multiarch);
    }

    private List<Path> foldersWithout() throws IOException {
        return List.of(Files.createDirectories(dir.resolve("empty")));
    }

    @Test
    void byDefaultTheTrainersPreloadTcmallocWhereItIsInstalled() throws IOException {
        List<Path> folders = foldersWithTcmalloc();
        Map<String, String> env = NativeEnvironment.trainer(Map.of(), folders, 1);
        assertEquals(folders.get(1).resolve(TrainerAllocator.TCMALLOC_LIBRARY).toString(), env.get("LD_PRELOAD"));
        // glibc's settings stay: a launcher environment without the library still needs them, and they cost nothing
        assertEquals(NativeEnvironment.GLIBC_TUNABLES, env.get("GLIBC_TUNABLES"));
        assertEquals("PASSIVE", env.get("OMP_WAIT_POLICY"));
        assertTrue(NativeEnvironment.describeAllocator(env, Map.of()).startsWith("tcmalloc"));
    }

    @Test
    void withoutTheLibraryTheTrainersKeepGlibcAndTheLogSaysWhatToInstall() throws IOException {
        Map<String, String> env = NativeEnvironment.trainer(Map.of(), foldersWithout(), 1);
        Map<String, String> glibc = new java.util.HashMap<>(NativeEnvironment.TRAINER);
        glibc.putAll(NativeEnvironment.openMp(1));
        assertEquals(glibc, env);
        String said = NativeEnvironment.describeAllocator(env, Map.of());
        assertTrue(said.startsWith("glibc malloc") && said.contains("libtcmalloc-minimal4"), said);
    }

    @Test
    void glibcTurnsTheAllocatorOffAndIsSaidSo() throws IOException {
        Map<String, String> launcher = Map.of(TrainerAllocator.VARIABLE, "glibc");
        Map<String, String> env = NativeEnvironment.trainer(launcher, foldersWithTcmalloc(), 1);
        assertFalse(env.containsKey("LD_PRELOAD"));
        assertEquals(
                "glibc malloc (" + TrainerAllocator.VARIABLE + "=glibc)",
                NativeEnvironment.describeAllocator(env, launcher));
    }

    @Test
    void askingForTcmallocWhereThereIsNoneFailsSayingWhatToInstall() throws IOException {
        List<Path> folders = foldersWithout();
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> NativeEnvironment.trainer(Map.of(TrainerAllocator.VARIABLE, "tcmalloc"), folders, 1));
        assertTrue(e.getMessage().contains(TrainerAllocator.VARIABLE), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install libtcmalloc-minimal4t64"), e.getMessage());
    }

    @Test
    void anUnknownValueFailsNamingTheVariableAndTheChoices() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> NativeEnvironment.trainer(Map.of(TrainerAllocator.VARIABLE, "jemalloc"), List.of(), 1));
        assertEquals(
                TrainerAllocator.VARIABLE + "=jemalloc is not a trainer allocator: use auto, tcmalloc or glibc",
                e.getMessage());
        assertEquals(TrainerAllocator.TCMALLOC, TrainerAllocator.of(Map.of(TrainerAllocator.VARIABLE, " TCMalloc ")));
        assertEquals(TrainerAllocator.AUTO, TrainerAllocator.of(Map.of(TrainerAllocator.VARIABLE, "")));
    }

    @Test
    void aLaunchersOwnPreloadIsKeptUnderAutoAndComesAfterTcmallocWhenAskedFor() throws IOException {
        List<Path> folders = foldersWithTcmalloc();
        Map<String, String> own = Map.of("LD_PRELOAD", "/opt/libmine.so");
        Map<String, String> auto = NativeEnvironment.trainer(own, folders, 1);
        assertFalse(auto.containsKey("LD_PRELOAD"), "auto leaves the inherited preload alone: " + auto);
        assertEquals("the launcher's LD_PRELOAD=/opt/libmine.so", NativeEnvironment.describeAllocator(auto, own));

        Map<String, String> asked = Map.of("LD_PRELOAD", "/opt/libmine.so", TrainerAllocator.VARIABLE, "tcmalloc");
        assertEquals(
                folders.get(1).resolve(TrainerAllocator.TCMALLOC_LIBRARY) + " /opt/libmine.so",
                NativeEnvironment.trainer(asked, folders, 1).get("LD_PRELOAD"));
    }
}
